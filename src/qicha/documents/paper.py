"""Forms a clerk prints and a leader signs (R-REP-3): 问题整改销号审批表, 线索交办单, 线索办结报告, 督办函 and the
一事一档 of a problem or a clue — Word documents in the GB/T 9704 layout of the summaries (gbt9704.py), with a PDF
copy where LibreOffice is installed.

Every form is read through the ledgers' own single-record queries (`get_problem`, `get_clue`: out of scope → 404),
identity and phone numbers are masked (the sensitive fields print masked; free text goes through
`core.masking.mask_free_text`), and every form generated is audited as an export.
"""

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone

from qicha.clues import queries as clue_queries
from qicha.clues.models import Status as ClueStatus
from qicha.clues.workflow import CLUE_WORKFLOW
from qicha.core.audit import ACTION_LABELS, EventType, history_of, record_event
from qicha.core.errors import NotFound
from qicha.core.excel_export import issuing_name
from qicha.core.masking import mask_free_text
from qicha.core.scope import has_permission, units_in_scope
from qicha.orgs.models import Unit
from qicha.problems import queries as problem_queries
from qicha.problems.models import SIX_CHECKS, Status
from qicha.problems.numbers import format_problem_no
from qicha.problems.workflow import PROBLEM_WORKFLOW

from .gbt9704 import OfficialDocument, cn_date

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"
BLANK_DATE = "»年　　月　　日"
# The box a signature and a seal go in: room to sign, then the date, right-aligned.
SIGN_HEIGHT_MM = 22


@dataclass
class Paper:
    name: str  # the file name, without the extension
    content: bytes  # the .docx


def _text(value) -> str:
    return mask_free_text(str(value or "")).strip() or "—"


def _day(value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "date") and not isinstance(value, date):
        value = timezone.localtime(value).date()
    return cn_date(value)


def _sign_box(who: str) -> str:
    return f"\n\n»{who}（签字）：　　　　　　　（盖章）\n{BLANK_DATE}"


def issuer_of(actor) -> str:
    """The issuing body's proper name: 局扫黑办 under 市民政局 is 市民政局扫黑办 on paper."""
    return issuing_name(getattr(actor, "unit", None))


def _save(doc: OfficialDocument) -> bytes:
    buffer = io.BytesIO()
    doc.doc.save(buffer)
    return buffer.getvalue()


def _audit(actor, obj, what: str, name: str) -> None:
    record_event(EventType.EXPORT, actor=actor, obj=obj, action="paper", detail=f"生成{what}：{name}.docx")


def _timeline(obj, workflow) -> list[list]:
    rows = []
    for event in history_of(obj).select_related("actor").defer("before", "after"):
        if event.event_type == "transition":
            try:
                label = workflow.get(event.action).label
            except NotFound:
                label = ACTION_LABELS.get(event.action, event.action)
        elif event.event_type == "create":
            label = "登记"
        elif event.event_type == "import":
            label = "导入登记"
        else:
            label = ACTION_LABELS.get(event.action) or event.get_event_type_display()
        who = event.actor.display_name if event.actor_id else (event.actor_username or "系统")
        rows.append([timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"), who, label,
                     _text(event.detail)[:120] if event.detail else ""])
    return rows


# -- 问题 -------------------------------------------------------------------------------------------------------

def _evidence(problem) -> list[str]:
    names = []
    for entry in problem.progress_entries.all():
        names += [f"{a.name}（{_day(entry.created_at)}整改进展）" for a in entry.attachments.all()]
    sign_off = getattr(problem, "sign_off", None)
    if sign_off is not None:
        names += [f"{a.name}（销号材料）" for a in sign_off.attachments.all()]
    return names


def _problem_rows(problem) -> list[list[tuple[str, int]]]:
    item = f"{problem.check_item.label}{problem.check_item.title}" if problem.check_item else "—"
    return [
        [("■问题编号", 1), (format_problem_no(problem.pk), 1), ("■责任单位", 1), (problem.unit.name, 1)],
        [("■问题来源", 1), (problem.get_source_display(), 1), ("■查摆事项", 1), (item, 1)],
        [("■整改类型", 1), (problem.get_rectification_type_display(), 1), ("■整改时限", 1), (_day(problem.deadline), 1)],
        [("■责任领导", 1), (problem.responsible_leader or "—", 1), ("■责任人", 1),
         ((problem.responsible_person.display_name if problem.responsible_person_id else "") or "—", 1)],
        [("■问题描述", 1), (_text(problem.description), 3)],
        [("■整改措施", 1), (_text(problem.measures), 3)],
    ]


