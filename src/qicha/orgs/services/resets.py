"""Password resets under 三员 dual control: nobody but the account's owner ever holds a usable credential.

1. `reset_password` (系统管理员, org.manage_users): the old password becomes unusable at once — the user's sessions
   end with it (Django ties a session to the password hash) and their API tokens are revoked — and the first half of
   an activation code is shown to the resetter, once, to hand to the user in person. A new account (`create_user`)
   starts the same way, with no usable password at all.
2. `release_password_reset` (安全管理员, security.assign_roles, never the resetter): the second half, shown once.
3. `activate_account` (the user, signed out): both halves and a new password of their own. Five wrong tries, or
   PASSWORD_RESET_HOURS without activation, void the reset; a new one starts over.

The user is told in their inbox (and by e-mail when configured) and every step is audited for the 审计管理员.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, Outcome, record_event
from qicha.core.errors import Forbidden, Invalid

from ..models import PasswordReset, User
from ._guard import require_permission
from .accounts import remember_password, revoke_all_tokens, validate_new_password
from .lockouts import clear_lock

S = PasswordReset.Status
# No look-alikes: the halves are read out or copied by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_ATTEMPTS = 5
ACTIVATION_FAILED = "用户名或激活码不正确，或激活码已失效。"


def _half() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _normalise(half: str) -> str:
    raw = "".join(c for c in (half or "").upper() if c.isalnum())
    return f"{raw[:4]}-{raw[4:]}"


def open_reset(user: User) -> PasswordReset | None:
    return user.password_resets.filter(status__in=[S.PENDING, S.RELEASED], expires_at__gt=timezone.now()).first()


def _notify(user: User, title: str, body: str) -> None:
    # The account's own inbox (and e-mail, through the notify app): a reset its owner did not ask for is noticed.
    from ..signals import account_notice

    account_notice.send(sender=User, user=user, title=title, body=body)


def start_activation(actor, user: User) -> str:
    """Open a reset for `user` (a new account or a reset one; call in a transaction); returns the first half."""
    first = _half()
    now = timezone.now()
    user.password_resets.filter(status__in=[S.PENDING, S.RELEASED]).update(status=S.CANCELLED, finished_at=now)
    PasswordReset.objects.create(user=user, requested_by=actor, first_half=make_password(first),
                                 expires_at=now + timedelta(hours=settings.PASSWORD_RESET_HOURS))
    return first


def reset_password(actor, user: User) -> str:
    """Make the password unusable and start a reset; returns the first half of the activation code (shown once)."""
    from .users import guard_other_admins

    require_permission(actor, "org.manage_users")
    guard_other_admins(actor, user, "重置密码")
    if user.pk == actor.pk:
        raise Invalid("不能重置自己的密码；请在“修改密码”页面修改。")
    with transaction.atomic():
        user.set_unusable_password()
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        revoke_all_tokens(user)
        unlocked = clear_lock(user)  # the new password is set by the user: a lockout would only stand in the way
        first = start_activation(actor, user)
        record_event(EventType.UPDATE, actor=actor, obj=user, action="reset_password",
                     detail="重置密码：原密码作废、会话与接口令牌失效，待安全管理员发放第二半激活码"
                     + ("；登录锁定已解除" if unlocked else ""))
        _notify(user, "您的登录密码已被重置",
                f"系统管理员 {actor.display_name} 于 {timezone.localtime():%Y-%m-%d %H:%M} 重置了您的密码，原密码已失效。"
                "请分别向系统管理员、安全管理员当面领取两半激活码，在登录页“激活账号”设置新密码。如非本人申请，请立即报告。")
    return first


def release_password_reset(actor, reset: PasswordReset) -> str:
    """The 安全管理员 releases the second half (shown once); the resetter may not release their own reset."""
    require_permission(actor, "security.assign_roles")
    if reset.requested_by_id == actor.pk or reset.user_id == actor.pk:
        record_event(EventType.UPDATE, actor=actor, obj=reset.user, action="release_reset", outcome=Outcome.DENIED,
                     detail="发放人与重置人（或账号本人）相同，拒绝")
        raise Forbidden("重置密码须由另一位管理员发放第二半激活码：您不能发放自己发起的重置，也不能发放自己账号的重置。")
    second = _half()
    now = timezone.now()
    with transaction.atomic():
        updated = PasswordReset.objects.filter(pk=reset.pk, status=S.PENDING, expires_at__gt=now).update(
            status=S.RELEASED, released_by=actor, released_at=now, second_half=make_password(second))
        if not updated:
            raise Invalid("该重置单已发放、已使用或已失效，请刷新页面。")
        record_event(EventType.UPDATE, actor=actor, obj=reset.user, action="release_reset",
                     detail=f"发放第二半激活码（重置单 {reset.pk}，重置人 {reset.requested_by.username}）")
    return second


def activate_account(*, username: str, first_half: str, second_half: str, new_password: str,
                     new_password2: str) -> User:
    """The user sets their own password with both halves. Any mismatch gives one message (nothing is disclosed)."""
    user = User.objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    reset = open_reset(user) if user else None
    if reset is None or reset.status != S.RELEASED:
        # Nothing to guess at: not recorded, so an anonymous loop cannot flood the audit chain.
        raise Invalid(ACTIVATION_FAILED)
    if not (check_password(_normalise(first_half), reset.first_half)
            and check_password(_normalise(second_half), reset.second_half)):
        with transaction.atomic():
            reset.failed_attempts += 1
            fields = ["failed_attempts"]
            if reset.failed_attempts >= MAX_ATTEMPTS:
                reset.status, reset.finished_at = S.CANCELLED, timezone.now()
                fields += ["status", "finished_at"]
            reset.save(update_fields=fields)
            record_event(EventType.LOGIN_FAILED, actor=None, obj=user, username=user.username, outcome=Outcome.FAILURE,
                         action="activate",
                         detail="激活码不正确" + ("，错误次数过多，重置单作废" if reset.status == S.CANCELLED else ""))
        raise Invalid(ACTIVATION_FAILED)
    if new_password != new_password2:
        raise Invalid("两次输入的新密码不一致。", {"new_password2": "两次输入的新密码不一致。"})
    validate_new_password(new_password, user)
    now = timezone.now()
    with transaction.atomic():
        if not PasswordReset.objects.filter(pk=reset.pk, status=S.RELEASED).update(status=S.USED, finished_at=now):
            raise Invalid(ACTIVATION_FAILED)
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = now
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        remember_password(user)
        revoke_all_tokens(user)
        record_event(EventType.PASSWORD_CHANGE, obj=user, username=user.username, action="activate",
                     detail=f"本人凭两半激活码设置新密码（重置单 {reset.pk}）")
    return user
