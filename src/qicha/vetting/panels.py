"""The cockpit's panels for village organisations (core.workbench.register_panel): candidates vetted and rejected per
county, the rejections by ground, members cleaned out and refilled, and the three dispute figures (小事不出村、大事不出乡、
矛盾不上交). Each figure is the count of the very list it opens (the same scoped querysets and filters), and each
panel asks a grouped aggregate or two, never a query per county, ground or level: the scoped querysets are built once
per page (`Viewer.once`) and grouped by region, then rolled up into the ranked units in Python (`Focus.row_by_unit`)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.fields.json import KT

from qicha.core.scope import has_permission
from qicha.core.workbench import Figure, Panel, PanelRow
from qicha.ledgers import queries as ledger_queries

from . import queries
from .models import Ground, Opinion, Result, Verdict

DISPUTES = "village_disputes"
RESOLVED_AT = "resolved_at"
LEVELS = (("村级化解", "小事不出村"), ("乡镇级化解", "大事不出乡"), ("县级化解", "矛盾不上交"))
COUNTY_COLUMNS = ["联审候选人", "联审不通过", "清理问题成员", "已补齐配强"]


def _url(path: str, **params) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in (None, '')})}"


def _under(queryset, focus, field_name: str):
    # The focus unit is already checked to be in the viewer's scope (cockpit.focus); its path is all the lists use.
    return queryset.filter(**{f"{field_name}__path__startswith": focus.unit.path}) if focus.unit else queryset


def _candidates(viewer, focus):
    """The candidates of candidate_list (with their derived result) under the page's unit, built once per page."""
    return viewer.once(f"vetting.candidates.{focus.params()}", lambda: _under(
        queries.with_results(queries.visible_candidates(viewer.user)), focus, "round__region").order_by())


def _county_counts(viewer, focus) -> dict:
    """{region id: [candidates, rejected, members, refilled]}: one GROUP BY over the candidates (their result derived
    in SQL) and one over the problem members."""
    def build():
        counts: dict = {}
        for region, n, failed in _candidates(viewer, focus).values_list("round__region_id").annotate(
                n=Count("pk"), failed=Count("pk", filter=Q(result=Result.FAIL))):
            counts.setdefault(region, [0, 0, 0, 0])[0:2] = [n, failed]
        members = _under(queries.visible_members(viewer.user), focus, "region").order_by()
        for region, n, refilled in members.values_list("region_id").annotate(
                n=Count("pk"), refilled=Count("pk", filter=Q(refilled_on__isnull=False))):
            counts.setdefault(region, [0, 0, 0, 0])[2:4] = [n, refilled]
        return counts
    return viewer.once(f"vetting.county_counts.{focus.params()}", build)


def _county_cells(values: list, unit) -> list[Figure]:
    unit_id = unit.pk if unit else None
    return [Figure("", values[0], _url("/vetting/candidates/", unit=unit_id)),
            Figure("", values[1], _url("/vetting/candidates/", unit=unit_id, result=Result.FAIL)),
            Figure("", values[2], _url("/vetting/members/", unit=unit_id)),
            Figure("", values[3], _url("/vetting/members/", unit=unit_id, complete="1"))]


def vetting_by_county(viewer, focus):
    if not has_permission(viewer.user, queries.VIEW):
        return None
    counts = _county_counts(viewer, focus)
    total, by_row = [0, 0, 0, 0], {}
    for region, values in counts.items():
        total = [a + b for a, b in zip(total, values, strict=True)]
        row = focus.row_by_unit.get(region)
        if row is not None:
            by_row[row] = [a + b for a, b in zip(by_row.get(row, [0, 0, 0, 0]), values, strict=True)]
    rows = [PanelRow(focus.unit.name if focus.unit else "合计", _county_cells(total, focus.unit))]
    rows += [PanelRow(unit.name, _county_cells(by_row[unit.pk], unit)) for unit in focus.row_units
             if unit.pk in by_row]
    return Panel("village_vetting", "村“两委”候选人联审与问题成员清理", "bar", COUNTY_COLUMNS, rows)


def rejections_by_ground(viewer, focus):
    """Per ground, the rejected candidates with an objection on it (the list's `ground` filter): one GROUP BY over
    the objections, each candidate counted once per ground."""
    if not has_permission(viewer.user, queries.VIEW):
        return None
    rejected = _candidates(viewer, focus).filter(result=Result.FAIL).values("pk")
    counts = dict(Opinion.objects.filter(verdict=Verdict.OBJECTION, candidate__in=rejected).order_by()
                  .values_list("ground").annotate(n=Count("candidate_id", distinct=True)))
    unit_id = focus.unit.pk if focus.unit else None
    rows = [PanelRow(label, [Figure("", counts.get(value, 0), _url("/vetting/candidates/", unit=unit_id,
                                                                      result=Result.FAIL, ground=value))])
            for value, label in Ground.choices]
    return Panel("village_vetting_grounds", "联审不通过候选人（按异议依据）", "bar", ["不通过候选人"], rows,
                 note="一名候选人有多个部门以不同依据提出异议的，在每个依据下各计一次。")


def disputes(viewer, focus):
    """The disputes ledger's rows per 化解层级 under the page's unit: the definition, then one GROUP BY over the
    rows' stored value (the list's `f_resolved_at` filter matches that value exactly)."""
    user = viewer.user
    definition = ledger_queries.visible_definitions(user).filter(key=DISPUTES).first()
    if definition is None:
        return None
    rows_in_focus = _under(ledger_queries.visible_rows(user, definition), focus, "unit").order_by()
    counts = dict(rows_in_focus.values_list(KT(f"values__{RESOLVED_AT}")).annotate(n=Count("pk")))
    rows = []
    for level, saying in LEVELS:
        params = {"unit": str(focus.unit.pk) if focus.unit else "", f"f_{RESOLVED_AT}": level}
        rows.append(PanelRow(f"{saying}（{level}）", [Figure("", counts.get(level, 0),
                                                             _url(f"/ledgers/{DISPUTES}/", **params))]))
    return Panel("village_disputes", "矛盾纠纷排查化解", "bar", ["化解件数"], rows,
                 note="小事不出村、大事不出乡、矛盾不上交：按矛盾纠纷排查化解台账的“化解层级”计数。")


PANEL_BUILDERS = [("village_vetting", 130, vetting_by_county), ("village_vetting_grounds", 131, rejections_by_ground),
                  ("village_disputes", 132, disputes)]
