"""Every read of the problem ledger, scope applied here: lists, counts, detail, workbench to-dos, aspects."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_import import CellError
from qicha.core.models import Attachment
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter
from qicha.orgs.models import Unit

from .models import ACTIVE_STATUSES, FeedbackAspect, LastingRule, Problem, ProgressEntry, Status

SORTS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "unit": ("unit_id", "id"),
    "status": ("status", "deadline", "id"),
}
DEFAULT_SORT = "deadline"


def overdue_q(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=ACTIVE_STATUSES, deadline__lt=today)


def due_within_q(days: int, today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status__in=ACTIVE_STATUSES, deadline__gte=today, deadline__lte=today + timedelta(days=days))


def problem_number(text: str) -> int | None:
    """The id a search names as a 问题编号: "P000013", "p13", "#13" (as the Excel files and the pages write it)."""
    from .importing import parse_problem_no  # importing builds on this module

    text = (text or "").strip()
    if text[:1] in ("#", "＃"):
        text = "P" + text[1:]
    try:
        return parse_problem_no(text)
    except CellError:
        return None


def visible_problems(user, permission: str = "problem.view"):
    """Problems in the user's scope, with `is_overdue` derived in SQL."""
    return (
        Problem.objects.filter(scope_filter(user, permission, unit_field="unit", owner_field="responsible_person"))
        .annotate(is_overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField()))
    )


@dataclass
class ProblemFilters:
    """The ledger's filters; the page keeps them in the URL, the API takes the same names."""

    campaign: int | None = None
    check_item: int | None = None
    unit: int | None = None  # includes sub-units
    status: str = ""
    rectification_type: str = ""
    source: str = ""
    aspect: int | None = None
    overdue: bool = False
    due_within_days: int | None = None
    q: str = ""
    mine: bool = False  # only problems whose 责任人 is the viewer
    rectifying: bool = False  # only those still to rectify (待整改, 整改中): what a 责任人 has on their desk
    returned: bool = False  # returned and not yet resubmitted
    no_owner: bool = False  # still open with no 责任人 named (new from inspections, clues, cases…)
    unclosed: bool = False  # 未销号: 待整改, 整改中 and 已申请销号待审核, as the 工作台 counts them
    not_voided: bool = False  # every problem but the voided ones: what 问题总数 counts
    sort: str = DEFAULT_SORT
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "ProblemFilters":
        f = cls()
        for name in ("campaign", "check_item", "unit", "aspect", "due_within_days"):
            raw = (params.get(name) or "").strip()
            if raw:
                # Days may be typed as -5 and then get the range message below; ids must be real ids.
                value = (int(raw) if re.fullmatch(r"-?\d{1,9}", raw) else None) if name == "due_within_days" else parse_id(raw)
                if value is None:
                    f.errors[name] = "应为整数"
                else:
                    setattr(f, name, value)
        f.status = (params.get("status") or "").strip()
        if f.status and f.status not in Status.values:
            f.errors["status"] = "取值不正确"
        f.rectification_type = (params.get("rectification_type") or "").strip()
        f.source = (params.get("source") or "").strip()
        flag = lambda name: (params.get(name) or "").strip().lower() in ("1", "true", "on", "yes")  # noqa: E731
        f.overdue, f.mine, f.returned = flag("overdue"), flag("mine"), flag("returned")
        f.no_owner, f.rectifying = flag("no_owner"), flag("rectifying")
        f.unclosed, f.not_voided = flag("unclosed"), flag("not_voided")
        f.q = (params.get("q") or "").strip()[:100]
        f.sort = params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT
        if f.due_within_days is not None and not 0 <= f.due_within_days <= 366:
            f.errors["due_within_days"] = "天数应在 0 至 366 之间"
            f.due_within_days = None  # an invalid bound does not zero the counts
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def apply(self, problems, *, user=None, with_status: bool = True):
        if self.campaign:
            problems = problems.filter(campaign_id=self.campaign)
        if self.check_item:  # the item's ordinal (1–7), as in the self-inspection API
            problems = problems.filter(check_item__ordinal=self.check_item)
        if self.unit:
            unit = Unit.objects.filter(pk=self.unit).first()
            subtree = Unit.objects.filter(path__startswith=unit.path).values("pk") if unit else Unit.objects.none().values("pk")
            problems = problems.filter(unit_id__in=subtree)
        if with_status and self.status:
            problems = problems.filter(status=self.status)
        if self.rectification_type:
            problems = problems.filter(rectification_type=self.rectification_type)
        if self.source:
            problems = problems.filter(source=self.source)
        if self.aspect:
            problems = problems.filter(aspect_id=self.aspect)
        if self.overdue:
            problems = problems.filter(overdue_q())
        if self.due_within_days is not None:
            problems = problems.filter(due_within_q(self.due_within_days))
        if self.mine:
            problems = problems.filter(responsible_person=user) if user is not None else problems.none()
        if self.no_owner:
            problems = problems.filter(status__in=(Status.OPEN, Status.IN_PROGRESS), responsible_person_name="")
        if self.rectifying:
            problems = problems.filter(status__in=(Status.OPEN, Status.IN_PROGRESS))
        if self.unclosed:
            problems = problems.filter(status__in=ACTIVE_STATUSES)
        if self.not_voided:
            problems = problems.exclude(status=Status.VOIDED)
        if self.returned:
            problems = problems.filter(status=Status.IN_PROGRESS).exclude(return_reason="")
        if self.q:
            number = problem_number(self.q)
            problems = problems.filter(
                (Q(pk=number) if number else Q())
                | Q(description__icontains=self.q) | Q(measures__icontains=self.q) | Q(responsible_department__icontains=self.q)
                | Q(responsible_leader__icontains=self.q) | Q(responsible_person_name__icontains=self.q)
                | Q(unit_id__in=Unit.objects.filter(name__icontains=self.q).values("pk"))
            )
        return problems