def sign_off_form(actor, problem_id) -> Paper:
    """问题整改销号审批表: the problem, its measures and progress, the evidence, the six 不放过 with who confirmed
    them, the opinion, and a box each for the unit, the office and the leader to sign and seal."""
    problem = problem_queries.get_problem(actor, problem_id)
    sign_off = getattr(problem, "sign_off", None) if problem.status == Status.CLOSED else None
    doc = OfficialDocument()
    doc.title("问题整改销号审批表")
    rows = _problem_rows(problem)
    progress = [f"{_day(e.created_at)}（{e.percent}%）{_text(e.text)}" for e in problem.progress_entries.all()]
    rows.append([("■整改完成情况", 1), ("\n".join(progress) or "—", 3)])
    evidence = _evidence(problem)
    rows.append([("■佐证材料清单", 1), ("\n".join(f"{i}. {name}" for i, name in enumerate(evidence, 1)) or "无", 3)])
    checks = sign_off.checks if sign_off else {}
    confirmer = sign_off.signed_by.display_name if sign_off else ""
    rows.append([("■六个不放过", 1), ("■事项", 1), ("■是否做到", 1), ("■确认人及日期", 1)])
    for key, label in SIX_CHECKS.items():
        done = checks.get(key)
        answer = "☑ 是　☐ 否" if done else ("☐ 是　☑ 否" if sign_off else "☐ 是　☐ 否")
        who = f"{confirmer} {timezone.localtime(sign_off.signed_at):%Y-%m-%d}" if sign_off else ""
        rows.append([("", 1), (f"{label}不放过", 1), (answer, 1), (who, 1)])
    rows.append([("■销号意见", 1), ((_text(sign_off.opinion) if sign_off else "") + "\n", 3)])
    boxes = [("■责任单位意见", "负责人"), ("■扫黑办审核意见", "审核人"), ("■局领导审批意见", "分管领导")]
    for label, who in boxes:
        rows.append([(label, 1), (_sign_box(who), 3)])
    first_box = len(rows) - len(boxes)
    six_first = len(rows) - len(boxes) - 1 - len(SIX_CHECKS) - 1
    table = doc.form(rows, min_height_mm={first_box + i: SIGN_HEIGHT_MM for i in range(len(boxes))})
    # “六个不放过” spans its six rows.
    table.cell(six_first + 1, 0).merge(table.cell(six_first + len(SIX_CHECKS), 0))
    name = f"问题整改销号审批表_{format_problem_no(problem.pk)}"
    _audit(actor, problem, "问题整改销号审批表", name)
    return Paper(name, _save(doc))


