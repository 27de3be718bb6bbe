"""Every read of campaigns, self-inspections and coverage, with the data scope applied here."""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from qicha.core.errors import Invalid, NotFound
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter, units_in_scope
from qicha.orgs.models import Unit

from .models import Campaign, CheckItem, Phase, SelfInspection


def visible_campaigns(user):
    if not has_permission(user, "campaign.view"):
        return Campaign.objects.none()
    return Campaign.objects.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("ordinal")),
        Prefetch("check_items", queryset=CheckItem.objects.order_by("ordinal")),
    ).select_related("organiser")


def get_campaign(user, campaign_id) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def current_campaign(user) -> Campaign | None:
    """The campaign the pages work on: of the active ones, the one that started last (by its first stage); before any
    has started, the one starting first. Next year's campaign, set up in December, stays in the wings until it
    starts, so this year's open problems, reports and summaries stay on every page meanwhile."""
    active = list(visible_campaigns(user).filter(is_active=True))
    if len(active) <= 1:
        return active[0] if active else None
    today = timezone.localdate()
    started = [campaign for campaign in active if campaign_start(campaign) <= today]
    if started:
        return max(started, key=lambda campaign: (campaign_start(campaign), campaign.pk))
    return min(active, key=lambda campaign: (campaign_start(campaign), campaign.pk))


def campaign_start(campaign: Campaign) -> date:
    """The first day of its first stage (from prefetched phases); 1 January of its year when no stage has a date."""
    starts = [phase.start_date for phase in campaign.phases.all() if phase.start_date]
    return min(starts) if starts else date(campaign.year, 1, 1)


def manageable_units(user):
    """The active units a campaign manager may make organiser or participant of a new campaign, in tree order."""
    return units_in_scope(user, "campaign.manage").filter(is_active=True).order_by("path")


def participating_units_in_scope(user, campaign: Campaign, permission: str = "selfinspection.view"):
    """Participating units whose self-inspection `user` may see, in tree order."""
    return (
        units_in_scope(user, permission)
        .filter(campaigns=campaign)
        .order_by("path")
    )


def get_unit_in_scope(user, campaign: Campaign, unit_id, permission: str = "selfinspection.view") -> Unit:
    unit = participating_units_in_scope(user, campaign, permission).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def visible_self_inspections(user, campaign: Campaign):
    return (
        SelfInspection.objects.filter(campaign=campaign)
        .filter(scope_filter(user, "selfinspection.view", unit_field="unit"))
        .select_related("unit", "check_item", "filled_by")
    )


@dataclass
class UnitAnswers:
    """One unit's answers to every check item, in item order (None where not yet filled)."""

    unit: Unit
    entries: list = field(default_factory=list)  # [(CheckItem, SelfInspection | None)]

    @property
    def filled(self) -> int:
        return sum(1 for _, entry in self.entries if entry is not None)


def unit_answers(user, campaign: Campaign, unit: Unit) -> UnitAnswers:
    items = list(campaign.check_items.all())
    by_item = {
        e.check_item_id: e
        for e in visible_self_inspections(user, campaign).filter(unit=unit)
    }
    return UnitAnswers(unit=unit, entries=[(item, by_item.get(item.pk)) for item in items])


class CoverageState:
    MISSING = "missing"
    FILLED = "filled"
    PROBLEMS = "problems"
    LABELS = {MISSING: "未填报", FILLED: "已填报", PROBLEMS: "有问题"}


def coverage_state(entry: SelfInspection | None, problem_count: int = 0) -> str:
    if entry is None:
        return CoverageState.MISSING
    if problem_count:
        return CoverageState.PROBLEMS
    return CoverageState.FILLED


@dataclass
class CoverageRow:
    unit: Unit
    cells: list  # [(CheckItem, state, SelfInspection | None)]

    @property
    def filled(self) -> int:
        return sum(1 for _, state, _ in self.cells if state != CoverageState.MISSING)


@dataclass
class Coverage:
    campaign: Campaign
    items: list
    rows: list
    problem_counts: dict = field(default_factory=dict)  # (unit id, check item id) → problems attached

    @property
    def totals(self) -> dict:
        counts = {state: 0 for state in CoverageState.LABELS}
        for row in self.rows:
            for _, state, _ in row.cells:
                counts[state] += 1
        return counts

    @property
    def expected(self) -> int:
        return len(self.rows) * len(self.items)

    @property
    def rate(self) -> float:
        return 0.0 if not self.expected else 100.0 * (self.expected - self.totals[CoverageState.MISSING]) / self.expected


