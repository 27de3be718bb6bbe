"""Reading the village 联审: rounds and candidates in the reader's scope (the round's region under vetting.view), the
rounds a department account answers for (and nothing else), derived results, and the ledger lists.

A candidate's result is derived from the opinions: 通过 only when every department answered 无异议, 不通过 on any
有异议, else 待答复 — unless the county recorded a reviewed decision, which then stands. The same rule is written
once in SQL (`with_results`, for the lists and figures) and once in Python (`result_of`, for one round's matrix);
the tests compare them."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from qicha.core.errors import NotFound
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter, units_in_scope

from .models import (
    Candidate,
    Ground,
    MemberSource,
    Opinion,
    ProblemMember,
    Result,
    ReviewDecision,
    ReviewMember,
    RoundDepartment,
    Verdict,
    VettingRound,
)

VIEW = "vetting.view"
ANSWER = "vetting.answer"


def visible_rounds(user):
    return VettingRound.objects.filter(scope_filter(user, VIEW, unit_field="region")).select_related("region")


def answering_departments(user):
    """The departments `user` answers for (联审部门 accounts): their whole view of the platform."""
    if not has_permission(user, ANSWER):
        return RoundDepartment.objects.none()
    return RoundDepartment.objects.filter(accounts=user).select_related("round", "round__region")


def answering_rounds(user):
    return VettingRound.objects.filter(pk__in=answering_departments(user).values("round_id")).select_related("region")


def can_see_anything(user) -> bool:
    return has_permission(user, VIEW) or has_permission(user, ANSWER)


@dataclass
class RoundAccess:
    round: VettingRound
    full: bool                                    # the county's view (every department, results, decisions)
    departments: list = field(default_factory=list)  # the departments the reader answers for in it


def get_round(user, round_id) -> RoundAccess:
    pk = parse_id(round_id)
    if pk:
        found = visible_rounds(user).filter(pk=pk).first()
        if found is not None:
            return RoundAccess(found, True, list(answering_departments(user).filter(round=found)))
        departments = list(answering_departments(user).filter(round_id=pk))
        if departments:
            return RoundAccess(departments[0].round, False, departments)
    raise NotFound()


def get_department(user, round_id, department_id) -> tuple[RoundAccess, RoundDepartment]:
    access = get_round(user, round_id)
    pk = parse_id(department_id)
    if access.full:
        department = access.round.departments.filter(pk=pk).first()
    else:
        department = next((d for d in access.departments if d.pk == pk), None)
    if department is None:
        raise NotFound()
    return access, department


def get_candidate(user, candidate_id, *, manage_only: bool = False) -> Candidate:
    pk = parse_id(candidate_id)
    candidate = Candidate.objects.filter(pk=pk, round__in=visible_rounds(user)).select_related("round").first()
    if candidate is None and not manage_only:
        candidate = Candidate.objects.filter(pk=pk, round__in=answering_rounds(user)).select_related("round").first()
    if candidate is None:
        raise NotFound()
    return candidate


# ---- results -------------------------------------------------------------------------------------------------

def result_of(candidate: Candidate, opinions: list[Opinion], department_count: int) -> str:
    if candidate.decision:
        return candidate.decision
    if any(o.verdict == Verdict.OBJECTION for o in opinions):
        return Result.FAIL
    if department_count and len(opinions) >= department_count:
        return Result.PASS
    return Result.PENDING


def with_results(candidates):
    """Annotate `result` (pass / fail / pending) in SQL, with the same rule as `result_of`."""
    objections = Opinion.objects.filter(candidate=OuterRef("pk"), verdict=Verdict.OBJECTION).values("candidate") \
        .annotate(n=Count("pk")).values("n")
    answers = Opinion.objects.filter(candidate=OuterRef("pk")).values("candidate").annotate(n=Count("pk")).values("n")
    departments = RoundDepartment.objects.filter(round=OuterRef("round_id")).values("round") \
        .annotate(n=Count("pk")).values("n")
    return candidates.annotate(
        objections=Coalesce(Subquery(objections, output_field=IntegerField()), 0),
        answers=Coalesce(Subquery(answers, output_field=IntegerField()), 0),
        departments_asked=Coalesce(Subquery(departments, output_field=IntegerField()), 0),
    ).annotate(result=Case(
        When(~Q(decision=""), then="decision"),
        When(objections__gt=0, then=Value(Result.FAIL)),
        When(departments_asked__gt=0, answers__gte=F("departments_asked"), then=Value(Result.PASS)),
        default=Value(Result.PENDING), output_field=CharField()))


@dataclass
class MatrixRow:
    candidate: Candidate
    cells: list            # one Opinion (or None) per department, in the round's order
    result: str
    grounds: list

    @property
    def result_label(self) -> str:
        return Result(self.result).label


def matrix(round_: VettingRound) -> tuple[list[RoundDepartment], list[MatrixRow]]:
    """Candidates × departments: each answer, and each candidate's result."""
    departments = list(round_.departments.all())
    opinions: dict[tuple[int, int], Opinion] = {
        (o.candidate_id, o.department_id): o for o in Opinion.objects.filter(candidate__round=round_)}
    rows = []
    for candidate in round_.candidates.all():
        cells = [opinions.get((candidate.pk, d.pk)) for d in departments]
        given = [o for o in cells if o is not None]
        grounds = sorted({o.get_ground_display() for o in given if o.verdict == Verdict.OBJECTION})
        rows.append(MatrixRow(candidate, cells, result_of(candidate, given, len(departments)), grounds))
    return departments, rows


