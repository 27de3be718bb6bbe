"""Supervision on the 工作台: the inspections the viewer takes part in that are planned or under way."""

from qicha.core.scope import has_permission
from qicha.core.workbench import TODO_LIMIT, Card, Figure, TodoRow, cut

from .queries.inspections import my_inspections

MINE = "/supervision/inspections/?mine=1&ongoing=1"


def _day(d) -> str:
    return f"{d.month}月{d.day}日" if d else ""


def inspection_row(i) -> TodoRow:
    return TodoRow(f"/supervision/inspections/{i.pk}/", cut(i.title, 28),
                   f"{i.get_kind_display()} · {_day(i.starts_on)}—{_day(i.ends_on)}", aside=i.get_status_display(),
                   pk=i.pk)


def inspection_counts(viewer) -> dict:
    return {"mine": my_inspections(viewer.user)} if has_permission(viewer.user, "inspection.work") else {}


def inspection_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("supervision")
    return {"inspections": Figure("我参加的督导检查", counts["mine"], MINE)} if counts else {}


def inspection_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    figure = figures["inspections"]
    rows = [inspection_row(i) for i in my_inspections(viewer.user)[:TODO_LIMIT]] if figure.value else []
    return [Card("inspections", figure.label, "notify/_todo_card.html", count=figure.value, link=figure.url, rows=rows)]
