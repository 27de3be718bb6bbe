"""The cockpit as data: every registered panel for the viewer's focus, and the same as JSON for the page's charts,
the API and the Excel export."""

from qicha.core.workbench import Viewer, panels_for

from .focus import focus_for

# The API list route behind each ledger page a figure opens (same filter names).
API_LISTS = {"/problems/": "/api/v1/problems", "/clues/": "/api/v1/clues", "/cases/": "/api/v1/cases",
             "/supervision/accountability/": "/api/v1/accountability",
             "/supervision/inspections/": "/api/v1/inspections", "/screening/hits/": "/api/v1/screening/hits",
             "/vetting/candidates/": "/api/v1/vetting/candidates", "/vetting/members/": "/api/v1/vetting/members",
             "/ledgers/village_disputes/": "/api/v1/ledgers/village_disputes/rows"}


def api_url(url: str | None) -> str | None:
    if not url:
        return None
    path, _, query = url.partition("?")
    api = API_LISTS.get(path)
    return f"{api}?{query}" if api else None


def cockpit(user, params, today=None) -> dict:
    """{"focus", "panels"}: raises NotFound for a viewer without the dashboard permission or a unit out of scope."""
    focus = focus_for(user, params)
    viewer = Viewer(user, today)
    return {"focus": focus, "panels": panels_for(viewer, focus), "today": viewer.today}


def panel_data(panel) -> dict:
    """A panel as plain data (the page's charts and the API): every figure with its list's URL."""
    return {
        "key": panel.key, "title": panel.title, "chart": panel.chart, "columns": panel.columns, "note": panel.note,
        "rows": [{"label": row.label, "url": row.url, "light": row.light,
                  "cells": [{"label": f.label, "value": f.value, "url": f.url, "api_url": api_url(f.url)}
                            for f in row.cells]} for row in panel.rows],
    }
