"""Reads for the summaries: the drafts, and the campaign's figures in the generating user's data scope.

Every figure is built on the ledgers' own scoped queries (visible_problems, visible_clues, …), so a summary
and the pages it summarises can never disagree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Count, F, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from qicha.campaigns.models import Campaign, Phase
from qicha.campaigns.queries import coverage, participants_by_path, participating_unit_of
from qicha.clues.case_queries import visible_cases
from qicha.clues.models import CaseStatus, Result, SectorRectification
from qicha.clues.models import Source as ClueSource
from qicha.clues.models import Status as ClueStatus
from qicha.clues.queries import reply_rate, visible_clues
from qicha.core import registry
from qicha.core.errors import NotFound
from qicha.core.models import AuditEvent
from qicha.core.scope import has_permission, scope_filter, units_in_scope
from qicha.core.workbench import TodoRow
from qicha.orgs.models import Unit
from qicha.problems.models import ACTIVE_STATUSES, Status
from qicha.problems.queries import UNCLOSED_PARTS, Unclosed, visible_problems, visible_rules
from qicha.reporting.queries import matrix
from qicha.supervision.queries.accountability import AccountabilityFilters
from qicha.supervision.queries.accountability import summary as accountability_summary

from . import unit_workflow
from .models import HANDED_IN, Briefing, Kind, SummaryDraft, UnitSummary, UnitSummaryStatus

PERMISSION = "summary.edit"


def get_kind(kind: str) -> Kind:
    if kind not in Kind.values:
        raise NotFound()
    return Kind(kind)


def draft_of(user, campaign: Campaign, kind: str) -> SummaryDraft | None:
    """The saved draft, if any; only for those who write summaries (others are told it does not exist)."""
    if not has_permission(user, PERMISSION):
        raise NotFound()
    return SummaryDraft.objects.filter(campaign=campaign, kind=get_kind(kind)).select_related("updated_by").first()


def due_date(campaign: Campaign, kind: str) -> date | None:
    return campaign.stage_summary_due if kind == Kind.STAGE else campaign.final_summary_due


# ---- 单位总结: the units' own summaries and the office's collection of them ----

def visible_unit_summaries(user, campaign: Campaign):
    """The units' summaries `user` may see (summary.view: the office all, a unit its own subtree)."""
    return (UnitSummary.objects.filter(scope_filter(user, unit_workflow.VIEW), campaign=campaign)
            .select_related("unit", "file", "prepared_by", "submitted_by", "reviewed_by"))


# The 工作台's 单位总结 to-dos: name → (label, the permission that makes it a to-do, the status it waits in).
SUMMARY_TODOS = {"summaries_to_accept": ("待接收的单位总结", unit_workflow.REVIEW, UnitSummaryStatus.SUBMITTED),
                 "summaries_returned": ("被退回的本单位总结", unit_workflow.SUBMIT, UnitSummaryStatus.RETURNED)}


def summary_todos(user, campaign: Campaign) -> dict:
    """{name: the summaries waiting in that to-do} for the to-dos `user` has, both kinds (阶段性总结 and 工作总结)."""
    return {name: UnitSummary.objects.filter(scope_filter(user, permission), campaign=campaign, status=status)
            for name, (_, permission, status) in SUMMARY_TODOS.items() if has_permission(user, permission)}


def summary_todo_rows(summaries, limit: int | None = None) -> list:
    """The to-do's rows, the first handed in first (all of them with no `limit`)."""
    rows = []
    for s in summaries.select_related("unit").order_by("submitted_at", "id")[:limit]:
        detail = (f"退回理由：{s.return_reason}" if s.status == UnitSummaryStatus.RETURNED
                  else f"提交于 {timezone.localtime(s.submitted_at):%Y-%m-%d %H:%M}" if s.submitted_at else "")
        rows.append(TodoRow(f"/documents/units/{s.pk}/", str(s), detail, pk=s.pk))
    return rows


