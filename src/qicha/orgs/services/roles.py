from django.db import transaction

from qicha.core.audit import EventType, Outcome, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.versioning import claim_version

from .. import permissions
from ..models import DataScope, Role, User
from ._guard import require_permission

ROLE_FIELDS = ["code", "name", "description", "permissions", "scope", "custom_units"]


def _validate_role(name: str, perms: list[str], scope: str, custom_units, exclude_pk=None) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = "请填写角色名称。"
    elif Role.objects.filter(name=name.strip()).exclude(pk=exclude_pk).exists():
        errors["name"] = f"角色名称“{name}”已存在。"
    unknown = [p for p in perms if p not in permissions.ALL]
    if unknown:
        errors["permissions"] = f"未知的权限：{', '.join(unknown)}"
    duties = {permissions.ADMIN_DUTY[p] for p in perms if p in permissions.ADMIN_DUTY}
    if len(duties) > 1:
        errors["permissions"] = "一个角色只能承担一种管理员职责（系统、安全、审计三员分立）。"
    if duties and any(p in permissions.BUSINESS for p in perms):
        errors["permissions"] = "管理员权限不能与业务权限放在同一角色中。"
    if scope not in DataScope.values:
        errors["scope"] = "请选择数据权限范围。"
    elif scope == DataScope.CUSTOM and not custom_units:
        errors["custom_units"] = "自定数据权限须至少选择一个单位。"
    if errors:
        raise Invalid(details=errors)


def create_role(actor, *, code: str, name: str, description: str = "", perms: list[str], scope: str, custom_units=()) -> Role:
    require_permission(actor, "security.manage_roles")
    if not code or Role.objects.filter(code=code).exists():
        raise Invalid(details={"code": "角色代码为空或已存在。"})
    _validate_role(name, perms, scope, custom_units)
    with transaction.atomic():
        role = Role.objects.create(code=code, name=name.strip(), description=description.strip(), permissions=list(perms), scope=scope)
        role.custom_units.set(custom_units if scope == DataScope.CUSTOM else [])
        record_event(EventType.PERMISSION_CHANGE, actor=actor, obj=role, action="create_role", after=snapshot(role, ROLE_FIELDS))
    return role


def update_role(actor, role: Role, *, version: int, name: str, description: str, perms: list[str], scope: str, custom_units=()) -> Role:
    require_permission(actor, "security.manage_roles")
    _validate_role(name, perms, scope, custom_units, exclude_pk=role.pk)
    _check_holders_stay_separated(role, perms)
    with transaction.atomic():
        before = snapshot(role, ROLE_FIELDS)
        claim_version(role, version)
        role.name, role.description, role.permissions, role.scope = name.strip(), description.strip(), list(perms), scope
        role.save(update_fields=["name", "description", "permissions", "scope"])
        role.custom_units.set(custom_units if scope == DataScope.CUSTOM else [])
        record_event(EventType.PERMISSION_CHANGE, actor=actor, obj=role, action="update_role", before=before, after=snapshot(role, ROLE_FIELDS))
    return role


def duties_of(roles) -> set[str]:
    return {permissions.ADMIN_DUTY[p] for role in roles for p in role.permissions if p in permissions.ADMIN_DUTY}


def separation_violation(roles) -> str | None:
    duties = duties_of(roles)
    business = any(p in permissions.BUSINESS for role in roles for p in role.permissions)
    if duties and business:
        # 等保: the three administrators read no business data, so they hold no business role either.
        names = "、".join(permissions.DUTY_LABELS[d] for d in sorted(duties))
        return f"三员分立：{names}不能同时持有业务角色（管理员不查看业务数据）。"
    for pair in permissions.INCOMPATIBLE_DUTIES:
        if pair <= duties:
            names = "与".join(permissions.DUTY_LABELS[d] for d in sorted(pair, key=["system", "security", "audit"].index))
            return f"三员分立：同一人不能同时担任{names}。"
    return None


def _check_holders_stay_separated(role: Role, perms: list[str]) -> None:
    proposed = Role(pk=role.pk, permissions=list(perms))
    for user in role.users.prefetch_related("roles"):
        others = [r for r in user.roles.all() if r.pk != role.pk]
        message = separation_violation([*others, proposed])
        if message:
            raise Invalid(f"{message}（用户 {user.username} 已持有相关角色）")


def assign_roles(actor, user: User, roles: list[Role], *, version: int) -> User:
    """Set a user's roles. Only the 安全管理员 grants; the 三员 stay separated."""
    require_permission(actor, "security.assign_roles")
    message = separation_violation(roles)
    if message:
        record_event(EventType.PERMISSION_CHANGE, actor=actor, obj=user, action="assign_roles",
                     after={"roles": sorted(r.code for r in roles)}, outcome=Outcome.DENIED, detail=message)
        raise Invalid(message, {"roles": message})
    if user.pk == actor.pk:
        raise Invalid("不能修改自己的角色。", {"roles": "不能修改自己的角色。"})
    with transaction.atomic():
        before = {"roles": sorted(r.code for r in user.roles.all())}
        claim_version(user, version)
        user.roles.set(roles)
        from .accounts import revoke_all_tokens

        revoke_all_tokens(user)
        record_event(
            EventType.PERMISSION_CHANGE, actor=actor, obj=user, action="assign_roles",
            before=before, after={"roles": sorted(r.code for r in roles)},
        )
    return user
