"""The TOTP second factor: enrol a device, confirm it with a first code, verify codes at sign-in."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from qicha.core.audit import EventType, Outcome, record_event


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
