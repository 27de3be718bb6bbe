"""The clue ledger as an Excel workbook (涉黑涉恶线索核查台账): exactly the filtered rows the user may see, in the
two-level layout staff keep by hand, the reporter masked unless the exporter is entitled (`clue.reveal` over that
clue) and asked for it with a reason — which is audited. Runs as a background job (`clues.export`) writing straight
to a file."""

from django.db.models import Prefetch

from qicha.core.audit import EventType, record_event
from qicha.core.chunked import in_chunks
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import (
    A3,
    ExportColumn,
    LedgerWorkbook,
    describe_filters,
    file_stamp,
    ledger_heading,
    row_progress,
)
from qicha.core.masking import mask_free_text
from qicha.core.scope import has_permission

from . import queries
from .models import Domain, FollowUp, Reply, Result, Source, Status
from .workflow import CLUE_WORKFLOW

LEDGER_NAME = "涉黑涉恶线索核查台账"
CHUNK = 1000
CLUE, HANDLING, REPORTER, AFTER = "线索情况", "办理情况", "举报人", "答复与处置"
# 21 columns on A3 landscape, the long texts wrapping in columns narrow enough that the sheet fits the width at
# about 70 % — 10 pt type prints at 7 pt, not the 4 pt the A4 sheet shrank to.
COLUMNS = [
    ExportColumn("序号", 5), ExportColumn("线索编号", 13),
    ExportColumn("线索来源", 12, wrap=True, group=CLUE), ExportColumn("交办批次", 14, wrap=True, group=CLUE),
    ExportColumn("受理日期", 11, group=CLUE), ExportColumn("反映内容", 34, wrap=True, group=CLUE),
    ExportColumn("涉及领域", 9, group=CLUE), ExportColumn("涉及地区", 14, wrap=True, group=CLUE),
    ExportColumn("被反映人员/组织", 18, wrap=True, group=CLUE),
    ExportColumn("承办单位", 14, wrap=True, group=HANDLING), ExportColumn("承办人", 8, group=HANDLING),
    ExportColumn("办理时限", 11, group=HANDLING), ExportColumn("状态", 10, wrap=True, group=HANDLING),
    ExportColumn("核查结论", 9, group=HANDLING), ExportColumn("核查情况", 26, wrap=True, group=HANDLING),
    ExportColumn("是否实名", 5, wrap=True, group=REPORTER), ExportColumn("举报人", 8, group=REPORTER),
    ExportColumn("联系电话", 13, group=REPORTER),
    ExportColumn("答复情况", 22, wrap=True, group=AFTER), ExportColumn("后续处置", 22, wrap=True, group=AFTER),
    ExportColumn("重复举报", 13, wrap=True, group=AFTER),
]


def repeat_label(clue) -> str:
    """A repeat names the matter's first report by the 线索编号 printed on the ledger (its own # only without one)."""
    if not clue.repeat_of_id:
        return ""
    first = clue.repeat_of
    return f"重复举报，首次：{first.reference_no or f'#{first.pk}'}"


def file_name() -> str:
    return f"线索台账_{file_stamp()}.xlsx"


FLAG_LABELS = {"overdue": "只看超期", "unassigned": "未分办", "real_name": "实名举报", "awaiting_reply": "待答复",
               "repeats": "重复举报", "mine": "我承办的", "to_verify": "待核查", "batch": "交办批次",
               "domain": "涉及领域", "result": "核查结论"}


def describe(actor, filters: queries.ClueFilters) -> str:
    """The filters in words, for the sheet's heading and the job's name ("" for the whole ledger)."""
    return describe_filters(actor, filters, permission="clue.view", labels=FLAG_LABELS, values={
        "status": dict(Status.choices), "source": dict(Source.choices), "domain": dict(Domain.choices),
        "result": dict(Result.choices), "batch": lambda pk: f"#{pk}"})