@dataclass
class DepartmentProgress:
    department: RoundDepartment
    answered: int
    total: int
    last_answer: object
    late: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def progress(round_: VettingRound, today: date) -> list[DepartmentProgress]:
    """Who has answered and who is late (past the deadline with answers missing), per department."""
    total = round_.candidates.count()
    counts = {row["department"]: row for row in Opinion.objects.filter(candidate__round=round_)
              .values("department").annotate(n=Count("pk"), last=Max("answered_at"))}
    result = []
    for department in round_.departments.all():
        row = counts.get(department.pk, {})
        answered = row.get("n", 0)
        late = answered < total and today > round_.deadline
        result.append(DepartmentProgress(department, answered, total, row.get("last"), late))
    return result


def all_answered(round_: VettingRound) -> bool:
    total = round_.candidates.count()
    departments = round_.departments.count()
    return bool(total and departments) and Opinion.objects.filter(candidate__round=round_).count() >= total * departments


# ---- the cross-round candidate list (the cockpit's figures open it) --------------------------------------------

@dataclass
class CandidateFilters:
    unit: int | None = None
    round: int | None = None
    result: str = ""
    ground: str = ""
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "CandidateFilters":
        filters = cls()
        for key in ("unit", "round"):
            raw = (params.get(key) or "").strip()
            if raw:
                value = parse_id(raw)
                if value is None:
                    filters.errors[key] = "请选择有效的选项"
                setattr(filters, key, value)
        result = (params.get("result") or "").strip()
        if result and result not in Result.values:
            filters.errors["result"] = "联审结果只能是：" + "、".join(f"{label}（{value}）" for value, label in Result.choices)
        filters.result = result
        ground = (params.get("ground") or "").strip()
        if ground and ground not in Ground.values:
            filters.errors["ground"] = "异议依据只能是：" + "、".join(f"{label}（{value}）" for value, label in Ground.choices)
        filters.ground = ground
        return filters


def _under(queryset, user, unit_id, field_name="region"):
    if unit_id is None:
        return queryset
    unit = units_in_scope(user, VIEW).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return queryset.filter(**{f"{field_name}__path__startswith": unit.path})


def visible_candidates(user):
    return Candidate.objects.filter(round__in=visible_rounds(user).values("pk"))


def candidate_list(user, filters: CandidateFilters):
    rows = with_results(visible_candidates(user)).select_related("round", "round__region")
    if filters.unit is not None:
        rows = _under(rows, user, filters.unit, "round__region")
    if filters.round is not None:
        rows = rows.filter(round_id=filters.round)
    if filters.result:
        rows = rows.filter(result=filters.result)
    if filters.ground:
        rows = rows.filter(Exists(Opinion.objects.filter(candidate=OuterRef("pk"), verdict=Verdict.OBJECTION,
                                                         ground=filters.ground)))
    return rows.order_by("-round__opened_at", "round_id", "number")


# ---- the problem-member ledger and the 回头看 -------------------------------------------------------------------

@dataclass
class MemberFilters:
    unit: int | None = None
    source: str = ""
    complete: str = ""  # "1" refilled, "0" not yet
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "MemberFilters":
        filters = cls()
        raw = (params.get("unit") or "").strip()
        if raw:
            filters.unit = parse_id(raw)
            if filters.unit is None:
                filters.errors["unit"] = "请选择有效的单位"
        filters.source = (params.get("source") or "").strip()
        if filters.source and filters.source not in MemberSource.values:
            filters.errors["source"] = "来源只能是：" + "、".join(f"{label}（{value}）" for value, label in MemberSource.choices)
        filters.complete = (params.get("complete") or "").strip()
        if filters.complete not in ("", "0", "1"):
            filters.errors["complete"] = "补齐配强只能是 1（已补齐）或 0（未补齐）"
        return filters


def visible_members(user):
    return ProblemMember.objects.filter(scope_filter(user, VIEW, unit_field="region"))


def member_list(user, filters: MemberFilters):
    rows = visible_members(user).select_related("region")
    rows = _under(rows, user, filters.unit)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.complete == "1":
        rows = rows.filter(refilled_on__isnull=False)
    elif filters.complete == "0":
        rows = rows.filter(refilled_on__isnull=True)
    return rows.order_by("-cleaned_on", "-pk")


def get_member(user, member_id) -> ProblemMember:
    member = visible_members(user).select_related("region").filter(pk=parse_id(member_id)).first()
    if member is None:
        raise NotFound()
    return member


def visible_review_members(user):
    return ReviewMember.objects.filter(scope_filter(user, VIEW, unit_field="region")).select_related("region")


def get_review_member(user, member_id) -> ReviewMember:
    member = visible_review_members(user).filter(pk=parse_id(member_id)).first()
    if member is None:
        raise NotFound()
    return member


def review_counts(user) -> dict:
    members = visible_review_members(user)
    return {"total": members.count(), "kept": members.filter(decision=ReviewDecision.KEEP).count(),
            "cleared": members.filter(decision=ReviewDecision.CLEAR).count(),
            "hits": members.exclude(precheck_hits=[]).count()}
