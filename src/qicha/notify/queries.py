"""The 工作台's to-do lists (R-NTF-1), each one query on a scoped ledger (problems, clues, cases)."""

from dataclasses import dataclass

from qicha.clues.case_queries import visible_cases
from qicha.clues.models import CaseStatus
from qicha.clues.models import Status as ClueStatus
from qicha.clues.queries import awaiting_reply_q, visible_clues
from qicha.clues.queries import overdue_q as clue_overdue_q
from qicha.core.scope import has_permission, scope_filter
from qicha.problems.models import Problem, Status
from qicha.problems.queries import Unclosed, count_by_status, due_within_q, overdue_q, visible_problems
from qicha.supervision.queries.inspections import my_inspections

TODO_LIMIT = 10
SOON_DAYS = 7


@dataclass
class Todo:
    key: str
    title: str
    rows: list
    count: int
    link: str  # the ledger filter behind the list, so the number and the list agree
    row_template: str = "notify/_problem_row.html"


def _todo(key, title, queryset, link, *, order=("deadline", "id"), related=("unit", "responsible_person"),
          base="/problems/", row_template="notify/_problem_row.html") -> Todo:
    rows = list(queryset.prefetch_related(*related).order_by(*order)[:TODO_LIMIT])
    count = len(rows) if len(rows) < TODO_LIMIT else queryset.count()
    return Todo(key, title, rows, count, base + link, row_template)


def clue_todos(user) -> list[Todo]:
    todos = []
    clue = {"order": ("due_date", "id"), "related": ("unit",), "base": "/clues/", "row_template": "notify/_clue_row.html"}
    if has_permission(user, "clue.assign"):
        todos.append(_todo("clue_received", "待分办线索", visible_clues(user, "clue.assign").filter(
            status=ClueStatus.RECEIVED), "?status=received", **clue))
    if has_permission(user, "clue.work"):
        mine = visible_clues(user, "clue.work")
        todos.append(_todo("clue_to_verify", "待核查线索", mine.filter(
            status__in=(ClueStatus.ASSIGNED, ClueStatus.VERIFYING)), "?to_verify=1", **clue))
        todos.append(_todo("clue_reply", "实名举报待答复", mine.filter(awaiting_reply_q()), "?awaiting_reply=1",
                           **clue))
    if has_permission(user, "clue.review"):
        review = visible_clues(user, "clue.review")
        todos.append(_todo("clue_verified", "待审核办结的线索", review.filter(status=ClueStatus.VERIFIED),
                           "?status=verified", **clue))
        todos.append(_todo("clue_overdue", "超期未核查线索", review.filter(clue_overdue_q()), "?overdue=1", **clue))
    if has_permission(user, "case.work"):
        cases = {"order": ("received_date", "id"), "related": ("unit",), "base": "/cases/",
                 "row_template": "notify/_case_row.html"}
        working = visible_cases(user).filter(scope_filter(user, "case.work"))
        todos.append(_todo("case_active", "在办督办案件", working.filter(
            status__in=(CaseStatus.OPEN, CaseStatus.INVESTIGATING)), "?active=1", **cases))
    if has_permission(user, "case.manage"):
        cases = {"order": ("received_date", "id"), "related": ("unit",), "base": "/cases/",
                 "row_template": "notify/_case_row.html"}
        todos.append(_todo("case_concluded", "待销号案件", visible_cases(user).filter(
            scope_filter(user, "case.manage")).filter(status=CaseStatus.CONCLUDED), "?status=concluded", **cases))
    if has_permission(user, "inspection.work"):
        todos.append(_todo("inspections", "我参加的督导检查", my_inspections(user), "", order=("starts_on", "id"),
                           related=(), base="/supervision/inspections/?mine=1",
                           row_template="notify/_inspection_row.html"))
    if has_permission(user, "clue.rereview"):
        todos.append(_todo("clue_escalated", "提级复核", visible_clues(user, "clue.rereview").filter(
            status=ClueStatus.ESCALATED), "?status=escalated", **clue))
    return todos


def problem_todos(user) -> list[Todo]:
    todos = []
    if not has_permission(user, "problem.view"):
        return todos
    if has_permission(user, "problem.work"):
        mine = visible_problems(user, "problem.work")
        todos.append(_todo("assigned", "分配给我的问题", mine.filter(responsible_person=user, status__in=(Status.OPEN, Status.IN_PROGRESS)),
                           "?mine=1"))
        todos.append(_todo("returned", "被退回的问题", mine.filter(status=Status.IN_PROGRESS).exclude(return_reason=""),
                           "?status=in_progress&returned=1"))
        todos.append(_todo("due_soon", f"{SOON_DAYS}日内到期的问题", mine.filter(due_within_q(SOON_DAYS)), f"?due_within_days={SOON_DAYS}"))
        todos.append(_todo("overdue", "已逾期的问题", mine.filter(overdue_q()), "?overdue=1"))
    if has_permission(user, "problem.create"):
        # Problems that arrived from elsewhere (an inspection finding, a clue, a case) wait for the unit to name an owner.
        todos.append(_todo("no_owner", "待落实责任人的问题", visible_problems(user, "problem.create").filter(
            status__in=(Status.OPEN, Status.IN_PROGRESS), responsible_person__isnull=True), "?no_owner=1"))
    if has_permission(user, "problem.review"):
        todos.append(_todo("to_review", "待我审核销号", visible_problems(user, "problem.review").filter(status=Status.SUBMITTED),
                           "?status=submitted"))
    return todos


def supervised_overdue(user):
    """挂账督办: every overdue problem across the reviewer's scope, most overdue first."""
    if not has_permission(user, "problem.review"):
        return None
    problems = visible_problems(user, "problem.review").filter(overdue_q())
    return _todo("supervised", "逾期挂账督办", problems, "?overdue=1")


def unit_counters(user) -> dict | None:
    """Counts per status and overdue across the user's scope."""
    if not has_permission(user, "problem.view"):
        return None
    counts = count_by_status(Problem.objects.filter(scope_filter(user, "problem.view", owner_field="responsible_person")))
    counts["total"] = counts["all"] - counts[Status.VOIDED]
    counts["unclosed"] = Unclosed.from_counts(counts)  # 未销号 and its parts, as the summaries word it
    counts["closure_rate"] = 0.0 if not counts["total"] else round(100.0 * counts[Status.CLOSED] / counts["total"], 1)
    return counts
