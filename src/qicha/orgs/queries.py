"""Reads of units, users and roles.

The unit tree and the user accounts are platform structure, not business data: the 系统管理员 and
安全管理员 see all of them. Business users see only the units in their data scope.
"""

from django.db.models import Q
from django.utils import timezone

from qicha.core.errors import NotFound
from qicha.core.scope import has_permission, units_in_scope

from .models import PasswordReset, Role, Unit, User

ADMIN_UNIT_PERMISSIONS = ("org.manage_units", "org.manage_users", "security.manage_roles", "security.assign_roles")


def visible_units(user):
    """Units the user may list: the whole tree for the 系统/安全管理员, else the units in business scope."""
    if any(has_permission(user, p) for p in ADMIN_UNIT_PERMISSIONS):
        return Unit.objects.order_by("path")
    return units_in_scope(user, "campaign.view").order_by("path")


def get_visible_unit(user, unit_id) -> Unit:
    unit = visible_units(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def managed_users(actor, *, q: str = "", unit_id=None):
    if not (has_permission(actor, "org.manage_users") or has_permission(actor, "security.assign_roles")):
        return User.objects.none()
    users = User.objects.select_related("unit").prefetch_related("roles").order_by("unit__path", "username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id).first()
        users = users.filter(unit__path__startswith=unit.path) if unit else users.none()
    return users


def get_managed_user(actor, user_id) -> User:
    user = managed_users(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def managed_roles(actor):
    if not (has_permission(actor, "security.manage_roles") or has_permission(actor, "security.assign_roles")):
        return Role.objects.none()
    return Role.objects.prefetch_related("custom_units", "users").order_by("id")


def get_managed_role(actor, role_id) -> Role:
    role = managed_roles(actor).filter(pk=role_id).first()
    if role is None:
        raise NotFound()
    return role


def open_password_resets(actor):
    """Resets waiting for the 安全管理员's second half, and those released but not yet used (not expired)."""
    if not has_permission(actor, "security.assign_roles"):
        return PasswordReset.objects.none()
    return (PasswordReset.objects.select_related("user__unit", "requested_by", "released_by")
            .filter(status__in=[PasswordReset.Status.PENDING, PasswordReset.Status.RELEASED],
                    expires_at__gt=timezone.now())
            .order_by("-requested_at", "-id"))


def get_open_password_reset(actor, reset_id) -> PasswordReset:
    reset = open_password_resets(actor).filter(pk=reset_id).first()
    if reset is None:
        raise NotFound()
    return reset
