"""The self-inspection ledger as an Excel workbook (自查自纠台账): the coverage page as staff keep it by hand — one row
per unit × check item, with what the unit filled in, its state (未填报 / 已填报 / 有问题, derived as on the page), the
problems attached from the problem ledger, who filled it and when. Exactly the units the page lists for the same
filters, in the user's coverage scope.

No sensitive fields (a unit's own account of its work), so nothing is masked; the audit says so.
"""

from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import ExportColumn, describe_filters, export_ledger_file, file_stamp
from qicha.core.scope import has_permission

from . import queries

VIEW = "coverage.view"
LEDGER_NAME = "七查七摆自查自纠台账"

ANSWER, FILING = "自查情况", "填报情况"
COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("单位", 20, wrap=True), ExportColumn("查摆事项", 18, wrap=True),
    ExportColumn("查摆情况", 40, wrap=True, group=ANSWER), ExportColumn("未发现问题", 8, group=ANSWER),
    ExportColumn("未发现问题的理由", 26, wrap=True, group=ANSWER),
    ExportColumn("状态", 8, group=FILING), ExportColumn("发现问题数", 8, group=FILING),
    ExportColumn("填报人", 10, wrap=True, group=FILING), ExportColumn("填报时间", 16, group=FILING),
]


def file_name() -> str:
    return f"自查自纠台账_{file_stamp()}.xlsx"


def _resolve(actor, filters: queries.CoverageFilters):
    """The campaign and `under` unit the filters name, or the refusal the page would give."""
    if not has_permission(actor, VIEW):
        raise NotFound()
    filters.raise_if_invalid()
    if filters.campaign is not None:
        campaign = queries.get_campaign(actor, filters.campaign)
    else:
        campaign = queries.current_campaign(actor)
        if campaign is None:
            raise Invalid("当前没有进行中的专项行动，无可导出的自查自纠台账。")
    under = queries.coverage_under(actor, campaign, filters.under)
    if filters.under is not None and under is None:
        # The page's unit list offers only participating units in scope; any other id is refused, never widened.
        raise Invalid("筛选条件有误", {"under": "单位不在可查看的参与单位中"})
    return campaign, under


def describe(actor, filters: queries.CoverageFilters) -> str:
    """The filters in words ("" for the whole ledger). The campaign is not one: the coverage page is always of one."""
    return describe_filters(actor, filters, permission=VIEW, skip=("campaign",),
                            labels={"under": "单位", "state": "填报情况"}, values={"state": queries.CoverageState.LABELS})


def check_export(actor, filters: queries.CoverageFilters) -> None:
    """What must hold before an export starts: coverage is the actor's to see, the filters are valid."""
    _resolve(actor, filters)


def rows(matrix: queries.Coverage, coverage_rows: list):
    index = 0
    for row in coverage_rows:
        for item, state, entry in row.cells:
            index += 1
            problems = matrix.problem_counts.get((row.unit.pk, item.pk), 0)
            if entry is None:
                yield [index, row.unit.name, str(item), "", "", "", queries.CoverageState.LABELS[state], problems, "",
                       None]
                continue
            yield [
                index, row.unit.name, str(item), entry.statement, "是" if entry.no_problem_found else "否",
                entry.reason if entry.no_problem_found else "", queries.CoverageState.LABELS[state], problems,
                entry.filled_by.display_name, entry.filled_at,
            ]


def export_self_inspections(actor, filters: queries.CoverageFilters, target, *, report=None) -> dict:
    """Write the filtered coverage ledger to `target` (a path or binary file); audited. Returns the job's result."""
    campaign, under = _resolve(actor, filters)
    matrix = queries.coverage(actor, campaign, under=under)
    listed = queries.coverage_rows(matrix, filters.state)
    total = len(listed) * len(matrix.items)
    return export_ledger_file(actor, target, ledger_name=LEDGER_NAME, sheet="自查自纠台账", columns=COLUMNS,
                              rows=rows(matrix, listed), total=total, report=report, action="self_inspection_export",
                              filters=describe(actor, filters), note=f"{campaign.name}，不含敏感字段")