def get_unit_summary(user, campaign: Campaign, pk) -> UnitSummary:
    summary = visible_unit_summaries(user, campaign).filter(pk=pk).first()
    if summary is None:
        raise NotFound()
    return summary


def own_unit_summary(user, campaign: Campaign, kind: str) -> UnitSummary | None:
    if user.unit_id is None:
        return None
    return visible_unit_summaries(user, campaign).filter(kind=get_kind(kind), unit_id=user.unit_id).first()


@dataclass
class CollectionRow:
    """One participating unit in the office's collection: its summary (None: never written) and its timeliness."""

    unit: Unit
    summary: "UnitSummary | None"
    due: date | None
    today: date

    @property
    def status_label(self) -> str:
        return self.summary.get_status_display() if self.summary else UnitSummaryStatus.DRAFT.label

    @property
    def status(self) -> str:
        return self.summary.status if self.summary else UnitSummaryStatus.DRAFT

    @property
    def handed_in(self) -> bool:
        return self.status in HANDED_IN

    @property
    def submitted_on(self) -> date | None:
        at = self.summary.submitted_at if self.summary else None
        return timezone.localdate(at) if at else None

    @property
    def days_late(self) -> int:
        """Days past the due date: of the submission when handed in, of today when still not handed in."""
        if self.due is None:
            return 0
        day = self.submitted_on if self.handed_in else self.today
        return max(0, (day - self.due).days) if day else 0

    @property
    def late(self) -> bool:
        return self.days_late > 0


@dataclass
class Collection:
    kind: Kind
    due: date | None
    rows: list[CollectionRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def handed_in(self) -> int:
        return sum(1 for r in self.rows if r.handed_in)

    @property
    def accepted(self) -> int:
        return self.count(UnitSummaryStatus.ACCEPTED)

    @property
    def returned(self) -> int:
        return self.count(UnitSummaryStatus.RETURNED)

    @property
    def late(self) -> list[CollectionRow]:
        return [r for r in self.rows if r.late]


def collection(user, campaign: Campaign, kind: str, today: date | None = None) -> Collection:
    """Every participating unit in `user`'s scope with its summary of `kind`: who has handed in, who is late."""
    kind = get_kind(kind)
    today = today or timezone.localdate()
    units = units_in_scope(user, unit_workflow.VIEW).filter(campaigns=campaign).order_by("path")
    summaries = {s.unit_id: s for s in visible_unit_summaries(user, campaign).filter(kind=kind)}
    due = due_date(campaign, kind)
    return Collection(kind, due, [CollectionRow(unit, summaries.get(unit.pk), due, today) for unit in units])


def accepted_unit_summaries(user, campaign: Campaign, kind: str) -> list[UnitSummary]:
    """What the office's own summary may quote: the accepted summaries of `kind` it can see, in unit order."""
    return list(visible_unit_summaries(user, campaign).filter(kind=get_kind(kind), status=UnitSummaryStatus.ACCEPTED)
                .order_by("unit__path"))


def rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def fmt_rate(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%".replace(".0%", "%")


@dataclass
class ProblemRow:
    label: str
    found: int = 0
    closed: int = 0
    unclosed: Unclosed = field(default_factory=Unclosed)  # 未销号, with its parts
    overdue: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.closed, self.found)

    def add(self, other: "ProblemRow") -> None:
        self.found += other.found
        self.closed += other.closed
        self.unclosed += other.unclosed
        self.overdue += other.overdue


@dataclass
class Figures:
    campaign: Campaign
    as_of: date
    problems_by_item: list[ProblemRow] = field(default_factory=list)
    problems_by_unit: list[ProblemRow] = field(default_factory=list)  # one row per participating unit (its subtree)
    participating_units: int = 0  # in the user's scope: the units the campaign organised
    problem_total: ProblemRow = field(default_factory=lambda: ProblemRow("合计"))
    clue_rows: list[dict] = field(default_factory=list)  # by source, then 合计 last
    clue_total: dict = field(default_factory=dict)
    replies: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)
    accountability: list[tuple[str, int]] = field(default_factory=list)
    accountability_total: int = 0
    rules: list = field(default_factory=list)
    reporting: list[dict] = field(default_factory=list)  # one row per opened month
    reporting_total: dict = field(default_factory=dict)  # over the months already due
    coverage: "CoverageFigures | None" = None
    phases: list["PhaseFigures"] = field(default_factory=list)
    extra_tables: list = field(default_factory=list)  # core.registry.SummaryTable: one per built-in sector ledger


