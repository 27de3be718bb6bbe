import secrets
import string

from django.db import transaction

from qicha.core.audit import EventType, Outcome, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.versioning import claim_version

from ..models import Unit, User
from ..password_rules import character_classes
from ._guard import require_permission

USER_FIELDS = ["username", "full_name", "unit", "phone", "email", "is_active"]


def one_time_password() -> str:
    """A random initial password meeting the rules; the user must change it at first login."""
    # No look-alikes (O/0, l/1/I): the password is read out or copied by hand.
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "O0oIl1") + "!@#%+=?"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if character_classes(candidate) == 4:
            return candidate


def create_user(actor, *, username: str, full_name: str, unit: Unit, phone: str = "", email: str = "") -> tuple[User, str]:
    """Create an account with no usable password; returns the first half of its activation code (shown once).

    As after a reset, the 安全管理员 releases the second half and only the user, holding both, sets a password:
    the 系统管理员 never holds a credential of the account (orgs/services/resets.py)."""
    from .resets import start_activation

    require_permission(actor, "org.manage_users")
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = "请填写用户名。"
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = f"用户名“{username}”已存在。"
    if not (full_name or "").strip():
        errors["full_name"] = "请填写姓名。"
    if unit is None:
        errors["unit"] = "请选择所属单位。"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        user = User(username=username, full_name=full_name.strip(), unit=unit, phone=phone.strip(),
                    email=(email or "").strip(), must_change_password=True)
        user.set_unusable_password()
        user.save()
        first = start_activation(actor, user)
        record_event(EventType.CREATE, actor=actor, obj=user, after=snapshot(user, USER_FIELDS),
                     detail="新建账号：待安全管理员发放第二半激活码，本人激活后自设密码")
    return user, first


def update_user(actor, user: User, *, version: int, **changes) -> User:
    require_permission(actor, "org.manage_users")
    allowed = {"full_name", "unit", "phone", "email"}
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    if "full_name" in changes and not (changes["full_name"] or "").strip():
        raise Invalid(details={"full_name": "请填写姓名。"})
    if "unit" in changes and changes["unit"] is None:
        raise Invalid(details={"unit": "请选择所属单位。"})
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        claim_version(user, version)
        for field, value in changes.items():
            setattr(user, field, value.strip() if isinstance(value, str) else value)
        # The phone's blind index is computed on save and must be written with it.
        user.save(update_fields=[*changes, *(["phone_index"] if "phone" in changes else [])])
        record_event(EventType.UPDATE, actor=actor, obj=user, before=before, after=snapshot(user, USER_FIELDS))
    return user


def guard_other_admins(actor, user: User, act: str) -> None:
    """The 系统管理员 must not be able to take over the 安全/审计管理员's accounts (三员 check each other)."""
    from .roles import duties_of

    duties = duties_of(user.roles.all()) - {"system"}
    if duties and user.pk != actor.pk:
        message = f"安全管理员、审计管理员的账号不能由系统管理员{act}；请在服务器上用 python -m qicha reset_admin_password 处理。"
        record_event(EventType.UPDATE, actor=actor, obj=user, action=act, outcome=Outcome.DENIED, detail=message)
        raise Invalid(message)


def set_user_active(actor, user: User, *, active: bool, version: int) -> User:
    require_permission(actor, "org.manage_users")
    guard_other_admins(actor, user, "启用" if active else "停用")
    if user.pk == actor.pk and not active:
        raise Invalid("不能停用自己的账号。")
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        claim_version(user, version)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            EventType.UPDATE, actor=actor, obj=user, action="enable" if active else "disable",
            before=before, after=snapshot(user, USER_FIELDS),
        )
    return user


def disable_dormant_accounts() -> list[str]:
    """Disable every account unused for INACTIVE_ACCOUNT_DAYS (a scheduled system act)."""
    from ..backends import is_dormant

    disabled = []
    for user in User.objects.filter(is_active=True):
        if is_dormant(user):
            with transaction.atomic():
                user.is_active = False
                user.save(update_fields=["is_active"])
                record_event(EventType.UPDATE, obj=user, action="disable", detail="长期未使用，自动停用")
            disabled.append(user.username)
    return disabled
