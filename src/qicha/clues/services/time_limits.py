"""限时查处: per-source time limits and the 清仓见底 cut-off, both set by the office."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.core.workdays import add_days

from ..models import UNVERIFIED_STATUSES, Clue, DayKind, Source, TimeLimit

# Used until the office sets its own: central and higher-level transfers are the tightest.
DEFAULT_LIMITS = {
    Source.CENTRAL_GROUP: (30, DayKind.CALENDAR),
    Source.HIGHER_OFFICE: (30, DayKind.CALENDAR),
    Source.LEADER_INSTRUCTION: (15, DayKind.WORKING),
    Source.PROACTIVE: (60, DayKind.CALENDAR),
    Source.PUBLIC_REPORT: (60, DayKind.CALENDAR),
    Source.TRANSFER: (30, DayKind.CALENDAR),
}


def limit_for(source: str) -> tuple[int, str]:
    row = TimeLimit.objects.filter(source=source).first()
    return (row.days, row.day_kind) if row else DEFAULT_LIMITS[source]


def all_limits() -> list[dict]:
    return [
        {"source": value, "label": label, "days": limit_for(value)[0], "day_kind": limit_for(value)[1]}
        for value, label in Source.choices
    ]


def due_date_for(source: str, received: date) -> date:
    days, kind = limit_for(source)
    return add_days(received, days, working=kind == DayKind.WORKING)


def set_time_limit(actor, source: str, *, days: int, day_kind: str) -> int:
    """Change one source's limit; unverified clues of that source get their due date recomputed."""
    if not has_permission(actor, "clue.settings"):
        raise NotFound()
    errors = {}
    if source not in Source.values:
        errors["source"] = "线索来源不正确"
    if not isinstance(days, int) or not 1 <= days <= 365:
        errors["days"] = "办理时限应为 1 至 365 天"
    if day_kind not in DayKind.values:
        errors["day_kind"] = "请选择自然日或工作日"
    if errors:
        raise Invalid(details=errors)
    before = limit_for(source)
    with transaction.atomic():
        TimeLimit.objects.update_or_create(source=source, defaults={"days": days, "day_kind": day_kind})
        changed = 0
        for clue in Clue.objects.filter(source=source, status__in=UNVERIFIED_STATUSES).only("pk", "received_date"):
            Clue.objects.filter(pk=clue.pk).update(due_date=due_date_for(source, clue.received_date))
            changed += 1
        record_event(EventType.SETTING_CHANGE, actor=actor, action="clue_time_limit",
                     before={"source": source, "days": before[0], "day_kind": before[1]},
                     after={"source": source, "days": days, "day_kind": day_kind},
                     detail=f"重新计算 {changed} 条未核查线索的办理时限")
    return changed


def cut_off_for(campaign: Campaign) -> date:
    # Set on the campaign (线索清仓见底时限); the work plan's own wording is "6月底前".
    return campaign.clue_clearance_date or date(campaign.year, 6, 30)


def board_cut_off(campaign: Campaign, today: date | None = None) -> date:
    """The board's default date: the campaign's 清仓见底 date until it passes, then today ("持续抓好巩固":
    everything received so far must still be verified)."""
    today = today or timezone.localdate()
    target = cut_off_for(campaign)
    return target if today <= target else today