@dataclass
class CoverageFigures:
    """自查覆盖 as the coverage matrix shows it: participating units in scope × check items."""

    units: int = 0
    items: int = 0
    complete_units: int = 0  # units that answered every item
    filled: int = 0
    expected: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.filled, self.expected)


@dataclass
class PhaseFigures:
    """What happened within one phase's dates: registered, signed off, clues received and verified, rules issued."""

    label: str
    start: date | None
    end: date | None
    found: int = 0
    closed: int = 0
    clues_received: int = 0
    clues_verified: int = 0
    rules: list = field(default_factory=list)


def end_of(day: date) -> datetime:
    """The first instant after `day` (local time): "as of 6月23日" counts what happened on the 23rd too."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def problems_as_of(problems, as_of: date, today: date):
    """The problems registered by `as_of`, each with `status_then`: its status at the end of that day, read from
    the audit trail (the last transition's status), so a summary dated at a stage's end counts that day's state."""
    if as_of >= today:
        return problems.annotate(status_then=F("status"))
    transitions = AuditEvent.objects.filter(object_type="problems.problem",
                                            object_id=Cast(OuterRef("pk"), output_field=CharField()),
                                            event_type="transition", outcome="success")
    # The status after the last move by then; else the status before the first move after it; else it never moved.
    last = (transitions.filter(created_at__lt=end_of(as_of)).order_by("-seq")
            .annotate(then=KeyTextTransform("status", "after")).values("then")[:1])
    first_later = (transitions.filter(created_at__gte=end_of(as_of)).order_by("seq")
                   .annotate(then=KeyTextTransform("status", "before")).values("then")[:1])
    return (problems.filter(created_at__lt=end_of(as_of))
            .annotate(status_then=Coalesce(Subquery(last, output_field=CharField()),
                                           Subquery(first_later, output_field=CharField()), F("status"))))


def _problem_rows(problems, key: str, as_of: date) -> dict:
    rows = problems.order_by().values(key).annotate(
        found=Count("id"),
        closed=Count("id", filter=Q(status_then=Status.CLOSED)),
        late=Count("id", filter=Q(status_then__in=ACTIVE_STATUSES, deadline__lt=as_of)),
        **{status: Count("id", filter=Q(status_then=status)) for status, _ in UNCLOSED_PARTS},
    )
    return {r[key]: ProblemRow("", r["found"], r["closed"], Unclosed.from_counts(r), r["late"]) for r in rows}


def _fill(row: ProblemRow, counts: ProblemRow | None) -> ProblemRow:
    if counts is not None:
        row.add(counts)
    return row


def problem_figures(user, campaign: Campaign, today: date, now: date | None = None) -> tuple[list, list, ProblemRow, int]:
    """By check item, by participating unit, the total, and how many participating units are in scope.

    A unit's row holds its whole subtree (a district's 股/科 roll up into the bureau), as the unit's monthly report
    counts them; a problem outside every participant (e.g. at the office itself) gets a row of its own unit."""
    problems = problems_as_of(visible_problems(user).filter(campaign=campaign), today, now or timezone.localdate())
    problems = problems.exclude(status_then=Status.VOIDED)
    by_item = _problem_rows(problems, "check_item_id", today)
    items = [_fill(ProblemRow(str(item)), by_item.get(item.pk)) for item in campaign.check_items.order_by("ordinal")]
    if None in by_item:
        items.append(_fill(ProblemRow("其他（未对应查摆事项）"), by_item[None]))
    participants = participants_by_path(campaign)
    by_owner: dict[str, ProblemRow] = {}  # the path of the row's unit → its figures
    pk_to_path = {pk: path for path, pk in participants.items()}
    for path, counts in _problem_rows(problems, "unit__path", today).items():
        owner = participating_unit_of(path, participants)
        by_owner.setdefault(pk_to_path[owner] if owner is not None else path, ProblemRow("")).add(counts)
    # Every participating unit in scope is listed, those with nothing found too; then any other unit with problems.
    listed = units_in_scope(user, "problem.view").filter(campaigns=campaign)
    in_scope = listed.count()
    rows = Unit.objects.filter(Q(pk__in=listed.values("pk")) | Q(path__in=list(by_owner))).order_by("path")
    units = [_fill(ProblemRow(u.name), by_owner.get(u.path)) for u in rows]
    total = ProblemRow("合计")
    for counts in by_owner.values():
        total.add(counts)
    return items, units, total, in_scope


CLUE_COLUMNS = ("received", "verified", *Result.values, "closed")


def clue_figures(user, campaign: Campaign, as_of: date | None = None) -> tuple[list[dict], dict]:
    """By source: received, verified (with each result) and closed — by the end of `as_of` when given (a clue
    verified or closed later counts as still in hand on that day)."""
    clues = visible_clues(user).filter(campaign=campaign)
    verified_q = Q(status__in=(ClueStatus.VERIFIED, ClueStatus.CLOSED))
    closed_q = Q(status=ClueStatus.CLOSED)
    if as_of is not None and as_of < timezone.localdate():
        clues = clues.filter(received_date__lte=as_of)
        verified_q &= Q(verified_at__lt=end_of(as_of))
        closed_q &= Q(closed_at__lt=end_of(as_of))
    aggregates = {"received": Count("id"), "verified": Count("id", filter=verified_q),
                  "closed": Count("id", filter=closed_q)}
    aggregates |= {value: Count("id", filter=verified_q & Q(result=value)) for value in Result.values}
    rows = {r["source"]: r for r in clues.order_by().values("source").annotate(**aggregates)}
    out = []
    total = dict.fromkeys(CLUE_COLUMNS, 0) | {"label": "合计"}
    for value, label in ClueSource.choices:
        if value in rows:
            row = {c: rows[value][c] for c in CLUE_COLUMNS} | {"label": label}
            out.append(row)
            for c in CLUE_COLUMNS:
                total[c] += row[c]
    return out, total


def case_figures(user, campaign: Campaign) -> dict:
    cases = visible_cases(user).filter(campaign=campaign)
    counts = cases.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status__in=(CaseStatus.OPEN, CaseStatus.INVESTIGATING))),
        concluded=Count("id", filter=Q(status=CaseStatus.CONCLUDED)),
        closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
    )
    rectified = SectorRectification.objects.filter(case__in=cases.values("pk"))
    counts["rectified"] = rectified.count()
    counts["rectification_problems"] = (
        visible_problems(user).filter(sector_rectifications__in=rectified.values("pk")).distinct().count())
    return counts


