"""Who must change their password now, and who must present a second factor."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import permissions


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


def holds_power(user) -> bool:
    """An admin duty (三员), or a permission that reveals identities or signs off — by permission, never by role name."""
    return any(p in permissions.ADMIN_DUTY or p in permissions.SECOND_FACTOR
               for r in user.cached_roles() for p in r.permissions)


def needs_second_factor(user) -> bool:
    """TOTP is mandatory for whoever holds power (see holds_power), and for anyone who enrolled a device."""
    if not user.is_authenticated or demo_exempt(user):
        return False
    if holds_power(user):
        return True
    from django_otp import user_has_device

    return user_has_device(user)
