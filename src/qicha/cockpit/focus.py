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


def focus_for(user, params) -> Focus:
    """The page's focus from `?campaign=&unit=`; a unit outside the viewer's dashboard scope is a 404."""
    if not has_permission(user, PERMISSION):
        raise NotFound()
    campaign_id, unit_id = parse_id(params.get("campaign") or ""), parse_id(params.get("unit") or "")
    campaign = (campaign_queries.get_campaign(user, campaign_id) if campaign_id
                else campaign_queries.current_campaign(user))
    scope = units_in_scope(user, PERMISSION)
    unit = None
    if unit_id:
        unit = scope.filter(pk=unit_id).first()
        if unit is None:
            raise NotFound()
    rows = ranked_units(scope, unit)
    return Focus(campaign, unit, rows, rows_by_unit(scope, rows))


def rows_by_unit(scope, rows) -> dict:
    """unit id → the ranked unit (id) whose subtree holds it, over the units in scope (one query)."""
    found = {}
    ordered = sorted(rows, key=lambda u: -len(u.path))
    for pk, path in scope.values_list("pk", "path"):
        for row in ordered:
            if path.startswith(row.path):
                found[pk] = row.pk
                break
    return found


def ranked_units(scope, unit) -> list:
    """The units a league table ranks: the chosen unit's children (itself when it has none); with no unit chosen,
    the children of the top of the viewer's scope (a city's districts and departments, a district's offices)."""
    if unit is None:
        depth = scope.order_by("depth").values_list("depth", flat=True).first()
        if depth is None:
            return []
        tops = list(scope.filter(depth=depth).order_by("path"))
        if len(tops) > 1:
            return tops
        unit = tops[0]
    children = list(scope.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path"))
    return children or [unit]
