"""Reads of the audit log (the 审计管理员's page)."""

from datetime import datetime, time

from django.utils import timezone

from .models import AuditEvent
from .scope import has_permission

# The audit page's "越权访问尝试" filter: 404s for records outside the caller's scope (core.probes).
PROBES = "probes"
PROBE_ACTIONS = ("out_of_scope", "out_of_scope_flood", "clue_probe")


def visible_audit_events(user, *, event_type: str = "", username: str = "", date_from=None, date_to=None, outcome: str = ""):
    if not has_permission(user, "audit.view"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if event_type == PROBES:
        events = events.filter(event_type=AuditEvent.EventType.ACCESS_DENIED, action__in=PROBE_ACTIONS)
    elif event_type:
        events = events.filter(event_type=event_type)
    if outcome:
        events = events.filter(outcome=outcome)
    if username:
        events = events.filter(actor_username__icontains=username)
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(created_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return events.order_by("-seq")
