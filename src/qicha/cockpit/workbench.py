"""The leader's 工作台: a compact cockpit (the league table's first rows, overdue figures, this month's reports).

The 工作台 itself asks nothing for it: the card is a placeholder that fetches `/dashboard/card/` once the page has
loaded (htmx), so the to-do lists arrive as fast as before and the league table a moment later."""

from qicha.core.scope import has_permission
from qicha.core.workbench import Card, Figure

from . import panels
from .focus import PERMISSION, focus_for

CARD_ROWS = 8


def cockpit_figures(viewer) -> dict[str, Figure]:
    if not has_permission(viewer.user, PERMISSION):
        return {}
    return {"cockpit": Figure("统计看板", None)}  # a link to the page, not a count: the card loads the figures


def cockpit_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    return [Card("cockpit", "统计看板（红黄绿灯）", "cockpit/_workbench_placeholder.html", slot="wide",
                 link="/dashboard/")]


def compact(viewer) -> dict:
    """What the card shows, for `/dashboard/card/`: the league table over the viewer's whole scope, the overdue
    problems in it and this month's reports."""
    focus = focus_for(viewer.user, {}, current=viewer.fact("campaign"), compact=True)
    league = panels.league_table(viewer, focus)
    reports = panels.reporting_timeliness(viewer, focus)
    lights = [row.light for row in league.rows]
    # The league table's own aggregate: the overdue problems in scope.
    overdue = sum(panels.overdue_problems_by_unit(viewer, focus).values())
    current = None
    if reports is not None:
        current = next((row for row in reports.rows if row.cells[3].value is None), None) or (
            reports.rows[-1] if reports.rows else None)
    return {"title": "统计看板（红黄绿灯）", "link": "/dashboard/", "rows": league.rows[:CARD_ROWS],
            "data": {"lights": {colour: lights.count(colour) for colour in ("red", "yellow", "green")},
                     "columns": league.columns, "overdue": overdue,
                     "overdue_url": focus.link("/problems/", overdue=1), "report": current,
                     "more": max(0, len(league.rows) - CARD_ROWS)}}
