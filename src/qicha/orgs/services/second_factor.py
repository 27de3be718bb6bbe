"""The TOTP second factor: enrol a device, confirm it with a first code, verify codes at sign-in."""

from django.db import transaction

from qicha.core.audit import EventType, Outcome, record_event
from qicha.core.crypto import KeyError_, decrypt_bytes, encrypt_bytes, is_current_ciphertext

from ..models import SealedTOTPDevice as TOTPDevice
from ..models import is_plain_seed, seal_seed


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first visit, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


def check_code(user, device: TOTPDevice, code: str, *, channel_detail: str = "动态口令错误") -> bool:
    """Verify a code (django-otp throttles repeated failures); a first good code confirms an enrolment."""
    if device.verify_token(code):
        if not device.confirmed:
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_event(EventType.SETTING_CHANGE, actor=user, obj=user, action="otp_enrol", detail="绑定动态口令")
        return True
    record_event(EventType.LOGIN_FAILED, actor=user, outcome=Outcome.FAILURE, action="otp", detail=channel_detail)
    return False


def reseal_seeds() -> int:
    """Re-encrypt every TOTP seed with the current SM4 key (key rotation); plain seeds are sealed on the way."""
    changed = 0
    for pk, key in TOTPDevice.objects.values_list("pk", "key").iterator():
        if is_plain_seed(key):
            sealed = seal_seed(key)
        elif not is_current_ciphertext(key):
            sealed = encrypt_bytes(decrypt_bytes(key, TOTPDevice.PURPOSE), TOTPDevice.PURPOSE)
        else:
            continue
        TOTPDevice.objects.filter(pk=pk, key=key).update(key=sealed)
        changed += 1
    return changed


def first_seed_error() -> str | None:
    key = TOTPDevice.objects.values_list("key", flat=True).first()
    if key is None:
        return None
    if is_plain_seed(key):
        return "动态口令种子以明文保存（应已由迁移加密）：请运行 python -m qicha migrate。"
    try:
        decrypt_bytes(key, TOTPDevice.PURPOSE)
    except KeyError_ as exc:
        return f"动态口令种子无法解密：{exc}"
    return None
