"""The sector ledgers' figures for the cockpit (core.workbench): per ledger, its rows in the viewer's scope and,
where it has a yes/no 是否办结 column, the rows not yet closed; each opens the list showing exactly those rows.
Counted with the other ledgers' figures in one query (core.workbench), plus the definitions. No cockpit panel calls `queries.counts_by_unit` /
`queries.counts_by_column` per ledger: a panel over a ledger (vetting's 矛盾纠纷) groups the rows in one query."""

from urllib.parse import quote

from django.urls import reverse

from qicha.core.scope import has_permission
from qicha.core.workbench import Card, Figure, TodoRow

from . import columns as col
from . import queries

CLOSED_WORDS = ("办结", "整改到位")
UNFILED_URL = "/ledgers/todo/unfiled/"


def closed_column(definition) -> str | None:
    return next((c["key"] for c in definition.visible_columns
                 if c["type"] == col.YESNO and any(word in c["label"] for word in CLOSED_WORDS)), None)


def _ledger_sets(viewer) -> tuple[dict, dict]:
    return viewer.once("ledgers.sets", lambda: _sets_and_labels(viewer.user))


def _sets_and_labels(user) -> tuple[dict, dict]:
    if not has_permission(user, queries.VIEW):
        return {}, {}
    definitions = list(queries.visible_definitions(user))
    sets, labels = {}, {}
    for d in definitions:
        sets[d.key] = queries.visible_rows(user, d)
        labels[d.key] = (d.name, f"/ledgers/{d.key}/")
        closed = closed_column(d)
        if closed:
            sets[f"{d.key}.open"] = queries.row_list(user, d, queries.RowFilters(columns={closed: "否"}))
            labels[f"{d.key}.open"] = (f"{d.name}：未办结", f"/ledgers/{d.key}/?f_{closed}={quote('否')}")
    return sets, labels


def ledger_counts(viewer) -> dict:
    return _ledger_sets(viewer)[0]


def ledger_figures(viewer) -> dict[str, Figure]:
    labels = _ledger_sets(viewer)[1]
    return {name: Figure(labels[name][0], n, labels[name][1]) for name, n in viewer.counts("ledgers").items()}


# ---- 工作台: the monthly ledgers the viewer's unit has not filled this month (one query) ----------------------

def _unfiled(viewer) -> list:
    return viewer.once("ledgers.unfiled", lambda: queries.unfiled_for_unit(viewer.user, viewer.today))


def monthly_figures(viewer) -> dict[str, Figure]:
    if not viewer.user.unit_id or not has_permission(viewer.user, "ledger.edit"):
        return {}
    return {"unfiled": Figure(f"本月（{viewer.today.month}月）待填报的台账", len(_unfiled(viewer)), UNFILED_URL)}


def monthly_cards(viewer, figures: dict[str, Figure]) -> list[Card]:
    """Shown only while something is left to fill: once every monthly ledger is filled the card goes away."""
    figure = figures.get("unfiled")
    if figure is None or not figure.value:
        return []
    return [Card("ledgers_unfiled", figure.label, "notify/_todo_card.html", count=figure.value, link=figure.url,
                 rows=[TodoRow(reverse("ledgers:rows", args=[d.key]), d.name, "填报本月情况，或在台账页报“本月无新增”",
                               aside=f"{viewer.today.month}月未填报", aside_class="text-warning")
                       for d in _unfiled(viewer)])]
