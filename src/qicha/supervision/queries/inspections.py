"""Every read of inspections, scope applied here: visible list, detail, the targets and findings a viewer may see,
the draw as the viewer may see it, the inspector's own inspections (工作台) and the risk settings table.

An inspection is visible to whoever sees (supervision.view) one of its inspected units, and to its own inspectors.
Inside it, a viewer whose scope is not the whole tree sees only the inspected units of their scope and their findings.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from qicha.core.errors import Invalid, NotFound
from qicha.core.params import parse_id
from qicha.core.scope import scope_filter, units_in_scope
from qicha.problems.queries import visible_problems

from ..models import (
    Draw,
    Finding,
    Inspection,
    InspectionInspector,
    InspectionKind,
    InspectionStatus,
    InspectionTarget,
    RiskProfile,
)
from ..services import draw as draw_services

VIEW = "supervision.view"
ONGOING = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
ORDER = ("-starts_on", "-id")


def _sees_everything(user) -> bool:
    return scope_filter(user, VIEW) == Q()


def _targets_in_scope(user):
    return InspectionTarget.objects.filter(scope_filter(user, VIEW, unit_field="unit"))


def visible_inspections(user):
    if _sees_everything(user):
        return Inspection.objects.all()
    if scope_filter(user, VIEW) == Q(pk__in=[]):
        return Inspection.objects.none()
    mine = InspectionInspector.objects.filter(user=user).values("inspection_id")
    # A spot check is unannounced (四不两直): the inspected unit learns of a planned 随机抽查 when it starts.
    announced = ~Q(kind=InspectionKind.RANDOM, status=InspectionStatus.PLANNED)
    return Inspection.objects.filter((Q(pk__in=_targets_in_scope(user).values("inspection_id")) & announced)
                                     | Q(pk__in=mine))


@dataclass
class InspectionFilters:
    """The list's filters; the page keeps them in the URL, the API takes the same names."""

    campaign: int | None = None
    kind: str = ""
    status: str = ""
    q: str = ""
    mine: bool = False  # only inspections the viewer takes part in as an inspector
    ongoing: bool = False  # only those planned or under way
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "InspectionFilters":
        f = cls()
        raw = (params.get("campaign") or "").strip()
        if raw:
            f.campaign = parse_id(raw)
            if f.campaign is None:
                f.errors["campaign"] = "应为正整数"
        f.mine = (params.get("mine") or "").strip().lower() in ("1", "true", "on", "yes")
        f.ongoing = (params.get("ongoing") or "").strip().lower() in ("1", "true", "on", "yes")
        f.kind = (params.get("kind") or "").strip()
        if f.kind and f.kind not in InspectionKind.values:
            f.errors["kind"] = "取值不正确"
        f.status = (params.get("status") or "").strip()
        if f.status and f.status not in InspectionStatus.values:
            f.errors["status"] = "取值不正确"
        f.q = (params.get("q") or "").strip()[:100]
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def apply(self, inspections):
        if self.errors:
            return inspections.none()
        if self.campaign:
            inspections = inspections.filter(campaign_id=self.campaign)
        if self.kind:
            inspections = inspections.filter(kind=self.kind)
        if self.status:
            inspections = inspections.filter(status=self.status)
        if self.ongoing:
            inspections = inspections.filter(status__in=ONGOING)
        if self.q:
            inspections = inspections.filter(Q(title__icontains=self.q) | Q(focus__icontains=self.q))
        return inspections


def _only_mine(user, inspections, filters: InspectionFilters):
    if filters.mine:
        inspections = inspections.filter(pk__in=InspectionInspector.objects.filter(user=user).values("inspection_id"))
    return inspections


def inspection_list(user, filters: InspectionFilters):
    """The rows of the list; each carries `shown_targets`, the inspected units the viewer may see."""
    targets = InspectionTarget.objects.select_related("unit")
    if not _sees_everything(user):
        targets = targets.filter(scope_filter(user, VIEW, unit_field="unit"))
    return (
        _only_mine(user, filters.apply(visible_inspections(user)), filters)
        .prefetch_related(Prefetch("targets", queryset=targets, to_attr="shown_targets"), "findings")
        .order_by(*ORDER)
    )


def get_inspection(user, pk) -> Inspection:
    """One inspection the user may see; anything else is NotFound (404)."""
    inspection = visible_inspections(user).select_related("campaign", "created_by").filter(pk=pk).first()
    if inspection is None:
        raise NotFound()
    return inspection


