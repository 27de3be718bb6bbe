"""What the cockpit plugs into the platform (registered from CockpitConfig.ready()): its panels (core.workbench, where a
sector ledger adds its own), its API router and the leader's compact card on the 工作台."""

from qicha.core import registry
from qicha.core import workbench as core_workbench
from qicha.core.errors import NotFound

from . import api, panels, workbench
from .focus import focus_for

for key, order, build in panels.PANEL_BUILDERS:
    core_workbench.register_panel(key, order=order, build=build)

registry.register_router(api.router)

core_workbench.register("cockpit", order=5, figures=workbench.cockpit_figures, cards=workbench.cockpit_cards)


def _league_rows(viewer) -> list:
    """The league table over the viewer's whole scope, for other apps to read (the 通报 and 简报 drafts)."""
    try:
        focus = focus_for(viewer.user, {}, current=viewer.fact("campaign"), compact=True)
    except NotFound:
        return []
    return panels.league_table(viewer, focus).rows


core_workbench.provide("league_table", _league_rows)
