"""Who must change their password now, and who must present a second factor."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import permissions

SECOND_FACTOR_ROLES = {"office"}  # plus every holder of an admin duty (三员)


def demo_exempt(user) -> bool:
    return bool(user.is_demo and settings.DEMO_MODE)


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or demo_exempt(user):
        return False
    changed = user.password_changed_at or user.date_joined
    return changed < timezone.now() - timedelta(days=days)


def must_change_password(user) -> bool:
    """First login, a reset, or an expired password: the user changes it before doing anything else."""
    if not user.is_authenticated or demo_exempt(user):
        return False
    return user.must_change_password or password_expired(user)


def needs_second_factor(user) -> bool:
    """TOTP is mandatory for the 三员 and the campaign office, and for anyone who enrolled a device."""
    if not user.is_authenticated or demo_exempt(user):
        return False
    roles = user.cached_roles()
    if any(p in permissions.ADMIN_DUTY for r in roles for p in r.permissions):
        return True
    if any(r.code in SECOND_FACTOR_ROLES for r in roles):
        return True
    from django_otp import user_has_device

    return user_has_device(user)
