"""The 工作台's to-do lists (R-NTF-1), each one query on the scoped problem ledger."""

from dataclasses import dataclass

from qicha.core.scope import has_permission, scope_filter
from qicha.problems.models import ACTIVE_STATUSES, Problem, Status
from qicha.problems.queries import count_by_status, due_within_q, overdue_q, visible_problems

TODO_LIMIT = 10
SOON_DAYS = 7


@dataclass
class Todo:
    key: str
    title: str
    rows: list
    count: int
    link: str  # the ledger filter behind the list, so the number and the list agree


def _todo(key, title, queryset, link) -> Todo:
    rows = list(queryset.prefetch_related("unit", "responsible_person").order_by("deadline", "id")[:TODO_LIMIT])
    count = len(rows) if len(rows) < TODO_LIMIT else queryset.count()
    return Todo(key, title, rows, count, link)


def problem_todos(user) -> list[Todo]:
    todos = []
    if not has_permission(user, "problem.view"):
        return todos
    if has_permission(user, "problem.work"):
        mine = visible_problems(user, "problem.work")
        todos.append(_todo("assigned", "分配给我的", mine.filter(responsible_person=user, status__in=(Status.OPEN, Status.IN_PROGRESS)),
                           "?mine=1"))
        todos.append(_todo("returned", "被退回的", mine.filter(status=Status.IN_PROGRESS).exclude(return_reason=""),
                           "?status=in_progress&returned=1"))
        todos.append(_todo("due_soon", f"{SOON_DAYS}日内到期", mine.filter(due_within_q(SOON_DAYS)), f"?due_within_days={SOON_DAYS}"))
        todos.append(_todo("overdue", "已逾期", mine.filter(overdue_q()), "?overdue=1"))
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
    counts["active"] = sum(counts[s] for s in ACTIVE_STATUSES)
    counts["closure_rate"] = 0.0 if not counts["total"] else round(100.0 * counts[Status.CLOSED] / counts["total"], 1)
    return counts