def coverage(user, campaign: Campaign, under: Unit | None = None) -> Coverage:
    """The unit × check-item matrix over participating units in the user's coverage scope.

    A constant number of queries whatever the size: units in scope, their self-inspections, and the live problems
    of each unit's subtree per item (`problem_counts_by_cell`): a district's 股/科 count against the bureau's cell.
    """
    items = list(campaign.check_items.all())
    if not has_permission(user, "coverage.view"):
        return Coverage(campaign=campaign, items=items, rows=[])
    units = participating_units_in_scope(user, campaign, "coverage.view")
    if under is not None:
        units = units.filter(path__startswith=under.path)
    units = list(units)
    entries = SelfInspection.objects.filter(campaign=campaign, unit__in=[u.pk for u in units]).filter(
        scope_filter(user, "coverage.view", unit_field="unit")
    ).select_related("filled_by")
    found = {(e.unit_id, e.check_item_id): e for e in entries}
    problem_counts = problem_counts_by_cell(campaign, [u.pk for u in units])
    rows = []
    for unit in units:
        cells = []
        for item in items:
            entry = found.get((unit.pk, item.pk))
            cells.append((item, coverage_state(entry, problem_counts.get((unit.pk, item.pk), 0)), entry))
        rows.append(CoverageRow(unit=unit, cells=cells))
    return Coverage(campaign=campaign, items=items, rows=rows, problem_counts=problem_counts)


@dataclass
class CoverageSummary:
    """The coverage matrix's totals without its cells: what the 工作台 shows (the same numbers as `coverage`)."""

    units: int = 0
    items: int = 0
    missing: int = 0
    problems: int = 0  # answered cells whose unit (with its 股/科) has live problems under the item

    @property
    def expected(self) -> int:
        return self.units * self.items

    @property
    def rate(self) -> float:
        return 0.0 if not self.expected else 100.0 * (self.expected - self.missing) / self.expected


def coverage_summary(user, campaign: Campaign) -> CoverageSummary:
    """`coverage(user, campaign).totals` in three queries whatever the size: the participating units in scope, their
    answers, and every unit under them with, per check item, whether it has a live problem (an index probe each, not a
    count of the ledger); a 股/科's problems count for its nearest participating unit as in the matrix."""
    items = [item.pk for item in campaign.check_items.all()]
    if not has_permission(user, "coverage.view"):
        return CoverageSummary(items=len(items))
    in_scope = participating_units_in_scope(user, campaign, "coverage.view")
    rows = dict(in_scope.values_list("pk", "path"))
    if not rows or not items:
        return CoverageSummary(units=len(rows), items=len(items), missing=len(rows) * len(items))
    # The same units as a subquery: a list of 300 ids costs more to bind than the database takes to join.
    answered = set(SelfInspection.objects.filter(campaign=campaign, unit__in=in_scope.order_by().values("pk")).filter(
        scope_filter(user, "coverage.view", unit_field="unit")).values_list("unit_id", "check_item_id"))
    live = _cell_ledger[0].live().filter(campaign=campaign, unit=OuterRef("pk")) if _cell_ledger else None
    flags = {f"p{item}": Exists(live.filter(check_item=item)) for item in items} if live is not None else {}
    units = Unit.objects.filter(path__startswith=os.path.commonprefix(list(rows.values()))).annotate(
        participates=Exists(Campaign.participating_units.through.objects.filter(campaign=campaign, unit=OuterRef("pk"))),
        **flags).values_list("pk", "path", "participates", *flags)
    participants, with_problems = {}, []
    for pk, path, participates, *found in units:
        if participates:
            participants[path] = pk
        if any(found):
            with_problems.append((path, [item for item, yes in zip(items, found, strict=True) if yes]))
    problem_cells = set()
    for path, found_items in with_problems:  # the owner looked up once per unit, not once per cell
        owner = participating_unit_of(path, participants)
        problem_cells.update((owner, item) for item in found_items)
    cells = {(pk, item) for pk in rows for item in items}
    return CoverageSummary(units=len(rows), items=len(items), missing=len(cells - answered),
                           problems=len(cells & answered & problem_cells))


@dataclass
class CoverageFilters:
    """The coverage page's filters, shared by the page and its export (自查自纠台账): `under` a participating unit
    (with its sub-units), `state` only units with at least one cell in that state. The page has the campaign in its
    path; the export names it as `campaign` (none: the current campaign)."""

    campaign: int | None = None
    under: int | None = None
    state: str = ""
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "CoverageFilters":
        f = cls()
        # Messages read after the filter's name where it has one ("专项行动应为整数"), whole where not.
        for name, message in (("campaign", "应为整数"), ("under", "单位应为整数")):
            raw = str(params.get(name) or "").strip()
            if raw:
                value = parse_id(raw)
                if value is None:
                    f.errors[name] = message
                setattr(f, name, value)
        f.state = str(params.get("state") or "").strip()
        if f.state and f.state not in CoverageState.LABELS:
            f.errors["state"] = "状态取值不正确"
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)


