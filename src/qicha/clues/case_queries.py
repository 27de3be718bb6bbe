"""Every read of supervised cases (案件督办), scope applied here: list, counts, detail, attachments."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from qicha.core.errors import Invalid, NotFound
from qicha.core.models import Attachment
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter
from qicha.orgs.models import Unit
from qicha.problems.queries import visible_problems

from .models import Case, CaseProgress, CaseSource, CaseStatus, SectorRectification

ORDER = ("-received_date", "-id")


def visible_cases(user):
    return Case.objects.filter(scope_filter(user, "case.view", unit_field="unit"))


@dataclass
class CaseFilters:
    """The list's filters; the page keeps them in the URL, the API takes the same names."""

    campaign: int | None = None
    unit: int | None = None  # includes sub-units
    status: str = ""
    source: str = ""
    q: str = ""
    active: bool = False  # open or under way (the 工作台's "在办")
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "CaseFilters":
        f = cls()
        for name in ("campaign", "unit"):
            raw = (params.get(name) or "").strip()
            if raw:
                value = parse_id(raw)
                if value is None:
                    f.errors[name] = "应为正整数"
                else:
                    setattr(f, name, value)
        f.status = (params.get("status") or "").strip()
        if f.status and f.status not in CaseStatus.values:
            f.errors["status"] = "取值不正确"
        f.source = (params.get("source") or "").strip()
        if f.source and f.source not in CaseSource.values:
            f.errors["source"] = "取值不正确"
        f.q = (params.get("q") or "").strip()[:100]
        f.active = (params.get("active") or "").strip().lower() in ("1", "true", "on", "yes")
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def apply(self, cases, *, with_status: bool = True):
        if self.campaign:
            cases = cases.filter(campaign_id=self.campaign)
        if self.unit:
            unit = Unit.objects.filter(pk=self.unit).first()
            subtree = Unit.objects.filter(path__startswith=unit.path).values("pk") if unit else Unit.objects.none().values("pk")
            cases = cases.filter(unit_id__in=subtree)
        if with_status and self.status:
            cases = cases.filter(status=self.status)
        if self.source:
            cases = cases.filter(source=self.source)
        if self.active:
            cases = cases.filter(status__in=(CaseStatus.OPEN, CaseStatus.INVESTIGATING))
        if self.q:
            cases = cases.filter(
                Q(name__icontains=self.q) | Q(reference_no__icontains=self.q) | Q(summary__icontains=self.q)
                | Q(unit_id__in=Unit.objects.filter(name__icontains=self.q).values("pk"))
            )
        return cases


def case_list(user, filters: CaseFilters):
    if filters.errors:
        return visible_cases(user).none()
    return filters.apply(visible_cases(user)).prefetch_related("unit", "rectification").order_by(*ORDER)


def status_counts(user, filters: CaseFilters) -> dict:
    """The tabs above the list: counts under every filter but the status itself, in one GROUP BY."""
    counts = dict.fromkeys(CaseStatus.values, 0)
    if not filters.errors:
        scoped = filters.apply(visible_cases(user), with_status=False)
        for status, n in scoped.order_by().values_list("status").annotate(n=Count("*")):
            counts[status] = n
    counts["all"] = sum(counts[s] for s in CaseStatus.values)
    return counts


def count_for(filters: CaseFilters, counts: dict) -> int:
    return counts.get(filters.status, 0) if filters.status else counts["all"]


def workbench_lists(user) -> dict:
    """The 工作台's case figures as scoped querysets, each the rows of the case list its figure opens."""
    lists = {}
    if has_permission(user, "case.work"):
        lists["active"] = visible_cases(user).filter(scope_filter(user, "case.work"), status__in=(
            CaseStatus.OPEN, CaseStatus.INVESTIGATING))
    if has_permission(user, "case.manage"):
        lists["concluded"] = visible_cases(user).filter(scope_filter(user, "case.manage"), status=CaseStatus.CONCLUDED)
    return lists


def get_case(user, pk) -> Case:
    """One case in the user's scope, with progress and the 一案一整治 record; anything else is NotFound (404)."""
    case = (
        visible_cases(user)
        .select_related("unit", "campaign", "created_by", "clue")
        .prefetch_related(
            Prefetch("progress_entries",
                     queryset=CaseProgress.objects.select_related("created_by").prefetch_related("attachments")),
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def rectification_of(user, case: Case) -> SectorRectification | None:
    """The case's record with only the linked problems the viewer may see (a sub-unit's may be out of scope)."""
    return (
        SectorRectification.objects.filter(case=case).select_related("updated_by")
        .prefetch_related(Prefetch("problems", queryset=visible_problems(user).select_related("unit").order_by("id")))
        .first()
    )


def get_attachment(user, attachment_id):
    """A case progress attachment the user may download: of a case in scope, or their own upload."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(Q(case_progress_entries__case__in=visible_cases(user).values("pk")) | Q(uploaded_by=user.pk))
        .distinct()
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment
