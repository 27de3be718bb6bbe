"""全局搜索 over clues and cases, in the user's scope. Clues: 线索编号, content, region, subject name, and a whole
identity number (blind index) or 统一社会信用代码 — the list's own keyword filter, so both count the same."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from qicha.core.masking import mask_free_text
from qicha.core.registry import SearchHit

from .case_queries import visible_cases
from .queries import ClueFilters, visible_clues


def search_clues(user, q: str, limit: int):
    found = ClueFilters.from_params({"q": q}).apply(visible_clues(user), user=user).select_related("unit")
    found = found.order_by("-id")
    hits = [SearchHit(f"{c.reference_no or f'#{c.pk}'}　{mask_free_text(c.content)[:60]}",
                      reverse("clues:detail", args=[c.pk]),
                      f"{c.unit.name if c.unit_id else '未分办'} · {c.get_status_display()} · 受理 {c.received_date:%Y-%m-%d}")
            for c in found[:limit]]
    return hits, found.count()


def clue_list_url(q: str) -> str:
    return reverse("clues:list") + "?" + urlencode({"q": q})


def search_cases(user, q: str, limit: int):
    found = visible_cases(user).filter(Q(name__icontains=q) | Q(reference_no__icontains=q) | Q(summary__icontains=q))
    found = found.select_related("unit").order_by("-id")
    hits = [SearchHit(f"{c.reference_no + '　' if c.reference_no else ''}{c.name}", reverse("cases:detail", args=[c.pk]),
                      f"{c.unit.name} · {c.get_status_display()}") for c in found[:limit]]
    return hits, found.count()