def visible_targets(user, inspection: Inspection) -> list[InspectionTarget]:
    """The inspected units the viewer may see (all for a whole-tree scope; else those of their scope, and the
    ones they inspect), with their inspectors."""
    targets = inspection.targets.select_related("unit").prefetch_related(
        Prefetch("inspectors", queryset=InspectionInspector.objects.select_related("user__unit")))
    if not _sees_everything(user):
        own = InspectionInspector.objects.filter(inspection=inspection, user=user)
        if own.filter(target__isnull=True).exists():
            return list(targets)
        targets = targets.filter(scope_filter(user, VIEW, unit_field="unit") | Q(pk__in=own.values("target_id")))
    return list(targets)


def team(inspection: Inspection) -> list[InspectionInspector]:
    """Inspectors named for the whole inspection (not paired with one unit)."""
    return list(inspection.inspectors.filter(target__isnull=True).select_related("user__unit"))


def visible_findings(user, inspection: Inspection, targets: list[InspectionTarget]) -> list[Finding]:
    """Findings at the inspected units the viewer sees, each with its problem when the viewer may see it."""
    findings = (
        Finding.objects.filter(inspection=inspection, target__in=[t.pk for t in targets])
        .select_related("target__unit", "created_by")
        .order_by("id")
    )
    problems = {p.pk: p for p in visible_problems(user).filter(inspection_finding__in=findings)}
    rows = list(findings)
    for f in rows:
        f.visible_problem = problems.get(f.problem_id)
    return rows


def draw_of(inspection: Inspection) -> Draw | None:
    return Draw.objects.filter(inspection=inspection).select_related("drawn_by").first()


@dataclass
class DrawView:
    draw: Draw
    rows: list  # candidate units with factors, weight, u, key, selected — only units the viewer may see
    hidden: int  # candidates not shown (outside the viewer's scope)
    weights: list  # (label, value)
    pool: list
    assignments: list  # (unit name, [inspector names])


def draw_view(user, draw: Draw) -> DrawView:
    """The draw's record as the viewer may see it: seed, algorithm, weights and pool always; the risk factors of
    candidate units only for units in the viewer's scope (the re-run check runs on the full stored inputs)."""
    inputs, result = draw.inputs, draw.result
    ranking = {r["id"]: r for r in result.get("ranking", [])}
    if _sees_everything(user):
        allowed = None
    else:
        allowed = set(units_in_scope(user, VIEW).filter(pk__in=list(ranking)).values_list("pk", flat=True))
    rows = []
    for rank, unit_id in enumerate(ranking, start=1):
        if allowed is not None and unit_id not in allowed:
            continue
        unit = next((u for u in inputs["units"] if u["id"] == unit_id), {})
        rows.append({**unit, **ranking[unit_id], "rank": rank})
    pool = {p["id"]: p for p in inputs.get("pool", [])}
    names = {u["id"]: u["name"] for u in inputs["units"]}
    assignments = [
        (names.get(a["unit"], ""), [pool.get(i, {}).get("name", f"#{i}") for i in a["inspectors"]])
        for a in result.get("assignments", [])
        if allowed is None or a["unit"] in allowed
    ]
    weights = [(draw_services.FACTOR_LABELS[f], inputs["weights"][f]) for f in draw_services.FACTORS]
    return DrawView(draw, rows, len(ranking) - len(rows), weights, list(pool.values()), assignments)


def my_inspections(user):
    """The inspections the user inspects that are planned or under way (for the 工作台)."""
    return (
        visible_inspections(user)
        .filter(pk__in=InspectionInspector.objects.filter(user=user).values("inspection_id"), status__in=ONGOING)
        .order_by("starts_on", "id")
    )


def risk_table(user, campaign):
    """The units whose risk the office keeps (participating units in its inspection.manage scope), each with
    its profile and the overdue problems counted now."""
    units = [u for u in draw_services.eligible_candidates(user, campaign)]
    profiles = {p.unit_id: p for p in RiskProfile.objects.filter(unit__in=units)}
    overdue = draw_services.overdue_counts(campaign, units)
    return [
        {"unit": u, "profile": profiles.get(u.pk) or RiskProfile(unit=u), "overdue": overdue[u.pk],
         "default": u.kind in draw_services.DEFAULT_KINDS}
        for u in units
    ]
