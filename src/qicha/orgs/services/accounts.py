import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid

from ..models import ApiToken, PasswordHistory, User


def revoke_all_tokens(user: User) -> int:
    """A password change, reset or new roles end every API token the user had."""
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


def remember_password(user: User) -> None:
    """Keep the (hashed) password so the history rule can refuse it later; only the last few are kept."""
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.all()[settings.PASSWORD_HISTORY_KEEP :].values_list("pk", flat=True)
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def password_help_texts() -> list[str]:
    return password_validation.password_validators_help_texts()


def validate_new_password(password: str, user: User, field: str = "new_password1") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid("新密码不符合要求。", {field: " ".join(exc.messages)}) from exc


def change_password(user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise Invalid("当前密码不正确。", {"old_password": "当前密码不正确。"})
    if old_password == new_password:
        raise Invalid("新密码不能与当前密码相同。", {"new_password1": "新密码不能与当前密码相同。"})
    validate_new_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        remember_password(user)
        revoke_all_tokens(user)
        record_event(EventType.PASSWORD_CHANGE, actor=user, obj=user)


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_api_token(user: User) -> tuple[ApiToken, str]:
    """A new bearer token for `user`; the clear token is returned once and only its hash is kept."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=_hash_token(key),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
        )
        record_event(EventType.TOKEN_ISSUED, actor=user, obj=user, detail=f"令牌有效期至 {token.expires_at:%Y-%m-%d %H:%M}")
    return token, key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash_token(key), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def revoke_api_token(user: User, key: str) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(user=user, key_hash=_hash_token(key)).update(revoked=True)
        record_event(EventType.UPDATE, actor=user, obj=user, action="revoke_token", detail="注销 API 令牌")
