"""Password sign-in that also refuses dormant accounts (等保: 长期未使用的账户应停用)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


def is_dormant(user) -> bool:
    days = settings.INACTIVE_ACCOUNT_DAYS
    if not days or user.is_demo and settings.DEMO_MODE:
        return False
    last_seen = user.last_login or user.date_joined
    return last_seen < timezone.now() - timedelta(days=days)


class QichaModelBackend(ModelBackend):
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not is_dormant(user)
