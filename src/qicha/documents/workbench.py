"""单位总结 on the 工作台: the office's summaries waiting to be received, a unit's summaries sent back to it."""

from django.utils import timezone

from qicha.core.scope import has_permission, scope_filter
from qicha.core.workbench import TODO_LIMIT, Card, Figure, TodoRow

from .models import UnitSummary
from .models import UnitSummaryStatus as S
from .unit_workflow import REVIEW, SUBMIT

HOME = "/documents/units/"
# name → (label, the permission that makes it a to-do, the status it waits in)
TODOS = {"summaries_to_accept": ("待接收的单位总结", REVIEW, S.SUBMITTED),
         "summaries_returned": ("被退回的本单位总结", SUBMIT, S.RETURNED)}


def _lists(viewer) -> dict:
    campaign, user = viewer.fact("campaign"), viewer.user
    if campaign is None:
        return {}
    return {name: UnitSummary.objects.filter(scope_filter(user, permission), campaign=campaign, status=status)
            for name, (_, permission, status) in TODOS.items() if has_permission(user, permission)}


def summary_counts(viewer) -> dict:
    return viewer.once("unit_summaries", lambda: _lists(viewer))


def summary_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("unit_summaries")
    # The collection page breaks these down by kind; no list shows one of them alone.
    return {name: Figure(TODOS[name][0], n, None) for name, n in counts.items()}


def summary_cards(viewer, figures) -> list[Card]:
    lists = viewer.once("unit_summaries", lambda: _lists(viewer))
    cards = []
    for name, queryset in lists.items():
        count = figures[name].value
        rows = []
        for s in queryset.select_related("unit").order_by("submitted_at", "id")[:TODO_LIMIT] if count else []:
            detail = (f"退回理由：{s.return_reason}" if s.status == S.RETURNED
                      else f"提交于 {timezone.localtime(s.submitted_at):%Y-%m-%d %H:%M}" if s.submitted_at else "")
            rows.append(TodoRow(f"/documents/units/{s.pk}/", str(s), detail, pk=s.pk))
        cards.append(Card(f"documents_{name}", figures[name].label, "notify/_todo_card.html", count=count, link=HOME,
                          rows=rows))
    return cards
