"""The unread-count badge on 消息通知 (sidebar) and the bell in the header, on every signed-in page."""

from .inbox_queries import unread_count


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notify_unread": unread_count(user)}
