"""Reads for the summaries: the drafts, and the campaign's figures in the generating user's data scope.

Every figure is built on the ledgers' own scoped queries (visible_problems, visible_clues, …), so a summary
and the pages it summarises can never disagree.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.campaigns.queries import participants_by_path, participating_unit_of
from qicha.clues.case_queries import visible_cases
from qicha.clues.models import CaseStatus, Result, SectorRectification
from qicha.clues.models import Source as ClueSource
from qicha.clues.models import Status as ClueStatus
from qicha.clues.queries import reply_rate, visible_clues
from qicha.core.errors import NotFound
from qicha.core.scope import has_permission, units_in_scope
from qicha.orgs.models import Unit
from qicha.problems.models import Status
from qicha.problems.queries import Unclosed, overdue_q, unclosed_aggregates, visible_problems, visible_rules
from qicha.reporting.queries import matrix
from qicha.supervision.queries.accountability import AccountabilityFilters
from qicha.supervision.queries.accountability import summary as accountability_summary

from .models import Briefing, Kind, SummaryDraft

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


def _problem_rows(problems, key: str, today: date) -> dict:
    rows = problems.order_by().values(key).annotate(
        found=Count("id"),
        closed=Count("id", filter=Q(status=Status.CLOSED)),
        late=Count("id", filter=overdue_q(today)),
        **unclosed_aggregates(),
    )
    return {r[key]: ProblemRow("", r["found"], r["closed"], Unclosed.from_counts(r), r["late"]) for r in rows}


def _fill(row: ProblemRow, counts: ProblemRow | None) -> ProblemRow:
    if counts is not None:
        row.add(counts)
    return row


def problem_figures(user, campaign: Campaign, today: date) -> tuple[list, list, ProblemRow, int]:
    """By check item, by participating unit, the total, and how many participating units are in scope.

    A unit's row holds its whole subtree (a district's 股/科 roll up into the bureau), as the unit's monthly report
    counts them; a problem outside every participant (e.g. at the office itself) gets a row of its own unit."""
    problems = visible_problems(user).filter(campaign=campaign).exclude(status=Status.VOIDED)
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


def clue_figures(user, campaign: Campaign) -> tuple[list[dict], dict]:
    clues = visible_clues(user).filter(campaign=campaign)
    verified_q = Q(status__in=(ClueStatus.VERIFIED, ClueStatus.CLOSED))
    aggregates = {"received": Count("id"), "verified": Count("id", filter=verified_q),
                  "closed": Count("id", filter=Q(status=ClueStatus.CLOSED))}
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


def summary_figures(user, campaign: Campaign, today: date | None = None) -> Figures:
    today = today or timezone.localdate()
    figures = Figures(campaign=campaign, as_of=today)
    (figures.problems_by_item, figures.problems_by_unit, figures.problem_total,
     figures.participating_units) = problem_figures(user, campaign, today)
    figures.clue_rows, figures.clue_total = clue_figures(user, campaign)
    figures.replies = reply_rate(user, campaign)
    figures.cases = case_figures(user, campaign)
    held = accountability_summary(user, AccountabilityFilters(campaign=campaign.pk))
    figures.accountability = [(label, held.by_form[value]) for value, label in held.forms]
    figures.accountability_total = held.total
    figures.rules = list(visible_rules(user, campaign).order_by("issued_on", "id"))
    figures.reporting, figures.reporting_total = reporting_figures(user, campaign, today)
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
