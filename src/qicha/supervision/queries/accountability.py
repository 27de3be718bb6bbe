"""Every read of accountability records, scope applied here: the filtered list, the summary by unit and form, one
record, and the units whose work lags most (the 工作推动不力 panel)."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.clues.queries import visible_clues
from qicha.core.errors import Invalid, NotFound
from qicha.core.params import parse_id
from qicha.core.scope import scope_filter
from qicha.orgs.models import Unit
from qicha.problems.queries import overdue_q, visible_problems

from ..models import Accountability, AccountabilityForm, Failing

ORDER = ("-decided_on", "-id")


def visible_accountabilities(user):
    return Accountability.objects.filter(scope_filter(user, "supervision.view", unit_field="unit"))


@dataclass
class AccountabilityFilters:
    """The list's filters; the page keeps them in the URL, the API takes the same names."""

    campaign: int | None = None
    unit: int | None = None  # includes sub-units
    failing: str = ""
    form: str = ""
    q: str = ""
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "AccountabilityFilters":
        f = cls()
        for name in ("campaign", "unit"):
            raw = (params.get(name) or "").strip()
            if raw:
                setattr(f, name, parse_id(raw))
                if getattr(f, name) is None:
                    f.errors[name] = "应为正整数"
        for name, allowed in (("failing", Failing.values), ("form", AccountabilityForm.values)):
            value = (params.get(name) or "").strip()
            setattr(f, name, value)
            if value and value not in allowed:
                f.errors[name] = "取值不正确"
        f.q = (params.get("q") or "").strip()[:100]
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def apply(self, records):
        if self.errors:
            return records.none()
        if self.campaign:
            records = records.filter(campaign_id=self.campaign)
        if self.unit:
            unit = Unit.objects.filter(pk=self.unit).first()
            subtree = Unit.objects.filter(path__startswith=unit.path).values("pk") if unit else Unit.objects.none().values("pk")
            records = records.filter(unit_id__in=subtree)
        if self.failing:
            records = records.filter(failing=self.failing)
        if self.form:
            records = records.filter(form=self.form)
        if self.q:
            records = records.filter(
                Q(person__icontains=self.q) | Q(decision_no__icontains=self.q) | Q(facts__icontains=self.q)
                | Q(unit_id__in=Unit.objects.filter(name__icontains=self.q).values("pk"))
            )
        return records


def accountability_list(user, filters: AccountabilityFilters):
    return filters.apply(visible_accountabilities(user)).prefetch_related("unit").order_by(*ORDER)


@dataclass
class Summary:
    """问责汇总: counts by unit × form, and totals by form and by failing."""

    forms: list[tuple[str, str]]
    rows: list[dict]  # {"unit": Unit, "counts": {form: n}, "total": n}, most held to account first
    by_form: dict
    by_failing: list[dict]  # {"failing", "label", "count"}
    total: int

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "by_form": [{"form": f, "label": label, "count": self.by_form[f]} for f, label in self.forms],
            "by_failing": self.by_failing,
            "by_unit": [
                {"unit": {"id": r["unit"].pk, "name": r["unit"].name}, "total": r["total"],
                 "by_form": {f: r["counts"][f] for f, _ in self.forms}}
                for r in self.rows
            ],
        }


def summary(user, filters: AccountabilityFilters) -> Summary:
    records = filters.apply(visible_accountabilities(user)).order_by()
    forms = list(AccountabilityForm.choices)
    cells = records.values_list("unit_id", "form").annotate(n=Count("*"))
    units = {}
    for unit_id, form, n in cells:
        units.setdefault(unit_id, dict.fromkeys(AccountabilityForm.values, 0))[form] = n
    names = Unit.objects.in_bulk(list(units))
    rows = [{"unit": names[uid], "counts": counts, "total": sum(counts.values())} for uid, counts in units.items()]
    rows.sort(key=lambda r: (-r["total"], r["unit"].path))
    by_form = dict.fromkeys(AccountabilityForm.values, 0)
    for form, n in records.values_list("form").annotate(n=Count("*")):
        by_form[form] = n
    failing_counts = dict(records.values_list("failing").annotate(n=Count("*")))
    by_failing = [{"failing": v, "label": label, "count": failing_counts.get(v, 0)} for v, label in Failing.choices]
    return Summary(forms=forms, rows=rows, by_form=by_form, by_failing=by_failing, total=sum(by_form.values()))


def lagging_units(user, campaign: Campaign, limit: int = 8) -> list[dict]:
    """工作推动不力: the units in scope with the most overdue problems, each with those problems and whether a
    工作推动不力 accountability has already been recorded for it in this campaign."""
    today = timezone.localdate()
    overdue = visible_problems(user).filter(campaign=campaign).filter(overdue_q(today))
    counts = list(
        overdue.order_by().values("unit_id").annotate(n=Count("*"), oldest=Min("deadline")).order_by("-n", "oldest")[:limit]
    )
    if not counts:
        return []
    unit_ids = [c["unit_id"] for c in counts]
    names = Unit.objects.in_bulk(unit_ids)
    problem_ids: dict[int, list[int]] = {}
    for pk, unit_id in overdue.filter(unit_id__in=unit_ids).order_by("deadline", "id").values_list("pk", "unit_id"):
        problem_ids.setdefault(unit_id, []).append(pk)
    criticised = dict(
        visible_accountabilities(user).filter(campaign=campaign, failing=Failing.POOR_PROGRESS, unit_id__in=unit_ids)
        .order_by().values_list("unit_id").annotate(last=Max("decided_on"))
    )
    return [
        {"unit": names[c["unit_id"]], "overdue": c["n"], "max_days_late": (today - c["oldest"]).days,
         "problem_ids": problem_ids.get(c["unit_id"], []), "criticised_on": criticised.get(c["unit_id"])}
        for c in counts
    ]


def get_accountability(user, accountability_id) -> Accountability:
    """One record in the user's scope, with only the linked problems and clues the viewer may see."""
    record = (
        visible_accountabilities(user)
        .select_related("unit", "campaign", "created_by", "commitment_check__letter")
        .prefetch_related(
            Prefetch("problems", queryset=visible_problems(user).select_related("unit").order_by("id")),
            Prefetch("clues", queryset=visible_clues(user).select_related("unit").order_by("id")),
        )
        .filter(pk=accountability_id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record
