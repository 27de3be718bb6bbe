"""Reporting periods (报送期): generated for a campaign's span, or opened one at a time by the office."""

import calendar
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.core.versioning import claim_version
from qicha.jobs.services import start_job

from ..models import ReportingPeriod

PERIOD_FIELDS = ["campaign", "year", "month", "start", "end", "due_date", "requires_approval", "lock_after_due"]


def _day(year: int, month: int, day: int) -> date:
    """`day` of that month, or its last day when the month is shorter (a due day of 31 in June is the 30th)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def period_dates(year: int, month: int, due_day: int) -> tuple[date, date, date]:
    """(start, end, due date) of the report named for `month`: due on its `due_day`, covering the days after the
    previous month's due day up to the day before this one (每月21日前报送: 上月21日至本月20日)."""
    due = _day(year, month, due_day)
    prev_year, prev_month = (year - 1, 12) if month == 1 else (year, month - 1)
    start = _day(prev_year, prev_month, due_day)
    return start, due - timedelta(days=1), due


def campaign_span(campaign: Campaign) -> tuple[date, date]:
    phases = list(campaign.phases.all())
    starts = [p.start_date for p in phases if p.start_date]
    ends = [p.end_date for p in phases if p.end_date]
    if not starts or not ends:
        raise Invalid("该专项行动的阶段尚未设置起止日期，无法生成报送期。")
    return min(starts), max(ends)


def _check(actor, campaign: Campaign) -> None:
    if not has_permission(actor, "report.review"):
        raise NotFound()
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再设置报送期。")


def _create(actor, campaign: Campaign, year: int, month: int, requires_approval: bool, lock_after_due: bool,
            span_start: date | None = None) -> ReportingPeriod:
    start, end, due = period_dates(year, month, campaign.report_due_day)
    if span_start and start < span_start:
        start = span_start
    period = ReportingPeriod.objects.create(
        campaign=campaign, year=year, month=month, start=start, end=end, due_date=due,
        requires_approval=requires_approval, lock_after_due=lock_after_due, created_by=actor,
    )
    record_event(EventType.CREATE, actor=actor, obj=period, after=snapshot(period, PERIOD_FIELDS))
    return period


def generate_periods(actor, campaign: Campaign) -> list[ReportingPeriod]:
    """One period per month whose due date falls within the campaign's phases; existing months are kept."""
    _check(actor, campaign)
    span_start, span_end = campaign_span(campaign)
    existing = set(ReportingPeriod.objects.filter(campaign=campaign).values_list("year", "month"))
    created = []
    year, month = span_start.year, span_start.month
    with transaction.atomic():
        while (year, month) <= (span_end.year, span_end.month):
            due = _day(year, month, campaign.report_due_day)
            if span_start <= due <= span_end and (year, month) not in existing:
                created.append(_create(actor, campaign, year, month, True, False, span_start))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return created


def open_period(actor, campaign: Campaign, year: int, month: int, *, requires_approval: bool = True,
                lock_after_due: bool = False) -> ReportingPeriod:
    """Open one month's period by hand (a month outside the phases, or after the due day was changed)."""
    _check(actor, campaign)
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "请填写正确的年份。"
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["month"] = "月份应为 1 至 12。"
    if errors:
        raise Invalid(details=errors)
    if ReportingPeriod.objects.filter(campaign=campaign, year=year, month=month).exists():
        raise Invalid(details={"month": f"{year}年{month}月的报送期已存在。"})
    try:
        with transaction.atomic():
            return _create(actor, campaign, year, month, requires_approval, lock_after_due)
    except IntegrityError as exc:
        raise Conflict(f"{year}年{month}月的报送期刚刚已由他人设置，请刷新页面。") from exc


def update_period(actor, period: ReportingPeriod, *, version: int | None, requires_approval: bool,
                  lock_after_due: bool) -> ReportingPeriod:
    """The office's two switches: whether a unit leader approves before submission, and locking after the due date."""
    _check(actor, period.campaign)
    with transaction.atomic():
        before = snapshot(period, PERIOD_FIELDS)
        claim_version(period, version)
        period.requires_approval = bool(requires_approval)
        period.lock_after_due = bool(lock_after_due)
        period.save(update_fields=["requires_approval", "lock_after_due"])
        record_event(EventType.SETTING_CHANGE, actor=actor, obj=period, before=before,
                     after=snapshot(period, PERIOD_FIELDS))
    return period


def check_rollup(actor) -> None:
    """Only the office (report.review) builds the city-wide roll-up; to anyone else it does not exist."""
    if not has_permission(actor, "report.review"):
        raise NotFound()


def start_rollup(actor, period: ReportingPeriod):
    """Start the 全市汇总台账 job for a period (the job checks again when it runs)."""
    check_rollup(actor)
    return start_job(actor, "reporting.rollup", {"period": period.pk})
