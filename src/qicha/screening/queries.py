"""Reads of data comparison, always in the reader's data scope (screening.view over the hit's unit)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from qicha.core.errors import NotFound
from qicha.core.scope import has_permission, scope_filter
from qicha.orgs.models import Unit

from .models import Evidence, Hit, HitStatus, Register, Run

VIEW = "screening.view"
REVIEWED = (HitStatus.CONFIRMED, HitStatus.REJECTED)


def visible_hits(user, permission: str = VIEW):
    if not has_permission(user, permission):
        return Hit.objects.none()
    return Hit.objects.filter(scope_filter(user, permission))


def visible_runs(user):
    """Every run for a whole-system scope; otherwise the runs that found someone in the reader's units."""
    if not has_permission(user, VIEW):
        return Run.objects.none()
    if scope_filter(user, VIEW) == Q():
        return Run.objects.all()
    return Run.objects.filter(Exists(visible_hits(user).filter(run=OuterRef("pk"))))


def get_run(user, run_id) -> Run:
    run = visible_runs(user).select_related("created_by").filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run


def latest_run(user) -> Run | None:
    return visible_runs(user).filter(status="done").first()


@dataclass
class HitFilters:
    run: int | None = None
    status: str = ""
    rule: str = ""
    county: str = ""
    q: str = ""
    unit: int | None = None     # this unit and the units below it
    reviewed: bool = False      # 属实 or 不属实

    @classmethod
    def parse(cls, data) -> "HitFilters":
        def number(name):
            raw = (data.get(name) or "").strip()
            return int(raw) if raw.isdigit() else None

        status = (data.get("status") or "").strip()
        rule = (data.get("rule") or "").strip().upper()
        return cls(run=number("run"), status=status if status in HitStatus.values else "",
                   rule=rule if rule.isalnum() else "", county=(data.get("county") or "").strip()[:12],
                   q=(data.get("q") or "").strip()[:50], unit=number("unit"),
                   reviewed=(data.get("reviewed") or "") in ("1", "true"))

    def query(self) -> dict:
        return {k: v for k, v in {"run": self.run, "status": self.status, "rule": self.rule,
                                  "county": self.county, "q": self.q, "unit": self.unit,
                                  "reviewed": "1" if self.reviewed else ""}.items() if v}


def hit_list(user, filters: HitFilters):
    hits = visible_hits(user)
    if filters.run:
        hits = hits.filter(run_id=filters.run)
    if filters.status:
        hits = hits.filter(status=filters.status)
    if filters.rule:
        hits = hits.filter(Exists(Evidence.objects.filter(hit=OuterRef("pk"), rule=filters.rule)))
    if filters.county:
        hits = hits.filter(county_code=filters.county)
    if filters.q:
        hits = hits.filter(Q(name__contains=filters.q) | Q(household_id=filters.q))
    if filters.unit:
        unit = Unit.objects.filter(pk=filters.unit).first()
        hits = hits.filter(unit__path__startswith=unit.path) if unit else hits.none()
    if filters.reviewed:
        hits = hits.filter(status__in=REVIEWED)
    return (hits.select_related("unit", "run").prefetch_related("evidence")
            .annotate(evidence_count=Count("evidence")).order_by("county_code", "id"))


def status_counts(user, filters: HitFilters) -> dict[str, int]:
    base = hit_list(user, HitFilters(run=filters.run, rule=filters.rule, county=filters.county, q=filters.q))
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id", distinct=True)))
    return {status: counts.get(status, 0) for status in HitStatus.values}


def rule_counts(user, run_id: int | None = None) -> dict[str, int]:
    """Pieces of evidence per rule among the hits the reader sees."""
    evidence = Evidence.objects.filter(hit__in=visible_hits(user).filter(**({"run_id": run_id} if run_id else {})))
    return dict(evidence.order_by().values_list("rule").annotate(n=Count("id")))


def county_counts(user, run_id: int) -> list[tuple[str, str, int, int]]:
    """(county code, unit, flagged beneficiaries, confirmed) per county among the hits the reader sees."""
    rows = (visible_hits(user).filter(run_id=run_id).order_by().values("county_code", "unit__name")
            .annotate(n=Count("id"), confirmed=Count("id", filter=Q(status=HitStatus.CONFIRMED)))
            .order_by("county_code"))
    return [(r["county_code"], r["unit__name"], r["n"], r["confirmed"]) for r in rows]


def get_hit(user, hit_id, permission: str = VIEW) -> Hit:
    hit = (visible_hits(user, permission).select_related("unit", "run", "reviewed_by", "ledger_row", "clue")
           .prefetch_related("evidence").filter(pk=hit_id).first())
    if hit is None:
        raise NotFound()
    return hit


def registers(user):
    """The registers the office imported (only the office sees them: they cover every county)."""
    if not has_permission(user, "screening.run") or scope_filter(user, "screening.run") != Q():
        return Register.objects.none()
    return Register.objects.select_related("uploaded_by").annotate(entries=Count("negative_entries"))
