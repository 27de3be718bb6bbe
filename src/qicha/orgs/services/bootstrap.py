"""The first accounts of a new installation, before any administrator exists to create them."""

from django.db import transaction

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid

from ..models import Role, Unit, UnitKind, User
from .users import USER_FIELDS, one_time_password

ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")


def bootstrap_admin(*, username: str, role_code: str, full_name: str, root_unit_name: str | None = None,
                    password: str | None = None) -> tuple[User, str]:
    """Create one of the 三员 accounts from the command line (recorded as a system act)."""
    if role_code not in ADMIN_ROLES:
        raise Invalid(f"只能用命令行创建三员账号（{'、'.join(ADMIN_ROLES)}）。")
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(f"用户名“{username}”已存在。")
    with transaction.atomic():
        root = Unit.objects.get_root_nodes().first()
        if root is None:
            if not root_unit_name:
                raise Invalid("系统中还没有单位，请用 --unit-name 指定顶级单位名称。")
            root = Unit.objects.add_root({"name": root_unit_name, "kind": UnitKind.CITY_BUREAU})
            record_event(EventType.CREATE, obj=root, after={"name": root.name}, detail="命令行初始化顶级单位")
        secret = password or one_time_password()
        user = User(username=username, full_name=full_name, unit=root, must_change_password=True)
        user.set_password(secret)
        user.save()
        user.roles.set([Role.objects.get(code=role_code)])
        record_event(EventType.CREATE, obj=user, after={**snapshot(user, USER_FIELDS), "roles": [role_code]},
                     detail="命令行创建管理员账号")
    return user, secret


def reset_admin_password(username: str) -> str:
    """From the server's command line: a new one-time password for any account (used for the 三员)."""
    from .users import one_time_password as new_password

    user = User.objects.filter(username=username).first()
    if user is None:
        raise Invalid(f"用户“{username}”不存在。")
    password = new_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.is_active = True
        user.save(update_fields=["password", "must_change_password", "is_active"])
        record_event(EventType.UPDATE, obj=user, action="reset_password", detail="服务器命令行重置密码")
    return password
