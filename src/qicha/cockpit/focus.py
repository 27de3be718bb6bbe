"""What the cockpit looks at: the campaign, the unit subtree (the page's unit filter) and the units it ranks."""

from dataclasses import dataclass, field
from urllib.parse import quote_plus

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
    units: list = field(default_factory=list)  # every unit in the viewer's dashboard scope, in tree order
    # The 工作台's card (and the 通报 / 简报 drafts) build the league table alone: it then reads the narrow passes
    # it needs instead of the page's shared ones, which serve every panel at once.
    compact: bool = False

    def params(self, **extra) -> dict:
        base = {}
        if self.campaign is not None:
            base["campaign"] = self.campaign.pk
        if self.unit is not None:
            base["unit"] = self.unit.pk
        return base | {k: v for k, v in extra.items() if v not in (None, "")}

    def link(self, path: str, **extra) -> str:
        """A ledger list's URL under the page's campaign and unit (a row's unit replaces the page's): what
        `urlencode` gives, ids and plain words written as they are (a city's page builds ~600 links)."""
        return f"{path}?{'&'.join(f'{key}={_encoded(value)}' for key, value in self.params(**extra).items())}"

    def rollup(self, pairs) -> dict:
        """{(ranked unit id, key): n} from (unit id, key, n) rows of a GROUP BY: each unit counts toward the ranked
        unit above it (its subtree), with no query per unit."""
        totals: dict = {}
        for unit_id, key, n in pairs:
            row = self.row_by_unit.get(unit_id)
            if row is not None:
                totals[(row, key)] = totals.get((row, key), 0) + n
        return totals


def _encoded(value) -> str:
    if type(value) is int:
        return str(value)
    text = str(value)
    return text if text.isascii() and text.replace("_", "").isalnum() else quote_plus(text)


def focus_for(user, params, *, current=None, compact: bool = False) -> Focus:
    """The page's focus from `?campaign=&unit=`; a unit outside the viewer's dashboard scope is a 404. `current` is
    the current campaign when the caller already has it (the 工作台 does); `compact`: only the league table is built."""
    if not has_permission(user, PERMISSION):
        raise NotFound()
    campaign_id, unit_id = parse_id(params.get("campaign") or ""), parse_id(params.get("unit") or "")
    if campaign_id:
        campaign = campaign_queries.get_campaign(user, campaign_id)
    else:
        campaign = current if current is not None else campaign_queries.current_campaign(user)
    # The units in scope, read once (a city has a few hundred): the ranked rows and who rolls up into them.
    units = list(units_in_scope(user, PERMISSION).only("pk", "name", "short_name", "path", "depth").order_by("path"))
    unit = None
    if unit_id:
        unit = next((u for u in units if u.pk == unit_id), None)
        if unit is None:
            raise NotFound()
    rows = ranked_units(units, unit)
    return Focus(campaign, unit, rows, rows_by_unit(units, rows), units, compact)


def rows_by_unit(units, rows) -> dict:
    """unit id → the ranked unit (id) whose subtree holds it: the ranked unit whose path is the longest prefix of
    the unit's (a path is `steplen` characters per level), looked up level by level, not compared with every row."""
    ranked = {row.path: row.pk for row in rows}
    step = units[0].steplen if units else 1
    found = {}
    for candidate in units:
        path = candidate.path
        for end in range(len(path), 0, -step):
            row = ranked.get(path[:end])
            if row is not None:
                found[candidate.pk] = row
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