def problem_dossier(actor, problem_id) -> Paper:
    """一事一档 of a problem: the data, the progress, the sign-off, the timeline and the attachments list."""
    problem = problem_queries.get_problem(actor, problem_id)
    doc = OfficialDocument()
    doc.title(f"问题整改档案\n{format_problem_no(problem.pk)}")
    doc.blank()
    doc.heading(1, "一、基本情况")
    rows = _problem_rows(problem)
    rows.append([("■当前状态", 1), (problem.get_status_display(), 1), ("■登记时间", 1), (_day(problem.created_at), 1)])
    doc.form(rows)
    doc.heading(1, "二、阶段计划与整改进展")
    milestones = [[m.ordinal, m.title, _day(m.due_date), "已完成" if m.done else "未完成"] for m in problem.milestones.all()]
    doc.table("表1　阶段计划（倒排时间表）", ["序号", "节点", "完成时限", "完成情况"],
              milestones or [["—", "未设节点", "", ""]], [14, 86, 32, 24])
    entries = [[_day(e.created_at), e.created_by.display_name, f"{e.percent}%", _text(e.text)]
               for e in problem.progress_entries.all()]
    doc.table("表2　整改进展", ["日期", "填报人", "进度", "进展情况"], entries or [["—", "", "", "暂无"]],
              [30, 24, 16, 86])
    sign_off = getattr(problem, "sign_off", None)
    doc.heading(1, "三、销号情况")
    if sign_off is not None:
        done = "、".join(label for key, label in SIX_CHECKS.items() if sign_off.checks.get(key)) or "无"
        doc.body(f"{_day(sign_off.signed_at)}由{sign_off.signed_by.display_name}审核销号。"
                 f"“六个不放过”已确认：{done}。销号意见：{_text(sign_off.opinion)}")
    else:
        doc.body(f"尚未销号（当前状态：{problem.get_status_display()}）。")
    doc.heading(1, "四、处理记录")
    doc.table("表3　处理记录", ["时间", "经办人", "事项", "说明"], _timeline(problem, PROBLEM_WORKFLOW) or [["—", "", "", ""]],
              [30, 22, 30, 74])
    doc.heading(1, "五、附件清单")
    evidence = _evidence(problem)
    doc.table("表4　附件清单", ["序号", "文件"], [[i, n] for i, n in enumerate(evidence, 1)] or [["—", "无附件"]], [14, 142])
    name = f"一事一档_问题{format_problem_no(problem.pk)}"
    _audit(actor, problem, "一事一档", name)
    return Paper(name, _save(doc))


# -- 线索 -------------------------------------------------------------------------------------------------------

def _clue_no(clue) -> str:
    return clue.reference_no or f"#{clue.pk}"


def _subjects(clue) -> str:
    parts = []
    for s in clue.subjects.all():
        if s.id_number:
            parts.append(f"{s.name}（身份证号 {s.id_number}）")  # a Sealed value prints masked
        elif s.credit_code:
            parts.append(f"{s.name}（统一社会信用代码 {s.credit_code}）")
        else:
            parts.append(s.name)
    return "；".join(parts) or "—"


def _clue_rows(clue) -> list[list[tuple[str, int]]]:
    reporter = "实名举报" if clue.real_name else "匿名"
    if clue.real_name and clue.reporter_name:
        reporter += f"（{clue.reporter_name}，{clue.reporter_phone or '—'}）"  # masked
    return [
        [("■线索编号", 1), (_clue_no(clue), 1), ("■线索来源", 1), (clue.get_source_display(), 1)],
        [("■受理日期", 1), (_day(clue.received_date), 1), ("■涉及领域", 1), (clue.get_domain_display(), 1)],
        [("■涉及地区", 1), (clue.region or "—", 1), ("■举报方式", 1), (reporter, 1)],
        [("■被反映人员/组织", 1), (_subjects(clue), 3)],
        [("■反映内容", 1), (_text(clue.content), 3)],
    ]


def clue_assignment(actor, clue_id) -> Paper:
    """线索交办单: the clue, to whom it is given and by when, and boxes for the office and the receiving unit."""
    clue = clue_queries.get_clue(actor, clue_id)
    doc = OfficialDocument()
    doc.title("涉黑涉恶问题线索交办单")
    doc.blank()
    rows = _clue_rows(clue)
    rows += [
        [("■承办单位", 1), (clue.unit.name if clue.unit_id else "（待分办）", 1), ("■承办人", 1),
         (clue.handler.display_name if clue.handler_id else "—", 1)],
        [("■办理时限", 1), (f"{_day(clue.due_date)}前办结并报送核查结论", 3)],
        [("■办理要求", 1), ("请按照“件件有着落、事事有回音”的要求认真核查，依法依规处理；核查结论、后续处置和"
                           "实名举报答复情况于办理时限前报送扫黑办。涉及举报人信息严格保密。", 3)],
        [("■交办单位意见", 1), (f"\n»{issuer_of(actor)}（盖章）\n{BLANK_DATE}", 3)],
        [("■承办单位签收", 1), (_sign_box("签收人"), 3)],
    ]
    doc.form(rows, min_height_mm={len(rows) - 2: SIGN_HEIGHT_MM, len(rows) - 1: SIGN_HEIGHT_MM})
    name = f"线索交办单_{_clue_no(clue)}".replace("/", "-")
    _audit(actor, clue, "线索交办单", name)
    return Paper(name, _save(doc))