def reporting_figures(user, campaign: Campaign, today: date) -> tuple[list[dict], dict]:
    """月度报送 (R-REP-1): per opened month and over the months already due, from the reporting matrix itself."""
    grid = matrix(user, campaign, today)
    rows = [{"label": s.period.label, "expected": s.expected, "reported": s.reported, "timely": s.timely,
             "closed": s.closed, "timely_rate": s.timely_rate, "complete_rate": s.complete_rate} for s in grid.stats]
    total = {"expected": grid.expected, "reported": grid.reported, "timely": grid.timely,
             "timely_rate": grid.timely_rate, "complete_rate": grid.complete_rate}
    return rows, total


def coverage_figures(user, campaign: Campaign) -> CoverageFigures:
    matrix = coverage(user, campaign)
    totals = matrix.totals
    missing = totals.get("missing", 0)
    return CoverageFigures(units=len(matrix.rows), items=len(matrix.items),
                           complete_units=sum(1 for row in matrix.rows if row.filled == len(matrix.items)),
                           filled=matrix.expected - missing, expected=matrix.expected)


def phase_figures(user, campaign: Campaign, as_of: date) -> list[PhaseFigures]:
    """Each phase's own figures, counted within its dates (up to `as_of`); phases without dates are listed empty."""
    problems = visible_problems(user).filter(campaign=campaign).exclude(status=Status.VOIDED)
    clues = visible_clues(user).filter(campaign=campaign)
    rules = list(visible_rules(user, campaign).order_by("issued_on", "id"))
    out = []
    for phase in Phase.objects.filter(campaign=campaign).order_by("ordinal"):
        row = PhaseFigures(phase.get_kind_display(), phase.start_date, phase.end_date)
        if phase.start_date is None or phase.start_date > as_of:
            out.append(row)
            continue
        end = min(phase.end_date or as_of, as_of)
        start_at, end_at = end_of(phase.start_date - timedelta(days=1)), end_of(end)
        row.found = problems.filter(created_at__gte=start_at, created_at__lt=end_at).count()
        row.closed = problems.filter(status=Status.CLOSED, sign_off__signed_at__gte=start_at,
                                     sign_off__signed_at__lt=end_at).count()
        row.clues_received = clues.filter(received_date__gte=phase.start_date, received_date__lte=end).count()
        row.clues_verified = clues.filter(verified_at__gte=start_at, verified_at__lt=end_at).count()
        row.rules = [r for r in rules if r.issued_on and phase.start_date <= r.issued_on <= end]
        out.append(row)
    return out


