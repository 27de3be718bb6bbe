"""The clue ledger as an Excel workbook: exactly the filtered rows the user may see, the reporter masked unless the
exporter is entitled (`clue.reveal` over that clue) and asked for it with a reason — which is audited."""

from django.db.models import Prefetch
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import ExportColumn, write_ledger
from qicha.core.scope import has_permission

from . import queries
from .models import FollowUp, Reply
from .workflow import CLUE_WORKFLOW

COLUMNS = [
    ExportColumn("序号", 6), ExportColumn("线索编号", 14), ExportColumn("线索来源", 14), ExportColumn("交办批次", 16),
    ExportColumn("受理日期", 12), ExportColumn("反映内容", 48, wrap=True), ExportColumn("涉及领域", 10),
    ExportColumn("涉及地区", 18, wrap=True), ExportColumn("被反映人员/组织", 24, wrap=True),
    ExportColumn("承办单位", 18, wrap=True), ExportColumn("承办人", 10), ExportColumn("办理时限", 12),
    ExportColumn("状态", 10), ExportColumn("核查结论", 10), ExportColumn("核查情况", 36, wrap=True),
    ExportColumn("是否实名", 8), ExportColumn("举报人", 10), ExportColumn("举报人联系电话", 16),
    ExportColumn("答复情况", 30, wrap=True), ExportColumn("后续处置", 30, wrap=True), ExportColumn("重复举报", 12),
]


def export_clues(actor, filters: queries.ClueFilters, *, with_reporter: bool = False, reason: str = "") -> bytes:
    if not has_permission(actor, "clue.view"):
        raise NotFound()
    reason = (reason or "").strip()
    if with_reporter:
        if not has_permission(actor, "clue.reveal"):
            raise NotFound()
        if not reason:
            raise Invalid("导出举报人明文须说明理由。", {"reason": "请填写导出理由"})
    filters.raise_if_invalid()
    clues = queries.clue_list(actor, filters).prefetch_related(
        "subjects", Prefetch("replies", queryset=Reply.objects.order_by("date", "id")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "id")),
    )
    revealed = 0

    def reporter(clue):
        nonlocal revealed
        if not (clue.reporter_name or clue.reporter_phone):
            return ["", ""]
        if with_reporter and CLUE_WORKFLOW.permits(actor, clue, "clue.reveal"):
            revealed += 1
            return [clue.reporter_name.clear(), clue.reporter_phone.clear()]
        return [str(clue.reporter_name), str(clue.reporter_phone)]

    def rows():
        for number, clue in enumerate(clues.iterator(chunk_size=1000), start=1):
            subjects = "；".join(s.name + (f"（{s.credit_code}）" if s.credit_code else "") for s in clue.subjects.all())
            replies = "；".join(f"{r.date:%Y-%m-%d} {r.get_channel_display()}：{r.reporter_response}" for r in clue.replies.all())
            follow_ups = "；".join(f"{f.get_kind_display()} {f.date:%Y-%m-%d} {f.document_no}" for f in clue.follow_ups.all())
            yield [
                number, clue.reference_no, clue.get_source_display(), clue.batch.reference if clue.batch_id else "",
                clue.received_date, clue.content, clue.get_domain_display(), clue.region, subjects,
                clue.unit.name if clue.unit_id else "未分办", clue.handler.display_name if clue.handler_id else "",
                clue.due_date, clue.get_status_display() + ("（超期）" if clue.overdue else ""),
                clue.get_result_display() if clue.result else "", clue.findings, "是" if clue.real_name else "否",
                *reporter(clue), replies, follow_ups, f"重复 #{clue.repeat_of_id}" if clue.repeat_of_id else "",
            ]

    unit = actor.unit.name if actor.unit_id else ""
    today = timezone.localdate()
    data = write_ledger("线索台账", f"{unit}涉黑涉恶线索核查台账", f"填报单位：{unit}　　　截至日期：{today:%Y年%m月%d日}",
                        COLUMNS, rows())
    record_event(EventType.EXPORT, actor=actor, action="clue_export",
                 detail=f"导出线索台账（举报人{'明文 ' + str(revealed) + ' 条，理由：' + reason if with_reporter else '脱敏'}）")
    if with_reporter and revealed:
        record_event(EventType.REVEAL, actor=actor, action="reporter_export", detail=reason)
    return data