# Related rows are prefetched, not joined: with no join in the main query, the database walks the
# (status, deadline) / (deadline) indexes in order and stops at the page size (see bench/problem_ledger.py).
LIST_RELATED = ("unit", "check_item", "responsible_person", "aspect")


def problem_list(user, filters: ProblemFilters):
    """The filtered, sorted ledger rows with what a list shows, in a constant number of queries."""
    return (
        filters.apply(visible_problems(user), user=user)
        .prefetch_related(*LIST_RELATED)
        .order_by(*SORTS[filters.sort])
    )


def count_by_status(problems) -> dict:
    """Counts per status plus overdue, in one GROUP BY over a single "bucket" expression.

    The bucket is the status, with "!" appended when the row is overdue. Grouping by that one expression
    (not by the status column) keeps SQLite from walking the status index row by row, and COUNT(*) lets
    PostgreSQL answer from an index alone; both measured in bench/problem_ledger.py.
    """
    bucket = Case(When(overdue_q(), then=Concat("status", Value("!"))), default=F("status"), output_field=CharField())
    counts = dict.fromkeys(Status.values, 0) | {"overdue": 0}
    for key, n in problems.order_by().annotate(bucket=bucket).values_list("bucket").annotate(n=Count("*")):
        counts[key.rstrip("!")] += n
        counts["overdue"] += n if key.endswith("!") else 0
    counts["all"] = sum(counts[s] for s in Status.values)
    return counts


# 未销号: a live problem not yet signed off, in any of the three statuses a deadline still binds. Every figure a user
# reads (the summaries, the 工作台) says it with its parts, so "正在整改" can no longer mean three different numbers.
UNCLOSED_LABEL = "未销号"
UNCLOSED_PARTS = ((Status.OPEN, "待整改"), (Status.IN_PROGRESS, "整改中"), (Status.SUBMITTED, "已申请销号待审核"))
assert tuple(s for s, _ in UNCLOSED_PARTS) == ACTIVE_STATUSES


@dataclass
class Unclosed:
    """未销号 N 个, with how many are 待整改, 整改中 and 已申请销号待审核."""

    open: int = 0
    in_progress: int = 0
    submitted: int = 0

    @classmethod
    def from_counts(cls, counts: dict) -> "Unclosed":
        """From counts keyed by status (`count_by_status`, or an aggregate with the status values as names)."""
        return cls(*(counts.get(status, 0) for status, _ in UNCLOSED_PARTS))

    @property
    def total(self) -> int:
        return self.open + self.in_progress + self.submitted

    @property
    def parts(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, status)) for status, label in UNCLOSED_PARTS]

    def __add__(self, other: "Unclosed") -> "Unclosed":
        return Unclosed(self.open + other.open, self.in_progress + other.in_progress, self.submitted + other.submitted)

    def text(self, number=str) -> str:
        """未销号15个（其中待整改3个、整改中11个、已申请销号待审核1个）"""
        parts = "、".join(f"{label}{number(n)}个" for label, n in self.parts)
        return f"{UNCLOSED_LABEL}{number(self.total)}个（其中{parts}）"


