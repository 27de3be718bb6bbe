"""Delivering notifications: in-app always, e-mail when configured, a webhook when one is set.

`notify_users` is called by scheduled reminders (reporting, overdue digests) and by services that tell someone a thing
needs them. Delivery never breaks the caller: a mail server or bot that is down is logged, the in-app message stays.
"""

import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from qicha.core.errors import NotFound

from .models import Notification

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 5  # seconds; a slow bot must not hold the reminder run


def notify_users(users, *, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> int:
    """Create one in-app notification per (active, distinct) user; return how many are new.

    With a `dedupe_key`, a user who already has a notification under that key gets nothing — reruns are harmless.
    """
    return deliver(users, kind=kind, title=title, body=body, link=link, dedupe_key=dedupe_key)


def deliver(users, *, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "",
            items: list[dict] | None = None) -> int:
    """`notify_users` with a list of linked items (a digest's problems) shown under the body."""
    items = [{"text": str(i["text"]), "link": str(i.get("link", ""))} for i in (items or [])]
    recipients = _distinct_active(users)
    if not recipients:
        return 0
    title, link, dedupe_key = title[:200], link[:500], dedupe_key[:200]
    if dedupe_key:
        already = set(Notification.objects.filter(user__in=[u.pk for u in recipients], dedupe_key=dedupe_key)
                      .values_list("user_id", flat=True))
        recipients = [u for u in recipients if u.pk not in already]
    created = []
    for user in recipients:
        try:
            with transaction.atomic():  # a savepoint: a concurrent run that got there first costs one row, not all
                Notification.objects.create(user=user, kind=kind, title=title, body=body, link=link,
                                            items=items, dedupe_key=dedupe_key)
        except IntegrityError:
            continue
        created.append(user)
    if created:
        _send_emails(created, title=title, body=body, link=link, items=items)
        _post_webhook(created, kind=kind, title=title, body=body, link=link)
    return len(created)


def _distinct_active(users: Iterable) -> list:
    seen, result = set(), []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def absolute_link(link: str) -> str:
    base = settings.BASE_URL.rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


def email_text(*, body: str, link: str, items: list[dict]) -> str:
    parts = [body] if body else []
    if items:
        parts.append("\n".join(f"{n}. {i['text']}" + (f"  {absolute_link(i['link'])}" if i["link"] else "")
                                for n, i in enumerate(items, 1)))
    if link:
        parts.append(f"查看详情：{absolute_link(link)}")
    parts.append("（本邮件由七查七摆工作平台自动发送，请勿直接回复。）")
    return "\n\n".join(parts)


def _send_emails(users: list, *, title: str, body: str, link: str, items: list[dict]) -> None:
    if not settings.EMAIL_ENABLED:
        return
    text = email_text(body=body, link=link, items=items)
    for user in users:
        if not user.email:
            continue
        try:
            send_mail(f"【七查七摆】{title}", text, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            log.exception("e-mail notification to user %s failed", user.pk)


def _post_webhook(users: list, *, kind: str, title: str, body: str, link: str) -> None:
    """One POST per delivery batch to a 政务微信/钉钉-style intranet bot, if QICHA_WEBHOOK_URL is set."""
    url = settings.WEBHOOK_URL
    if not url:
        return
    names = "、".join(user.display_name for user in users[:20]) + (f" 等 {len(users)} 人" if len(users) > 20 else "")
    # Title, recipients and link only: a bot's group is wider than any one recipient's data scope, so the body
    # (a return reason, the problems listed) stays behind the link, where sign-in and scope apply.
    lines = [f"【七查七摆】{title}", f"详情：{absolute_link(link)}" if link else "", f"接收人：{names}"]
    # The text-message shape 政务微信/企业微信 and 钉钉 group bots accept; an intranet relay reads the same.
    payload = {"msgtype": "text", "text": {"content": "\n".join(line for line in lines if line)}}
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
            response.read()
    except Exception:
        log.exception("webhook notification (%s) failed", kind)


def _own(user, notification_id: int) -> Notification:
    # Another user's notification does not exist for this user: 404, never 403.
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise NotFound("消息不存在")
    return notification


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (idempotent); returns it, e.g. to follow its link."""
    notification = _own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def resolve_notifications(*, kind: str | Iterable[str] = (), link: str = "", dedupe_prefix: str = "") -> int:
    """Mark read, for everyone they were sent to, the to-do notifications whose act has been done elsewhere
    (an approval request once approved, a reminder once the report is in). They are kept as history.

    Matched by `link` and/or by a `dedupe_key` prefix (reminders share a period's link across units), and by `kind`
    (one or several) when given; at least one of `link` and `dedupe_prefix` is required so nothing is resolved
    wholesale. Returns how many were marked read.
    """
    if not link and not dedupe_prefix:
        raise ValueError("resolve_notifications needs a link or a dedupe_prefix")
    rows = Notification.objects.filter(read_at__isnull=True)
    if link:
        rows = rows.filter(link=link[:500])
    if dedupe_prefix:
        rows = rows.filter(dedupe_key__startswith=dedupe_prefix)
    kinds = [kind] if isinstance(kind, str) else list(kind)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows.update(read_at=timezone.now())
