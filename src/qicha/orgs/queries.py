"""Reads of units, users and roles.

The unit tree and the user accounts are platform structure, not business data: the 系统管理员 and
安全管理员 see all of them. Business users see only the units in their data scope.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
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


@dataclass(frozen=True)
class Lockout:
    """A username locked by django-axes: how many failures, the last one, and when the lock runs out by itself."""

    username: str
    failures: int
    last_failure: datetime
    until: datetime


def _lockouts(usernames=None) -> dict[str, Lockout]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                            attempt_time__gte=since)
    if usernames is not None:
        attempts = attempts.filter(username__in=usernames)
    found: dict[str, Lockout] = {}
    for username, failures, at in attempts.values_list("username", "failures_since_start", "attempt_time"):
        if username and (username not in found or at > found[username].last_failure):
            found[username] = Lockout(username, failures, at, at + settings.AXES_COOLOFF_TIME)
    return found


def lockout_of(user: User) -> Lockout | None:
    return _lockouts([user.username]).get(user.username)


def locked_users(actor) -> list[tuple[User, Lockout]]:
    """The accounts locked now (by failed sign-ins), for whoever manages accounts; the newest lock first."""
    if not has_permission(actor, "org.manage_users"):
        return []
    locks = _lockouts()
    users = managed_users(actor).filter(username__in=locks)
    return sorted(((user, locks[user.username]) for user in users), key=lambda pair: pair[1].last_failure, reverse=True)


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