def check_export(actor, filters: queries.ClueFilters, *, with_reporter: bool = False, reason: str = "") -> None:
    """What must hold before an export starts: the ledger is the actor's to see, the filters are valid, and asking
    for reporters in clear takes `clue.reveal` (else NotFound: nothing disclosed) and a reason."""
    if not has_permission(actor, "clue.view"):
        raise NotFound()
    if with_reporter:
        if not has_permission(actor, "clue.reveal"):
            raise NotFound()
        if not (reason or "").strip():
            raise Invalid("导出举报人明文须说明理由。", {"reason": "请填写导出理由"})
    filters.raise_if_invalid()


def export_clues(actor, filters: queries.ClueFilters, target, *, with_reporter: bool = False, reason: str = "",
                 report=None) -> dict:
    """Write the filtered ledger to `target` (a path or binary file); audited. Returns the job's result."""
    reason = (reason or "").strip()
    check_export(actor, filters, with_reporter=with_reporter, reason=reason)
    clues = queries.clue_list(actor, filters).select_related("repeat_of").prefetch_related(
        "subjects", Prefetch("replies", queryset=Reply.objects.order_by("date", "id")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "id")),
    )
    total = clues.order_by().count()
    if report:
        report(3, f"共 {total:,} 行，正在写入…")
    revealed = 0

    def reporter(clue):
        nonlocal revealed
        if not (clue.reporter_name or clue.reporter_phone):
            return ["", ""]
        if with_reporter and CLUE_WORKFLOW.permits(actor, clue, "clue.reveal"):
            revealed += 1
            # Each clue revealed is recorded as a page reveal is (which clue, why), not only a count per export.
            record_event(EventType.REVEAL, actor=actor, obj=clue, action="reporter_name", detail=f"导出台账：{reason}")
            return [clue.reporter_name.clear(), clue.reporter_phone.clear()]
        return [str(clue.reporter_name), str(clue.reporter_phone)]

    def text(clue, value: str) -> str:
        """Free text with the identity and phone numbers typed into it masked — unless the exporter asked for the
        reporters in clear and may see them for this clue (the same entitlement, audited above)."""
        if with_reporter and CLUE_WORKFLOW.permits(actor, clue, "clue.reveal"):
            return value
        return mask_free_text(value)

    def rows():
        for number, clue in enumerate(in_chunks(clues, CHUNK), start=1):
            subjects = "；".join(s.name + (f"（{s.credit_code}）" if s.credit_code else "") for s in clue.subjects.all())
            replies = "；".join(f"{r.date:%Y-%m-%d} {r.get_channel_display()}：{r.reporter_response}"
                               for r in clue.replies.all())
            follow_ups = "；".join(f"{f.get_kind_display()} {f.date:%Y-%m-%d} {f.document_no}"
                                  for f in clue.follow_ups.all())
            yield [
                number, clue.reference_no, clue.get_source_display(), clue.batch.reference if clue.batch_id else "",
                clue.received_date, text(clue, clue.content), clue.get_domain_display(), clue.region, subjects,
                clue.unit.name if clue.unit_id else "未分办", clue.handler.display_name if clue.handler_id else "",
                clue.due_date, clue.get_status_display() + ("（超期）" if clue.overdue else ""),
                clue.get_result_display() if clue.result else "", text(clue, clue.findings),
                "是" if clue.real_name else "否", *reporter(clue), text(clue, replies), text(clue, follow_ups),
                repeat_label(clue),
            ]

    title, subtitle = ledger_heading(actor, LEDGER_NAME, describe(actor, filters))
    book = LedgerWorkbook()
    written = book.add_sheet("线索台账", title, subtitle, COLUMNS, rows(), progress=row_progress(report, total), paper=A3)
    if report:
        report(97, "正在保存文件…")
    book.save(target)
    shown = f"明文 {revealed} 条，理由：{reason}" if with_reporter else "脱敏"
    record_event(EventType.EXPORT, actor=actor, action="clue_export", detail=f"导出线索台账 {written} 行（举报人{shown}）")
    if with_reporter and revealed:
        record_event(EventType.REVEAL, actor=actor, action="reporter_export", detail=reason)
    masked = not (with_reporter and revealed)
    return {"rows": written, "masked": masked, "revealed": revealed,
            "message": f"已导出 {written:,} 行" + ("" if masked else f"（{revealed} 条举报人为明文）")}
