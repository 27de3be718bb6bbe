"""The leader's 工作台: a compact cockpit (the league table's first rows, overdue figures, this month's reports)."""

from qicha.core.scope import has_permission
from qicha.core.workbench import Card, Figure

from . import panels
from .focus import PERMISSION, focus_for

CARD_ROWS = 8


def _compact(viewer):
    def build():
        focus = focus_for(viewer.user, {}, current=viewer.fact("campaign"))
        return focus, panels.league_table(viewer, focus), panels.reporting_timeliness(viewer, focus)
    return viewer.once("cockpit", build)


def cockpit_figures(viewer) -> dict[str, Figure]:
    if not has_permission(viewer.user, PERMISSION):
        return {}
    _, league, _ = _compact(viewer)
    lights = [row.light for row in league.rows]
    return {"red_units": Figure("红灯单位", lights.count("red")),
            "yellow_units": Figure("黄灯单位", lights.count("yellow")),
            "green_units": Figure("绿灯单位", lights.count("green"))}


def cockpit_cards(viewer, figures) -> list[Card]:
    if not figures:
        return []
    focus, league, reports = _compact(viewer)
    facts = panels.problem_facts(viewer, focus)  # the league table's own aggregate: the overdue problems in scope
    overdue = sum(n for _, _, n in facts["overdue_units"]) if facts is not None else 0
    current = None
    if reports is not None:
        current = next((row for row in reports.rows if row.cells[3].value is None), None) or (
            reports.rows[-1] if reports.rows else None)
    return [Card("cockpit", "统计看板（红黄绿灯）", "cockpit/_workbench_card.html", slot="wide", link="/dashboard/",
                 count=figures["red_units"].value, rows=league.rows[:CARD_ROWS],
                 data={"figures": figures, "columns": league.columns, "overdue": overdue,
                       "overdue_url": focus.link("/problems/", overdue=1), "report": current,
                       "more": max(0, len(league.rows) - CARD_ROWS)})]
