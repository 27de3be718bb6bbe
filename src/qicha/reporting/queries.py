"""Every read of monthly reporting, scope applied here: periods, submissions, the units × months matrix with
及时率 and 完整率, one period's rows for the API, the liaison's own card, and the 工作台 to-dos.

Derived, never stored: a cell's state (未报 / 已报待接收 / 按时 / 逾期 / 退回 / 已接收), on time (the Beijing date of
the latest submission on or before the due date), and the rates. Rates per unit count the periods whose due date
has passed (已截止); a period still open is shown but does not lower anyone's rate.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from qicha.campaigns.queries import visible_campaigns
from qicha.core.errors import NotFound
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter, units_in_scope

from .models import REPORTED_STATUSES, ReportingPeriod, Status, Submission

VIEW_PERMISSIONS = ("report.view", "report.prepare", "report.approve", "report.review")


def can_view(user) -> bool:
    return any(has_permission(user, p) for p in VIEW_PERMISSIONS)


def visible_periods(user, campaign=None):
    if not can_view(user):
        return ReportingPeriod.objects.none()
    periods = ReportingPeriod.objects.filter(campaign__in=visible_campaigns(user)).select_related("campaign")
    if campaign is not None:
        periods = periods.filter(campaign=campaign)
    return periods.order_by("campaign", "year", "month")


def get_period(user, period_id) -> ReportingPeriod:
    period = visible_periods(user).filter(pk=parse_id(period_id)).first()
    if period is None:
        raise NotFound()
    return period


def visible_submissions(user):
    return Submission.objects.filter(scope_filter(user, "report.view", unit_field="unit")).select_related(
        "period", "period__campaign", "unit")


def get_submission(user, submission_id) -> Submission:
    submission = (visible_submissions(user).select_related("prepared_by", "approved_by", "submitted_by",
                                                           "reviewed_by")
                  .filter(pk=parse_id(submission_id)).first())
    if submission is None:
        raise NotFound()
    return submission


def expected_units(user, campaign):
    """The campaign's participating units in the user's scope, in tree order: the matrix's rows."""
    return units_in_scope(user, "report.view").filter(campaigns=campaign).order_by("path")


def submitted_on(submission: Submission | None) -> date | None:
    if submission is None or submission.submitted_at is None:
        return None
    return timezone.localdate(submission.submitted_at)


def on_time(submission: Submission | None) -> bool | None:
    """True / False once submitted (even if later returned); None while never submitted."""
    day = submitted_on(submission)
    return None if day is None else day <= submission.period.due_date


def api_status(submission: Submission | None) -> str:
    if submission is None or submission.status in (Status.DRAFT, Status.PENDING_APPROVAL):
        return "missing"
    return submission.status


@dataclass
class Cell:
    period: ReportingPeriod
    submission: Submission | None
    state: str  # missing, overdue_missing, draft, pending_approval, submitted, returned, accepted
    label: str
    style: str
    on_time: bool | None
    day: date | None

    @property
    def reported(self) -> bool:
        return self.submission is not None and self.submission.status in REPORTED_STATUSES

    @property
    def timely(self) -> bool:
        return self.reported and bool(self.on_time)

    @property
    def url(self) -> str:
        """The submission once sent, else the period (built here: a city's matrix has thousands of cells)."""
        if self.submission is not None and self.submission.submitted_at:
            return f"/reporting/submissions/{self.submission.pk}/"
        return f"/reporting/periods/{self.period.pk}/"


def cell_for(period: ReportingPeriod, submission: Submission | None, today: date) -> Cell:
    day = submitted_on(submission)
    timely = None if day is None else day <= period.due_date  # `on_time`, without converting the time twice
    status = submission.status if submission else None
    if status in (None, Status.DRAFT, Status.PENDING_APPROVAL):
        late = today > period.due_date
        label = "逾期未报" if late else "未报"
        if status == Status.PENDING_APPROVAL:
            label += "（待领导审核）"
        elif status == Status.DRAFT:
            label += "（草稿）"
        return Cell(period, submission, status or ("overdue_missing" if late else "missing"), label,
                    "red" if late else "secondary", None, None)
    if status == Status.RETURNED:
        # A returned report counts as not reported: the cell shows 退回 and its date, not 按时 / 逾期.
        return Cell(period, submission, status, "退回", "orange", None, day)
    if status == Status.ACCEPTED:
        return Cell(period, submission, status, "已接收", "green", timely, day)
    return Cell(period, submission, status, "已报待接收", "azure", timely, day)