def stage_end(campaign: Campaign) -> date | None:
    """The day the 阶段性总结 reports at: the end of 集中整改, or the stage summary's due date if that comes first
    (the seed's "6月23日前形成阶段性工作总结" falls inside the phase)."""
    phase = Phase.objects.filter(campaign=campaign, kind=Phase.Kind.RECTIFY).first()
    ends = [d for d in (phase.end_date if phase else None, campaign.stage_summary_due) if d]
    return min(ends) if ends else None


def default_as_of(campaign: Campaign, kind: str) -> date:
    """Stage: the stage's end (today while the stage runs); final: today."""
    today = timezone.localdate()
    if kind == Kind.STAGE and (end := stage_end(campaign)) is not None and end < today:
        return end
    return today


def summary_figures(user, campaign: Campaign, today: date | None = None) -> Figures:
    """Every figure of a summary as of the end of `today` (default: today)."""
    now = timezone.localdate()
    today = min(today or now, now)
    figures = Figures(campaign=campaign, as_of=today)
    (figures.problems_by_item, figures.problems_by_unit, figures.problem_total,
     figures.participating_units) = problem_figures(user, campaign, today, now)
    figures.clue_rows, figures.clue_total = clue_figures(user, campaign, today)
    figures.replies = reply_rate(user, campaign, received_by=today if today < now else None)
    figures.cases = case_figures(user, campaign)
    held = accountability_summary(user, AccountabilityFilters(campaign=campaign.pk))
    figures.accountability = [(label, held.by_form[value]) for value, label in held.forms]
    figures.accountability_total = held.total
    figures.rules = [r for r in visible_rules(user, campaign).order_by("issued_on", "id")
                     if r.issued_on is None or r.issued_on <= today]
    figures.reporting, figures.reporting_total = reporting_figures(user, campaign, today)
    figures.coverage = coverage_figures(user, campaign)
    figures.phases = phase_figures(user, campaign, today)
    figures.extra_tables = registry.summary_tables(user, today)
    return figures


def visible_briefings(user, campaign: Campaign):
    """The 简报 of a campaign, for those who write them (summary.edit); nobody else has any."""
    if not has_permission(user, PERMISSION):
        return Briefing.objects.none()
    return Briefing.objects.filter(campaign=campaign).select_related("created_by")


def get_briefing(user, campaign: Campaign, briefing_id: int):
    briefing = visible_briefings(user, campaign).filter(pk=briefing_id).first()
    if briefing is None:
        raise NotFound()
    return briefing
