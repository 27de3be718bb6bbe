"""A department's answers (联审意见): one candidate at a time, or the department's filled sheet re-imported whole.
Each answer is audited; when the last department's last answer arrives, the county hears that all have answered."""

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.notify.acts import announce

from .. import importing, queries
from ..models import Candidate, Ground, Opinion, RoundDepartment, RoundStatus, Verdict
from .common import ANSWER


def _check_answerer(actor, department: RoundDepartment) -> None:
    """Only the department's own accounts answer for it (the office sees the answers, it does not give them)."""
    if not has_permission(actor, ANSWER) or not department.accounts.filter(pk=actor.pk).exists():
        raise NotFound()
    if department.round.status != RoundStatus.OPEN:
        raise Invalid("该联审批次已结束，不能再修改意见。")


def validate_answer(verdict, ground, note) -> tuple[str, str, str]:
    errors = {}
    if verdict not in Verdict.values:
        errors["verdict"] = "请选择“无异议”或“有异议”"
    ground = ground or ""
    if verdict == Verdict.OBJECTION and ground not in Ground.values:
        errors["ground"] = "有异议的，请选择异议依据（" + "、".join(Ground.labels) + "）"
    elif verdict == Verdict.NO_OBJECTION and ground:
        errors["ground"] = "无异议的，不填写异议依据"
    note = (note or "").strip()
    if verdict == Verdict.OBJECTION and ground == Ground.OTHER and not note:
        errors["note"] = "异议依据为“其他”的，请在备注中说明"
    if len(note) > 500:
        errors["note"] = "备注不能超过 500 个字符"
    if errors:
        raise Invalid(details=errors)
    return verdict, ground, note


def _write(actor, department, candidate, verdict, ground, note, now) -> Opinion:
    opinion = Opinion.objects.filter(candidate=candidate, department=department).first()
    before = None if opinion is None else {"verdict": opinion.verdict, "ground": opinion.ground, "note": opinion.note}
    if opinion is None:
        opinion = Opinion(candidate=candidate, department=department)
    opinion.verdict, opinion.ground, opinion.note = verdict, ground, note
    opinion.answered_by, opinion.answered_at = actor, now
    opinion.save()
    record_event(EventType.CREATE if before is None else EventType.UPDATE, actor=actor, obj=opinion, action="answer",
                 object_repr=f"{department.name}对{candidate.village}{candidate.name}的联审意见", before=before,
                 after={"candidate": candidate.pk, "department": department.name, "verdict": verdict,
                        "ground": ground, "note": note})
    return opinion


def _after(actor, round_, was_complete: bool) -> None:
    if not was_complete and queries.all_answered(round_):
        announce("vetting_round", actor, round_, "all_answered")


def answer(actor, department: RoundDepartment, candidate: Candidate, *, verdict: str, ground: str = "",
           note: str = "") -> Opinion:
    _check_answerer(actor, department)
    if candidate.round_id != department.round_id:
        raise NotFound()
    verdict, ground, note = validate_answer(verdict, ground, note)
    round_ = department.round
    with transaction.atomic():
        was_complete = queries.all_answered(round_)
        opinion = _write(actor, department, candidate, verdict, ground, note, timezone.now())
        _after(actor, round_, was_complete)
    return opinion


def import_answers(actor, department: RoundDepartment, data: bytes, file_name: str) -> int:
    """The department's sheet (as exported for it), filled and uploaded: every row names a candidate of the round by
    序号 and 姓名; all rows are checked first, and nothing is written unless every one is right."""
    _check_answerer(actor, department)
    round_ = department.round
    sheet = importing.read(data, file_name, importing.ANSWER_COLUMNS)
    candidates = {c.number: c for c in round_.candidates.all()}
    seen: dict[int, int] = {}
    ready = []
    for row in sheet.rows:
        if row.errors:
            continue
        values = row.values
        if not values.get("verdict") and not values.get("ground") and not values.get("note"):
            continue  # not answered yet: the department may send its sheet in parts
        number = str(values.get("number") or "").strip()
        number = int(float(number)) if number.replace(".", "", 1).isdigit() else None
        candidate = candidates.get(number)
        if candidate is None:
            sheet.error_at(row, "number", f"本批次没有序号为“{values.get('number')}”的候选人")
            continue
        if (values.get("name") or "").strip() != candidate.name:
            sheet.error_at(row, "name", f"序号 {number} 的候选人是“{candidate.name}”，与表中姓名不符")
            continue
        if number in seen:
            sheet.error_at(row, "number", f"与第{seen[number]}行重复")
            continue
        seen[number] = row.number
        try:
            verdict, ground, note = validate_answer(values.get("verdict"), values.get("ground"), values.get("note"))
        except Invalid as exc:
            for key, message in exc.details.items():
                sheet.error_at(row, key, message)
            continue
        ready.append((candidate, verdict, ground, note))
    if sheet.errors:
        raise importing.ImportRejected(sheet.errors, "意见")
    if not ready:
        raise Invalid(f"工作表“{sheet.sheet}”中没有填写任何意见（“意见”列填写“无异议”或“有异议”）。")
    now = timezone.now()
    with transaction.atomic():
        was_complete = queries.all_answered(round_)
        for candidate, verdict, ground, note in ready:
            _write(actor, department, candidate, verdict, ground, note, now)
        record_event(EventType.IMPORT, actor=actor, obj=department, action="import_answers",
                     object_repr=f"{round_.election} {department.name}",
                     after={"file": file_name, "rows": len(ready)},
                     detail=f"{department.name}上传联审意见 {len(ready)} 条（{file_name}）")
        _after(actor, round_, was_complete)
    return len(ready)
