"""Reads of a user's own inbox. Notifications are personal: nobody, whatever their scope, reads another's."""

from .models import Notification


def own_notifications(user, *, unread_only: bool = False):
    rows = Notification.objects.filter(user=user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