def _rate(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


class Rates:
    """及时率 = on-time reports / expected; 完整率 = reports / expected (for a unit, a month or the whole table)."""

    @property
    def timely_rate(self):
        return _rate(self.timely, self.expected)

    @property
    def complete_rate(self):
        return _rate(self.reported, self.expected)


@dataclass
class MatrixRow(Rates):
    unit: object
    cells: list[Cell]
    expected: int = 0  # periods already due
    reported: int = 0
    timely: int = 0


@dataclass
class PeriodStats(Rates):
    period: ReportingPeriod
    expected: int
    reported: int
    timely: int
    closed: bool  # the due date has passed

    # A month not yet due is not scored (as in the unit totals): its reports so far are counts, not a rate.
    @property
    def timely_rate(self):
        return super().timely_rate if self.closed else None

    @property
    def complete_rate(self):
        return super().complete_rate if self.closed else None


@dataclass
class Matrix(Rates):
    periods: list[ReportingPeriod]
    rows: list[MatrixRow] = field(default_factory=list)
    stats: list[PeriodStats] = field(default_factory=list)
    expected: int = 0
    reported: int = 0
    timely: int = 0
    page: object = None  # the shown rows' page (django.core.paginator.Page) when the matrix is paged


def opened_periods(user, campaign, today: date | None = None) -> list[ReportingPeriod]:
    """Periods that have begun (start on or before today), oldest first."""
    today = today or timezone.localdate()
    return list(visible_periods(user, campaign).filter(start__lte=today))


MATRIX_UNITS_PER_PAGE = 50


def in_time(periods: list[ReportingPeriod]) -> Q:
    """Submissions of these periods sent on time: on or before the due date, Beijing time — before the next day's
    midnight (what `on_time` reads)."""
    condition = Q(pk__in=[])
    for period in periods:
        midnight = timezone.make_aware(datetime.combine(period.due_date + timedelta(days=1), time.min))
        condition |= Q(period=period, submitted_at__lt=midnight)
    return condition


def matrix(user, campaign, today: date | None = None, page_number=None) -> Matrix:
    """Units (in scope) × opened months, with per-unit, per-month and overall 及时率 and 完整率.

    With a `page_number` the rows are one page of `MATRIX_UNITS_PER_PAGE` units (`Matrix.page`); the month and overall
    rates still count every unit in scope. A city's table has thousands of cells: every cell is scored from three
    fields, and only the shown rows' cells are built."""
    today = today or timezone.localdate()
    periods = opened_periods(user, campaign, today)
    units = list(expected_units(user, campaign))
    by_period, by_unit = {p.pk: p for p in periods}, {u.pk: u for u in units}
    result = Matrix(periods=periods)
    shown = units
    if page_number is not None:
        result.page = Paginator(units, MATRIX_UNITS_PER_PAGE).get_page(page_number)
        shown = list(result.page.object_list)
    per_period = {p.pk: PeriodStats(p, len(units), 0, 0, today > p.due_date) for p in periods}
    # Ids, not instances: normalising 300 model instances into query parameters costs more than the query.
    submissions = visible_submissions(user).select_related(None).filter(
        period__in=[p.pk for p in periods], unit__in=list(by_unit))
    # Scored as Cell.reported and Cell.timely score a cell, counted by the database (one row per month).
    for period_id, reported, timely in (
            submissions.filter(status__in=REPORTED_STATUSES).order_by().values("period_id")
            .annotate(reported=Count("pk"), timely=Count("pk", filter=in_time(periods)))
            .values_list("period_id", "reported", "timely")):
        per_period[period_id].reported, per_period[period_id].timely = reported, timely
    found = {}
    for s in submissions.filter(unit__in=[u.pk for u in shown]).only("id", "period_id", "unit_id", "status", "submitted_at"):
        s.period, s.unit = by_period[s.period_id], by_unit[s.unit_id]
        found[(s.period_id, s.unit_id)] = s
    for unit in shown:
        row = MatrixRow(unit=unit, cells=[])
        for period in periods:
            cell = cell_for(period, found.get((period.pk, unit.pk)), today)
            row.cells.append(cell)
            if today > period.due_date:
                row.expected += 1
                row.reported += cell.reported
                row.timely += cell.timely
        result.rows.append(row)
    result.stats = [per_period[p.pk] for p in periods]
    closed = [stats for stats in result.stats if stats.closed]
    result.expected = sum(stats.expected for stats in closed)
    result.reported = sum(stats.reported for stats in closed)
    result.timely = sum(stats.timely for stats in closed)
    return result


@dataclass
class Tally:
    """`matrix`'s totals without its cells (the cockpit's figures): per expected unit the months it reported on time
    among those already due, and per opened month the units of a subtree that reported, and on time."""
    periods: list[ReportingPeriod]
    units: list  # the expected units (pk, path), in tree order
    timely_by_unit: dict  # unit id → on-time reports in months already due
    by_period: dict  # period id → (reported, timely) over the units under `under`
    under_units: int  # how many expected units lie under `under` (all of them without one)
    today: date

    @property
    def closed(self) -> list[ReportingPeriod]:
        return [p for p in self.periods if self.today > p.due_date]

    def late(self, unit_id: int) -> int:
        """Months already due that the unit reported late or not at all (`row.expected - row.timely` in `matrix`)."""
        return len(self.closed) - self.timely_by_unit.get(unit_id, 0)


def tally(user, campaign, today: date | None = None, under=None) -> Tally:
    """What `matrix` scores, counted by the database in two grouped queries (a city's matrix is 3,600 cells):
    on-time reports per unit over the months already due, and reports / on-time reports per month over the units
    under the unit `under` (with its sub-units; every unit without one)."""
    today = today or timezone.localdate()
    periods = opened_periods(user, campaign, today)
    units = list(expected_units(user, campaign).values_list("pk", "path"))
    closed = [p for p in periods if today > p.due_date]
    reported = (visible_submissions(user).select_related(None).filter(
        status__in=REPORTED_STATUSES, unit__in=[pk for pk, _ in units]).order_by())
    timely_by_unit = dict(reported.filter(in_time(closed)).values("unit_id").annotate(n=Count("pk"))
                          .values_list("unit_id", "n")) if closed else {}
    in_focus = [pk for pk, path in units if under is None or path.startswith(under.path)]
    by_period = {period_id: (n, timely) for period_id, n, timely in (
        reported.filter(period__in=periods, unit__in=in_focus).values("period_id")
        .annotate(n=Count("pk"), timely=Count("pk", filter=in_time(periods)))
        .values_list("period_id", "n", "timely"))} if periods and in_focus else {}
    return Tally(periods, units, timely_by_unit, by_period, len(in_focus), today)


@dataclass
class Timeliness:
    """The 工作台's line on monthly reporting for those who oversee several units (R-REP-4)."""
    matrix: Matrix
    current: PeriodStats | None  # this month's report so far (not scored until due)

    @property
    def closed_months(self) -> int:
        return sum(1 for stats in self.matrix.stats if stats.closed)


@dataclass
class PeriodRow:
    unit: object
    submission: Submission | None

    @property
    def status(self) -> str:
        return api_status(self.submission)

    @property
    def submitted_at(self):
        return self.submission.submitted_at if self.submission else None

    @property
    def on_time(self):
        return on_time(self.submission)


def period_rows(user, period: ReportingPeriod) -> list[PeriodRow]:
    """One row per expected unit (in scope) of a period, with its submission or none."""
    units = list(expected_units(user, period.campaign))
    found = {s.unit_id: s for s in visible_submissions(user).filter(period=period, unit__in=units)}
    return [PeriodRow(unit, found.get(unit.pk)) for unit in units]


def current_period(user, campaign, today: date | None = None) -> ReportingPeriod | None:
    """本月报送: the first period not yet past its due date (on the due day itself, that day's period)."""
    today = today or timezone.localdate()
    return current_of(list(visible_periods(user, campaign)), today)


def current_of(periods: list[ReportingPeriod], today: date) -> ReportingPeriod | None:
    """`current_period` among periods in order: the one running today, else the next one due."""
    return (next((p for p in periods if p.due_date >= today and p.start <= today), None)
            or next((p for p in periods if p.due_date >= today), None))


def own_submission(user, period: ReportingPeriod) -> Submission | None:
    if user.unit_id is None:
        return None
    return visible_submissions(user).filter(period=period, unit_id=user.unit_id).first()


def is_reporting_unit(user, campaign) -> bool:
    return bool(user.unit_id) and campaign.participating_units.filter(pk=user.unit_id).exists()


@dataclass
class TodoRow:
    label: str
    detail: str
    url: str


def to_prepare(user, today: date | None = None):
    """待报送的月报: the periods begun in active campaigns the user's unit reports to, with no report from the unit yet
    or only a draft or a returned one."""
    if not has_permission(user, "report.prepare") or not user.unit_id:
        return ReportingPeriod.objects.none()
    today = today or timezone.localdate()
    sent = Submission.objects.filter(period=OuterRef("pk"), unit_id=user.unit_id).exclude(
        status__in=(Status.DRAFT, Status.RETURNED))
    return visible_periods(user).filter(start__lte=today, campaign__is_active=True,
                                        campaign__participating_units=user.unit_id).exclude(Exists(sent))


def to_prepare_rows(user, periods: list[ReportingPeriod], today: date | None = None) -> list[TodoRow]:
    today = today or timezone.localdate()
    own = {s.period_id: s for s in visible_submissions(user).filter(period__in=periods, unit_id=user.unit_id)}
    # Named for the due month: in November the 12月报 is the one to send, so say what it covers.
    return [TodoRow(p.report_name, f"{p.schedule} · {cell_for(p, own.get(p.pk), today).label}",
                    f"/reporting/periods/{p.pk}/") for p in periods]


def waiting_for(user, permission: str, status: str):
    """待审核的报送 (report.approve, awaiting the unit leader) or 待接收的报送 (report.review, awaiting the office)."""
    if not has_permission(user, permission):
        return Submission.objects.none()
    return Submission.objects.filter(scope_filter(user, permission, unit_field="unit"), status=status)


def waiting_rows(submissions, limit: int | None) -> list[TodoRow]:
    """The first `limit` of `waiting_for` (all with None), the earliest due first."""
    found = submissions.select_related("period", "unit").order_by("period__due_date", "unit__path")[:limit]
    return [TodoRow(f"{s.unit.name} {s.period}", s.get_status_display(), f"/reporting/submissions/{s.pk}/")
            for s in found]


TODO_LISTS = {"to_prepare": "待报送的月报", "to_approve": "待审核的报送", "to_accept": "待接收的报送"}


def todo_rows(user, name: str, today: date | None = None) -> list[TodoRow]:
    """Every row of one of the 工作台's reporting to-dos (`TODO_LISTS`), the list its figure opens: as many rows as
    the figure counts (the same querysets as `workbench_lists`)."""
    today = today or timezone.localdate()
    if name == "to_prepare":
        return to_prepare_rows(user, list(to_prepare(user, today).order_by("start")), today)
    permission, status = (("report.approve", Status.PENDING_APPROVAL) if name == "to_approve"
                          else ("report.review", Status.SUBMITTED))
    return waiting_rows(waiting_for(user, permission, status), None)


def workbench_lists(user, campaign, periods: list[ReportingPeriod], today: date) -> dict:
    """The 工作台's reporting figures as querysets, counted together by the caller: the three to-dos and, over the
    campaign's `periods` (visible, in order), what 及时率 / 完整率 count — the same cells `matrix` scores."""
    lists = {
        "to_prepare": to_prepare(user, today),
        "to_approve": waiting_for(user, "report.approve", Status.PENDING_APPROVAL),
        "to_accept": waiting_for(user, "report.review", Status.SUBMITTED),
    }
    if campaign is None or not can_view(user):
        return lists
    units = expected_units(user, campaign)
    reported = visible_submissions(user).filter(unit__in=units.values("pk"), status__in=REPORTED_STATUSES)
    opened = [p for p in periods if p.start <= today]
    closed = [p for p in opened if today > p.due_date]
    current = current_of(periods, today)
    lists |= {
        "expected_units": units,
        "reported": reported.filter(period__in=closed),
        "timely": reported.filter(in_time(closed)),
        "current_reported": reported.filter(period=current) if current in opened else reported.none(),
    }
    return lists


def timeliness_from(periods: list[ReportingPeriod], counts: dict, today: date) -> "Timeliness | None":
    """The 工作台's line on 及时率 / 完整率 from the counts of `workbench_lists`, scored as `matrix` scores them;
    None for a unit's own staff (fewer than two reporting units in scope)."""
    units = counts.get("expected_units", 0)
    if units < 2:
        return None
    opened = [p for p in periods if p.start <= today]
    closed = [p for p in opened if today > p.due_date]
    table = Matrix(periods=opened, expected=units * len(closed), reported=counts["reported"], timely=counts["timely"])
    table.stats = [PeriodStats(p, units, 0, 0, p in closed) for p in closed]
    current = current_of(periods, today)
    stats = PeriodStats(current, units, counts["current_reported"], 0, False) if current in opened else None
    return Timeliness(table, stats)