def clue_report(actor, clue_id) -> Paper:
    """线索办结报告: the clue, the verification and its result, the follow-ups, the reply to the reporter and the
    boxes for the handling unit's leader and the office."""
    clue = clue_queries.get_clue(actor, clue_id)
    doc = OfficialDocument()
    doc.title("涉黑涉恶问题线索办结报告")
    doc.blank()
    rows = _clue_rows(clue)
    follow_ups = [f"{f.get_kind_display()}　{_day(f.date)}　{f.document_no}" + (f"　{_text(f.note)}" if f.note else "")
                  for f in clue.follow_ups.all()]
    replies = [f"{_day(r.date)} {r.get_channel_display()}：{_text(r.content)}；举报人反馈：{_text(r.reporter_response)}"
               for r in clue.replies.all()]
    reply_text = ("\n".join(replies) or "尚未答复") if clue.real_name else "匿名举报，无需答复"
    rows += [
        [("■承办单位", 1), (clue.unit.name if clue.unit_id else "—", 1), ("■办理时限", 1), (_day(clue.due_date), 1)],
        [("■核查结论", 1), (clue.get_result_display() if clue.result else "尚未核查", 1), ("■核查完成", 1),
         (_day(clue.verified_at), 1)],
        [("■核查情况", 1), (_text(clue.findings), 3)],
        [("■后续处置", 1), ("\n".join(follow_ups) or "无", 3)],
        [("■答复情况", 1), (reply_text, 3)],
        [("■办结情况", 1), (f"{_day(clue.closed_at)}办结" if clue.status == ClueStatus.CLOSED
                           else f"尚未办结（{clue.get_status_display()}）", 3)],
        [("■承办单位意见", 1), (_sign_box("负责人"), 3)],
        [("■扫黑办审核意见", 1), (_sign_box("审核人"), 3)],
    ]
    doc.form(rows, min_height_mm={len(rows) - 2: SIGN_HEIGHT_MM, len(rows) - 1: SIGN_HEIGHT_MM})
    name = f"线索办结报告_{_clue_no(clue)}".replace("/", "-")
    _audit(actor, clue, "线索办结报告", name)
    return Paper(name, _save(doc))


def clue_dossier(actor, clue_id) -> Paper:
    """一事一档 of a clue: the data, the handling, the follow-ups and replies, the timeline and the linked matters."""
    clue = clue_queries.get_clue(actor, clue_id)
    doc = OfficialDocument()
    doc.title(f"问题线索档案\n{_clue_no(clue)}")
    doc.blank()
    doc.heading(1, "一、基本情况")
    rows = _clue_rows(clue)
    rows += [
        [("■承办单位", 1), (clue.unit.name if clue.unit_id else "未分办", 1), ("■办理时限", 1), (_day(clue.due_date), 1)],
        [("■当前状态", 1), (clue.get_status_display(), 1), ("■核查结论", 1),
         (clue.get_result_display() if clue.result else "—", 1)],
        [("■核查情况", 1), (_text(clue.findings), 3)],
    ]
    doc.form(rows)
    doc.heading(1, "二、后续处置与答复")
    doc.table("表1　后续处置", ["处置方式", "日期", "文号", "说明"],
              [[f.get_kind_display(), _day(f.date), f.document_no, _text(f.note)] for f in clue.follow_ups.all()]
              or [["—", "", "", "无"]], [28, 30, 34, 64])
    doc.table("表2　答复举报人", ["日期", "方式", "答复内容", "举报人反馈"],
              [[_day(r.date), r.get_channel_display(), _text(r.content), _text(r.reporter_response)]
               for r in clue.replies.all()] or [["—", "", "无", ""]], [30, 20, 56, 50])
    same = clue_queries.same_matter(actor, clue)
    doc.heading(1, "三、同一事项的其他反映")
    doc.body("；".join(f"{_clue_no(c)}（{_day(c.received_date)}受理）" for c in same) + "。" if same else "无。")
    doc.heading(1, "四、处理记录")
    doc.table("表3　处理记录", ["时间", "经办人", "事项", "说明"], _timeline(clue, CLUE_WORKFLOW) or [["—", "", "", ""]],
              [30, 22, 30, 74])
    name = f"一事一档_线索{_clue_no(clue)}".replace("/", "-")
    _audit(actor, clue, "一事一档", name)
    return Paper(name, _save(doc))


