"""The city roll-up ledger (全市汇总台账) of one period, built from the frozen snapshots, as a background job."""

from datetime import date

from django.utils import timezone

from qicha.core.errors import Invalid
from qicha.core.excel_export import ExportColumn, LedgerWorkbook
from qicha.jobs.registry import JobOutput, job_handler
from qicha.problems.numbers import format_problem_no

from . import queries
from .models import REPORTED_STATUSES
from .services.periods import check_rollup
from .snapshot import PROBLEM_COLUMNS

SUMMARY_COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("单位", 26), ExportColumn("报送状态", 14), ExportColumn("报送时间", 18),
    ExportColumn("是否按时", 10),
    ExportColumn("查摆问题", 10, group="问题整改"), ExportColumn("已销号", 10, group="问题整改"),
    ExportColumn("逾期未整改", 12, group="问题整改"),
    ExportColumn("线索", 10), ExportColumn("督办案件", 10),
]
WIDTHS = {"description": 40, "measures": 30, "unit": 22, "check_item": 16}
UNIT_COLUMNS = [ExportColumn(label, WIDTHS.get(key, 12), wrap=key in ("description", "measures"))
                for key, label in PROBLEM_COLUMNS]


DATE_KEYS = ("deadline",)  # ISO text in the snapshot's JSON; a date cell in the workbook, as in the ledger export


def _value(row: dict, key: str):
    value = row.get(key, "")
    if key == "id" and isinstance(value, int):
        return format_problem_no(value)  # the snapshot keeps the id; the sheet shows the 问题编号 as the ledger does
    if key == "overdue":
        return "是" if value else "否"
    if key in DATE_KEYS and isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _problem_values(row: dict) -> list:
    return [_value(row, key) for key, _ in PROBLEM_COLUMNS]


@job_handler("reporting.rollup", "生成全市汇总台账")
def build_rollup(context):
    actor = context.actor
    check_rollup(actor)  # before reading anything: the roll-up is the office's alone
    period = queries.get_period(actor, context.params.get("period"))
    today = timezone.localdate()
    rows = queries.period_rows(actor, period)
    reported = [r for r in rows if r.submission is not None and r.submission.status in REPORTED_STATUSES]
    if not reported:
        raise Invalid(f"{period}尚无单位报送，无法生成汇总台账。")
    context.progress(10, f"共 {len(rows)} 个应报单位，{len(reported)} 个已报送")
    workbook = LedgerWorkbook()
    subtitle = (f"报送期：{period}（截止 {period.due_date:%Y年%m月%d日}）　应报 {len(rows)} 个单位，"
                f"已报 {len(reported)} 个　生成时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    summary = []
    for index, row in enumerate(rows, start=1):
        cell = queries.cell_for(period, row.submission, today)
        counts = (row.submission.snapshot or {}).get("counts", {}) if cell.reported else {}
        summary.append([
            index, row.unit.name, cell.label,
            # When the report was sent, also for one since returned (the matrix shows that date too).
            timezone.localtime(row.submission.submitted_at).replace(tzinfo=None) if cell.day else None,
            {True: "按时", False: "逾期"}.get(cell.on_time, "") if cell.reported else "",
            counts.get("problems"), counts.get("problems_closed"), counts.get("problems_overdue"),
            counts.get("clues"), counts.get("cases"),
        ])
    totals = [sum(r[i] or 0 for r in summary) for i in range(5, len(SUMMARY_COLUMNS))]
    on_time = sum(1 for r in summary if r[4] == "按时")
    summary.append(["", "合计", f"已报 {len(reported)} / 应报 {len(rows)}", None, f"按时 {on_time}", *totals])
    workbook.add_sheet("汇总", f"{period.campaign.name}月度台账汇总表", subtitle, SUMMARY_COLUMNS, summary)
    for done, row in enumerate(reported, start=1):
        snapshot = row.submission.snapshot
        workbook.add_sheet(row.unit.name, f"{row.unit.name}问题整改台账（{period}）",
                           f"报送时间：{timezone.localtime(row.submission.submitted_at):%Y-%m-%d %H:%M}　"
                           f"SM3 摘要：{row.submission.digest}",
                           UNIT_COLUMNS, (_problem_values(p) for p in snapshot.get("problems", [])))
        context.progress(10 + 85 * done // len(reported), f"已写入 {done}/{len(reported)} 个单位")
    path = context.output_path(f"{period}全市汇总台账.xlsx")
    workbook.save(path)
    return JobOutput(
        result={"units": len(reported), "expected": len(rows), "message": f"已汇总 {len(reported)} 个单位的报送"},
        file_name=path.name,
    )