def coverage_under(user, campaign: Campaign, unit_id: int | None) -> Unit | None:
    """The `under` filter's unit: a participating unit in the user's coverage scope, else None."""
    if unit_id is None:
        return None
    return participating_units_in_scope(user, campaign, "coverage.view").filter(pk=unit_id).first()


def coverage_rows(matrix: Coverage, state: str = "") -> list:
    """The rows the page lists: with a state, only the units that have a cell in it (all their cells shown)."""
    if state not in CoverageState.LABELS:
        return matrix.rows
    return [row for row in matrix.rows if any(s == state for _, s, _ in row.cells)]


def participants_by_path(campaign: Campaign) -> dict[str, int]:
    """Path → id of every participating unit of the campaign (one query), for `participating_unit_of`."""
    return dict(campaign.participating_units.values_list("path", "pk"))


def participating_unit_of(path: str, participants: dict[str, int]) -> int | None:
    """The participating unit whose ledgers include a unit's: the unit itself if it participates, else its nearest
    participating ancestor (a district's 股/科 answer through their bureau); None outside every participant.

    The unit path is a materialised path, so the ancestors are its prefixes: no query per unit."""
    for end in range(len(path), 0, -Unit.steplen):
        owner = participants.get(path[:end])
        if owner is not None:
            return owner
    return None


@dataclass(frozen=True)
class CellLedger:
    """Where the problems a coverage cell counts come from. The problem ledger sits above this app and plugs itself in
    (problems/plugins.py calls `use_cell_ledger`), so campaigns imports none of it."""

    live: Callable            # () → every problem that counts (not voided), unscoped
    visible: Callable         # user → the problems the user may see in the ledger
    counts_by_unit_path: Callable  # (problems, by=field) → [(unit path, value of `by`, n)] in one aggregate


_cell_ledger: list[CellLedger] = []


def use_cell_ledger(ledger: CellLedger) -> None:
    _cell_ledger[:] = [ledger]


def cell_problems(problems, campaign: Campaign, paths: list[str]):
    """What the coverage cells of the participating units at `paths` count, taken from `problems` (a query on the
    ledger, scoped or not, already without voided ones): the campaign's problems of those units' subtrees. Whose cell
    each one is in is `participating_unit_of` its unit's path. The matrix counts this set; the self-inspection pages
    list it."""
    # One prefix narrows the scan (a liaison's bureau, or the whole tree for the office); the roll-up drops the rest.
    return problems.filter(campaign=campaign, unit__path__startswith=os.path.commonprefix(paths))


def problem_counts_by_cell(campaign: Campaign, unit_ids: list[int]) -> dict:
    """(participating unit, check item) → live problems in the unit's subtree under that item, from the ledger.

    Two queries whatever the number of units: the participants' paths, and one aggregate over the problems.
    A cell's state is not a list of problems, so no problem scope applies here (the pages listing them apply it)."""
    wanted = set(unit_ids)
    participants = participants_by_path(campaign)
    paths = [path for path, pk in participants.items() if pk in wanted]
    if not paths or not _cell_ledger:
        return {}
    ledger = _cell_ledger[0]
    counts: dict = {}
    problems = cell_problems(ledger.live(), campaign, paths)
    for path, item_id, n in ledger.counts_by_unit_path(problems, by="check_item_id"):
        owner = participating_unit_of(path, participants)
        if owner in wanted and item_id is not None:
            counts[(owner, item_id)] = counts.get((owner, item_id), 0) + n
    return counts


def unit_cell_problems(user, campaign: Campaign, unit: Unit, check_item: CheckItem | None = None) -> dict:
    """Check item id → the problems a participating unit's coverage cells count (`cell_problems`), those the user
    may see in the ledger only, numbered in order; under one item when given. Two queries."""
    if not _cell_ledger:
        return {}
    participants = participants_by_path(campaign)
    problems = cell_problems(_cell_ledger[0].visible(user), campaign, [unit.path]).select_related("unit")
    if check_item is not None:
        problems = problems.filter(check_item=check_item)
    by_item: dict = {}
    for problem in problems.order_by("id"):
        if participating_unit_of(problem.unit.path, participants) == unit.pk:
            by_item.setdefault(problem.check_item_id, []).append(problem)
    return by_item