# -- 督办函 ------------------------------------------------------------------------------------------------------

URGE_PERMISSION = "problem.review"


def urge_letter(actor, unit_id, today: date | None = None) -> Paper:
    """督办函 to a unit about its (and its sub-units') overdue problems and overdue clues, with both lists attached."""
    if not has_permission(actor, URGE_PERMISSION):
        raise NotFound()
    unit = units_in_scope(actor, URGE_PERMISSION).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    today = today or timezone.localdate()
    subtree = Unit.objects.filter(path__startswith=unit.path).values("pk")
    problems = list(problem_queries.visible_problems(actor, URGE_PERMISSION).filter(
        problem_queries.overdue_q(today), unit__in=subtree).select_related("unit").order_by("deadline", "id"))
    clues = list(clue_queries.visible_clues(actor).filter(
        clue_queries.overdue_q(today), unit__in=subtree).select_related("unit").order_by("due_date", "id"))
    issuer = issuer_of(actor)
    doc = OfficialDocument()
    doc.title("督办函")
    doc.blank()
    doc.body(f"{unit.name}：").paragraph_format.first_line_indent = None
    found = []
    if problems:
        found.append(f"逾期未销号问题{len(problems)}个")
    if clues:
        found.append(f"超期未核查线索{len(clues)}件")
    if found:
        doc.body(f"经核对专项行动台账，截至{cn_date(today)}，你单位（含下属单位）尚有{'、'.join(found)}（详见附件）。"
                 "请高度重视，逐项明确责任领导和责任人，于收到本函后5个工作日内整改（核查）到位，并将整改"
                 "（核查）情况及佐证材料书面报送我办；确有客观原因不能按期完成的，请书面说明原因和完成时限。")
    else:
        doc.body(f"经核对专项行动台账，截至{cn_date(today)}，你单位（含下属单位）无逾期未销号问题和超期未核查线索。"
                 "请继续按期推进整改和核查工作。")
    doc.attachment_note(["逾期未销号问题清单", "超期未核查线索清单"] if found else [])
    doc.signature(issuer, cn_date(today))
    if found:
        doc.attachment(1, "逾期未销号问题清单")
        doc.table("逾期未销号问题", ["问题编号", "责任单位", "问题描述", "整改时限", "逾期天数"],
                  [[format_problem_no(p.pk), p.unit.name, _text(p.description)[:80], _day(p.deadline),
                    (today - p.deadline).days] for p in problems] or [["—", "无", "", "", ""]],
                  [22, 30, 60, 28, 16])
        doc.attachment(2, "超期未核查线索清单")
        doc.table("超期未核查线索", ["线索编号", "承办单位", "反映内容", "办理时限", "超期天数"],
                  [[_clue_no(c), c.unit.name, _text(c.content)[:80], _day(c.due_date), (today - c.due_date).days]
                   for c in clues] or [["—", "无", "", "", ""]], [22, 30, 60, 28, 16])
    name = f"督办函_{unit.name}_{today:%Y%m%d}"
    record_event(EventType.EXPORT, actor=actor, obj=unit, action="paper",
                 detail=f"生成督办函：{unit.name}，逾期问题{len(problems)}个、超期线索{len(clues)}件")
    return Paper(name, _save(doc))


# -- PDF ---------------------------------------------------------------------------------------------------------

def pdf_available() -> bool:
    return shutil.which("soffice") is not None


def to_pdf(paper: Paper, timeout: int = 120) -> bytes:
    """The same document as PDF, converted by LibreOffice (headless, its own throw-away profile)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise NotFound()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "form.docx"
        source.write_bytes(paper.content)
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", folder, str(source)], check=True, capture_output=True, timeout=timeout)
        return (Path(folder) / "form.pdf").read_bytes()


def may_urge(user) -> bool:
    return has_permission(user, URGE_PERMISSION)
