"""Supervision on the 工作台: the inspections the viewer takes part in that are planned or under way."""

from qicha.core.scope import has_permission
from qicha.core.workbench import TODO_LIMIT, Card, Figure

from .queries.inspections import my_inspections

MINE = "/supervision/inspections/?mine=1&ongoing=1"


def inspection_counts(viewer) -> dict:
    return {"mine": my_inspections(viewer.user)} if has_permission(viewer.user, "inspection.work") else {}


def inspection_figures(viewer) -> dict[str, Figure]:
    counts = viewer.counts("supervision")
    return {"inspections": Figure("我参加的督导检查", counts["mine"], MINE)} if counts else {}


def inspection_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    figure = figures["inspections"]
    rows = list(my_inspections(viewer.user)[:TODO_LIMIT]) if figure.value else []
    return [Card("inspections", figure.label, "notify/_todo_card.html", count=figure.value, link=figure.url, rows=rows,
                 row_template="supervision/_todo_row.html")]
