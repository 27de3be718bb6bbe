"""全局搜索 over the problem ledger: the list's own keyword filter (问题编号, text, 责任部门/领导/人, unit), in the
user's scope, so the search and the list it links to count the same."""

from urllib.parse import urlencode

from django.urls import reverse

from qicha.core.registry import SearchHit

from .numbers import format_problem_no
from .queries import ProblemFilters, visible_problems


def search(user, q: str, limit: int):
    found = ProblemFilters.from_params({"q": q}).apply(visible_problems(user), user=user)
    found = found.select_related("unit").order_by("-id")
    hits = [SearchHit(f"{format_problem_no(p.pk)}　{p.description[:60]}", reverse("problems:detail", args=[p.pk]),
                      f"{p.unit.name} · {p.get_status_display()} · 整改时限 {p.deadline:%Y-%m-%d}")
            for p in found[:limit]]
    return hits, found.count()


def list_url(q: str) -> str:
    return reverse("problems:list") + "?" + urlencode({"q": q})
