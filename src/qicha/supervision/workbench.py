"""Supervision on the 工作台: the inspections the viewer takes part in that are planned or under way."""

from qicha.core.scope import has_permission
from qicha.core.workbench import TODO_LIMIT, Card, Figure, count_each

from .queries.inspections import my_inspections

MINE = "/supervision/inspections/?mine=1&ongoing=1"


def inspection_figures(viewer) -> dict[str, Figure]:
    if not has_permission(viewer.user, "inspection.work"):
        return {}
    return {"inspections": Figure("我参加的督导检查", count_each(mine=my_inspections(viewer.user))["mine"], MINE)}


def inspection_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    figure = figures["inspections"]
    rows = list(my_inspections(viewer.user)[:TODO_LIMIT]) if figure.value else []
    return [Card("inspections", figure.label, "notify/_todo_card.html", count=figure.value, link=figure.url, rows=rows,
                 row_template="supervision/_todo_row.html")]
