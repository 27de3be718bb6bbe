"""The cockpit's panels for village organisations (core.workbench.register_panel): candidates vetted and rejected per
county, the rejections by ground, members cleaned out and refilled, and the three dispute figures (小事不出村、大事不出乡、
矛盾不上交). Each figure is the count of the very list it opens (the same queries and filters)."""

from urllib.parse import urlencode

from qicha.core.scope import has_permission
from qicha.core.workbench import Figure, Panel, PanelRow
from qicha.ledgers import queries as ledger_queries
from qicha.ledgers.models import LedgerDefinition

from . import queries
from .models import Ground, Result

DISPUTES = "village_disputes"
RESOLVED_AT = "resolved_at"
LEVELS = (("村级化解", "小事不出村"), ("乡镇级化解", "大事不出乡"), ("县级化解", "矛盾不上交"))


def _url(path: str, **params) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def _candidates(user, unit, **params) -> Figure:
    filters = queries.CandidateFilters.from_params({"unit": str(unit.pk) if unit else ""} | params)
    count = queries.candidate_list(user, filters).count()
    return Figure("", count, _url("/vetting/candidates/", unit=unit.pk if unit else None, **params))


def _members(user, unit, **params) -> Figure:
    filters = queries.MemberFilters.from_params({"unit": str(unit.pk) if unit else ""} | params)
    count = queries.member_list(user, filters).count()
    return Figure("", count, _url("/vetting/members/", unit=unit.pk if unit else None, **params))


def _county_cells(user, unit) -> list[Figure]:
    return [_candidates(user, unit), _candidates(user, unit, result=Result.FAIL), _members(user, unit),
            _members(user, unit, complete="1")]


def vetting_by_county(viewer, focus):
    user = viewer.user
    if not has_permission(user, queries.VIEW):
        return None
    rows = [PanelRow(focus.unit.name if focus.unit else "合计", _county_cells(user, focus.unit))]
    regions = set(queries.visible_rounds(user).values_list("region_id", flat=True)) | set(
        queries.visible_members(user).values_list("region_id", flat=True))
    for unit in focus.row_units:
        if any(focus.row_by_unit.get(region) == unit.pk for region in regions):
            rows.append(PanelRow(unit.name, _county_cells(user, unit)))
    return Panel("village_vetting", "村“两委”候选人联审与问题成员清理", "bar",
                 ["联审候选人", "联审不通过", "清理问题成员", "已补齐配强"], rows)


def rejections_by_ground(viewer, focus):
    user = viewer.user
    if not has_permission(user, queries.VIEW):
        return None
    rows = [PanelRow(label, [_candidates(user, focus.unit, result=Result.FAIL, ground=value)])
            for value, label in Ground.choices]
    return Panel("village_vetting_grounds", "联审不通过候选人（按异议依据）", "bar", ["不通过候选人"], rows,
                 note="一名候选人有多个部门以不同依据提出异议的，在每个依据下各计一次。")


def disputes(viewer, focus):
    user = viewer.user
    definition = LedgerDefinition.objects.filter(key=DISPUTES).first()
    if definition is None or not ledger_queries.visible_definitions(user).filter(pk=definition.pk).exists():
        return None
    rows = []
    for level, saying in LEVELS:
        params = {"unit": str(focus.unit.pk) if focus.unit else "", f"f_{RESOLVED_AT}": level}
        filters = ledger_queries.RowFilters.from_params(params, definition)
        count = ledger_queries.row_list(user, definition, filters).count()
        rows.append(PanelRow(f"{saying}（{level}）", [Figure("", count, _url(f"/ledgers/{DISPUTES}/", **params))]))
    return Panel("village_disputes", "矛盾纠纷排查化解", "bar", ["化解件数"], rows,
                 note="小事不出村、大事不出乡、矛盾不上交：按矛盾纠纷排查化解台账的“化解层级”计数。")


PANEL_BUILDERS = [("village_vetting", 130, vetting_by_county), ("village_vetting_grounds", 131, rejections_by_ground),
                  ("village_disputes", 132, disputes)]
