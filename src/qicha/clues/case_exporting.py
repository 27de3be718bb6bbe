"""The supervised-case ledger as an Excel workbook (案件督办台账): exactly the filtered rows of the case list, in the
user's scope, in the two-level layout staff keep by hand. No sensitive fields (names of cases, not of reporters)."""

from qicha.core.chunked import in_chunks
from qicha.core.errors import NotFound
from qicha.core.excel_export import ExportColumn, describe_filters, export_ledger_file, file_stamp
from qicha.core.scope import has_permission

from . import case_queries
from .models import CaseSource, CaseStatus

LEDGER_NAME = "涉黑涉恶案件督办台账"
CHUNK = 2000
CASE, HANDLING, SECTOR = "案件情况", "办理情况", "一案一整治"
COLUMNS = [
    ExportColumn("序号", 6),
    ExportColumn("案件名称", 22, wrap=True, group=CASE), ExportColumn("案件来源", 14, group=CASE),
    ExportColumn("交办编号", 14, group=CASE), ExportColumn("承办单位", 16, wrap=True, group=CASE),
    ExportColumn("交办日期", 12, group=CASE), ExportColumn("基本案情", 40, wrap=True, group=CASE),
    ExportColumn("状态", 10, group=HANDLING), ExportColumn("办理结果", 30, wrap=True, group=HANDLING),
    ExportColumn("暴露的行业监管漏洞", 30, wrap=True, group=SECTOR), ExportColumn("整治措施", 30, wrap=True, group=SECTOR),
]


def file_name() -> str:
    return f"案件督办台账_{file_stamp()}.xlsx"


def check_export(actor, filters: case_queries.CaseFilters) -> None:
    if not has_permission(actor, "case.view"):
        raise NotFound()
    filters.raise_if_invalid()


def rows(cases):
    for index, case in enumerate(in_chunks(cases, CHUNK), start=1):
        sector = getattr(case, "rectification", None)
        yield [
            index, case.name, case.get_source_display(), case.reference_no, case.unit.name, case.received_date,
            case.summary, case.get_status_display(), case.conclusion,
            sector.gap if sector else "", sector.measures if sector else "",
        ]


def describe(actor, filters: case_queries.CaseFilters) -> str:
    """The filters in words, for the sheet's heading and the job's name ("" for the whole ledger)."""
    return describe_filters(actor, filters, permission="case.view", labels={"active": "只看在办"}, values={
        "status": dict(CaseStatus.choices), "source": dict(CaseSource.choices)})


def export_cases(actor, filters: case_queries.CaseFilters, target, *, report=None) -> dict:
    check_export(actor, filters)
    cases = case_queries.case_list(actor, filters).select_related("unit", "rectification")
    total = cases.order_by().count()
    return export_ledger_file(actor, target, ledger_name=LEDGER_NAME, sheet="案件督办台账", columns=COLUMNS,
                              rows=rows(cases), total=total, report=report, action="case_export",
                              filters=describe(actor, filters))
