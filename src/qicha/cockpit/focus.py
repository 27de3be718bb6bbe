"""What the cockpit looks at: the campaign, the unit subtree (the page's unit filter) and the units it ranks."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from qicha.campaigns import queries as campaign_queries
from qicha.core.errors import NotFound
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, units_in_scope

PERMISSION = "dashboard.view"


@dataclass
class Focus:
    campaign: object  # Campaign or None
    unit: object  # the unit filter (its whole subtree), or None: everything in scope
    row_units: list = field(default_factory=list)  # the units the per-unit panels rank (each with its subtree)
    row_by_unit: dict = field(default_factory=dict)  # unit id → the ranked unit whose subtree holds it

    def params(self, **extra) -> dict:
        base = {}
        if self.campaign is not None:
            base["campaign"] = self.campaign.pk
        if self.unit is not None:
            base["unit"] = self.unit.pk
        return base | {k: v for k, v in extra.items() if v not in (None, "")}

    def link(self, path: str, **extra) -> str:
        """A ledger list's URL under the page's campaign and unit (a row's unit replaces the page's)."""
        return f"{path}?{urlencode(self.params(**extra))}"

    def rollup(self, pairs) -> dict:
        """{(ranked unit id, key): n} from (unit id, key, n) rows of a GROUP BY: each unit counts toward the ranked
        unit above it (its subtree), with no query per unit."""
        totals: dict = {}
        for unit_id, key, n in pairs:
            row = self.row_by_unit.get(unit_id)
            if row is not None:
                totals[(row, key)] = totals.get((row, key), 0) + n
        return totals


def focus_for(user, params, *, current=None) -> Focus:
    """The page's focus from `?campaign=&unit=`; a unit outside the viewer's dashboard scope is a 404. `current` is
    the current campaign when the caller already has it (the 工作台 does)."""
    if not has_permission(user, PERMISSION):
        raise NotFound()
    campaign_id, unit_id = parse_id(params.get("campaign") or ""), parse_id(params.get("unit") or "")
    if campaign_id:
        campaign = campaign_queries.get_campaign(user, campaign_id)
    else:
        campaign = current if current is not None else campaign_queries.current_campaign(user)
    # The units in scope, read once (a city has a few hundred): the ranked rows and who rolls up into them.
    units = list(units_in_scope(user, PERMISSION).only("pk", "name", "path", "depth").order_by("path"))
    unit = None
    if unit_id:
        unit = next((u for u in units if u.pk == unit_id), None)
        if unit is None:
            raise NotFound()
    rows = ranked_units(units, unit)
    return Focus(campaign, unit, rows, rows_by_unit(units, rows))


def rows_by_unit(units, rows) -> dict:
    """unit id → the ranked unit (id) whose subtree holds it."""
    found = {}
    ordered = sorted(rows, key=lambda u: -len(u.path))
    for candidate in units:
        for row in ordered:
            if candidate.path.startswith(row.path):
                found[candidate.pk] = row.pk
                break
    return found


def ranked_units(units, unit) -> list:
    """The units a league table ranks: the chosen unit's children (itself when it has none); with no unit chosen,
    the children of the top of the viewer's scope (a city's districts and departments, a district's offices)."""
    if unit is None:
        if not units:
            return []
        depth = min(u.depth for u in units)
        tops = [u for u in units if u.depth == depth]
        if len(tops) > 1:
            return tops
        unit = tops[0]
    children = [u for u in units if u.depth == unit.depth + 1 and u.path.startswith(unit.path)]
    return children or [unit]