def unclosed_aggregates() -> dict:
    """The aggregate expressions behind `Unclosed.from_counts`, for a GROUP BY that counts other things too."""
    return {status: Count("id", filter=Q(status=status)) for status, _ in UNCLOSED_PARTS}


def status_counts(user, filters: ProblemFilters) -> dict:
    """The tabs above the list: counts under every filter but the status itself."""
    scoped = filters.apply(Problem.objects.filter(scope_filter(user, "problem.view", owner_field="responsible_person")),
                           user=user, with_status=False)
    return count_by_status(scoped)


def count_for(filters: ProblemFilters, counts: dict) -> int:
    """The list's row count, read from the status counts instead of counting again."""
    return counts.get(filters.status, 0) if filters.status else counts["all"]


SOON_DAYS = 7


def workbench_lists(user, today=None) -> dict:
    """The 工作台's problem figures as scoped querysets, each the rows of the ledger list its figure opens; the caller
    counts them all in one query. Counters use the ledger's view scope, to-dos the scope of the act they wait for."""
    if not has_permission(user, "problem.view"):
        return {}
    counted = Problem.objects.filter(scope_filter(user, "problem.view", owner_field="responsible_person"))
    lists = {status: counted.filter(status=status) for status in Status.values}
    lists["overdue"] = counted.filter(overdue_q(today))
    if has_permission(user, "problem.work"):
        mine = visible_problems(user, "problem.work")
        lists["assigned"] = mine.filter(responsible_person=user, status__in=(Status.OPEN, Status.IN_PROGRESS))
        lists["returned"] = mine.filter(status=Status.IN_PROGRESS).exclude(return_reason="")
        lists["due_soon"] = mine.filter(due_within_q(SOON_DAYS, today))
        lists["work_overdue"] = mine.filter(overdue_q(today))
    if has_permission(user, "problem.create"):
        # Problems that arrived from elsewhere (an inspection finding, a clue, a case) wait for the unit to name an owner.
        lists["no_owner"] = visible_problems(user, "problem.create").filter(
            status__in=(Status.OPEN, Status.IN_PROGRESS), responsible_person_name="")
    if has_permission(user, "problem.review"):
        review = visible_problems(user, "problem.review")
        lists["to_review"] = review.filter(status=Status.SUBMITTED)
        lists["supervised"] = review.filter(overdue_q(today))  # 挂账督办: every overdue problem in the reviewer's scope
    return lists


def get_problem(user, problem_id) -> Problem:
    problem = (
        visible_problems(user)
        .select_related("unit", "campaign", "check_item", "responsible_person", "aspect", "created_by", "sign_off__signed_by")
        .prefetch_related(
            "milestones",
            Prefetch("progress_entries", queryset=ProgressEntry.objects.select_related("created_by").prefetch_related("attachments")),
            "sign_off__attachments",
            "lasting_rules",
        )
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound()
    return problem


def feedback_aspects(user, campaign):
    """"X个方面X个问题": each aspect with its problems in scope and how many are closed (逐一销账)."""
    visible = visible_problems(user).filter(campaign=campaign, source="group_feedback").exclude(status=Status.VOIDED)
    aspects = FeedbackAspect.objects.filter(campaign=campaign).annotate(
        total=Count("problems", filter=Q(problems__in=visible)),
        closed=Count("problems", filter=Q(problems__in=visible.filter(status=Status.CLOSED))),
    )
    return list(aspects)


def visible_rules(user, campaign=None):
    rules = LastingRule.objects.filter(scope_filter(user, "problem.view", unit_field="unit")).select_related("unit")
    if campaign is not None:
        rules = rules.filter(campaign=campaign)
    # Only the linked problems the viewer may see (a sub-unit's problem can be outside an own-unit scope).
    return rules.prefetch_related(Prefetch("problems", queryset=visible_problems(user).order_by("id")))


def problem_counts_by_unit_path(problems, by: str):
    """(unit path, `by`, problems) over a problems query in one aggregate, for the coverage matrix to roll up into
    participating units (`campaigns.queries.cell_problems` says which problems; problems/plugins.py plugs it in)."""
    return problems.order_by().values_list("unit__path", by).annotate(n=Count("id"))


def get_attachment(user, attachment_id):
    """An attachment the user may download: evidence of a problem in scope, or their own upload."""
    visible = visible_problems(user).values("pk")
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(
            Q(progress_entries__problem__in=visible) | Q(sign_offs__problem__in=visible) | Q(uploaded_by=user.pk)
        )
        .distinct()
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment
