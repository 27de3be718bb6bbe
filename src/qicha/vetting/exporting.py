"""The round's workbooks, written with core.excel_export: the 联审意见汇总表 (every department's answer per candidate,
the pre-check hints, the result; with the signature lines the county files) and each department's sheet to fill in
(re-imported by `services.answers.import_answers`). Identity numbers are masked in both."""

from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.excel_export import ExportColumn, write_ledger

from . import importing, queries
from .models import RoundDepartment, VettingRound


def hints_text(hits: list[dict]) -> str:
    return "；".join(f"{h['ground']}（{h['source']}）" for h in hits)


def summary_workbook(actor, round_: VettingRound) -> tuple[bytes, str]:
    departments, rows = queries.matrix(round_)
    columns = [ExportColumn("序号", 6), ExportColumn("村（社区）", 16), ExportColumn("姓名", 10),
               ExportColumn("身份证号", 21), ExportColumn("拟任职务", 14), ExportColumn("党员", 6)]
    columns += [ExportColumn(d.name, 16, wrap=True, group="各部门联审意见") for d in departments]
    columns += [ExportColumn("比对提示", 22, wrap=True), ExportColumn("联审结果", 10),
                ExportColumn("复核决定及理由", 24, wrap=True)]

    def body():
        for row in rows:
            c = row.candidate
            decision = f"{c.get_decision_display()}：{c.decision_reason}" if c.decision else ""
            yield [c.number, c.village, c.name, c.id_number.masked, c.post, "是" if c.party_member else "否",
                   *[(o.text if o is not None else "未答复") for o in row.cells],
                   hints_text(c.precheck_hits), row.result_label, decision]
        # The signature lines the county files with the signed summary (rows as wide as the table).
        width = len(columns)
        for line in ([], ["各联审部门（签章）："], *([f"{d.name}：", "（签字）", "", "日期："] for d in departments),
                     ["县级联审工作领导小组（签章）：", "", "", "日期："]):
            yield [*line, *([""] * (width - len(line)))]

    title = f"{round_.election}候选人联审意见汇总表"
    subtitle = (f"联审地区：{round_.region.name}　答复截止：{round_.deadline:%Y年%-m月%-d日}　"
                f"状态：{round_.get_status_display()}　导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    data = write_ledger("联审意见汇总表", title, subtitle, columns, body())
    record_event(EventType.EXPORT, actor=actor, obj=round_, action="export_summary",
                 detail=f"导出联审意见汇总表 {len(rows)} 名候选人（身份证号脱敏）")
    return data, f"{round_.election}联审意见汇总表.xlsx"


def department_workbook(actor, department: RoundDepartment) -> tuple[bytes, str]:
    """The department's sheet: its candidates (masked), the hints, and its answers so far, to fill and upload."""
    round_ = department.round
    opinions = {o.candidate_id: o for o in department.opinions.all()}
    columns = [ExportColumn(c.label, c.width,
                            wrap=c.key in ("hints", "note")) for c in importing.ANSWER_COLUMNS]

    def body():
        for c in round_.candidates.all():
            o = opinions.get(c.pk)
            yield [c.number, c.village, c.name, c.id_number.masked, c.post, hints_text(c.precheck_hits),
                   o.get_verdict_display() if o else "", o.get_ground_display() if o and o.ground else "",
                   o.note if o else ""]

    title = f"{round_.election}候选人联审意见表（{department.name}）"
    subtitle = (f"请在“意见”列填写“无异议”或“有异议”；有异议的填写异议依据（受过刑事处罚、涉黑涉恶、村霸、宗族恶势力、"
                f"违纪违法、其他）。答复截止：{round_.deadline:%Y-%m-%d}")
    data = write_ledger("联审意见表", title, subtitle, columns, body())
    record_event(EventType.EXPORT, actor=actor, obj=department, action="export_department_sheet",
                 object_repr=f"{round_.election} {department.name}", detail="下载本部门联审意见表（身份证号脱敏）")
    return data, f"{round_.election}联审意见表-{department.name}.xlsx"
