"""全局搜索: one box in the header; each ledger answers for its own records (core.registry.register_search), in the
user's data scope, and the page groups the hits by kind with how many there are and a link to the full list."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .registry import searchers

LIMIT = 20
MAX_QUERY = 60


@login_required
def search(request):
    q = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY]
    groups = []
    if q:
        for searcher in searchers():
            hits, total = searcher.search(request.user, q, LIMIT)
            if total:
                groups.append({"key": searcher.key, "label": searcher.label, "hits": hits, "total": total,
                               "more": searcher.list_url(q) if searcher.list_url and total > len(hits) else ""})
    return render(request, "core/search.html", {
        "q": q, "groups": groups, "total": sum(g["total"] for g in groups), "breadcrumbs": [("搜索", None)],
    })
