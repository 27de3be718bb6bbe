"""A clue's evidence (核查报告, 谈话笔录, 答复函 …): the same rules as a problem's evidence (core.attachments: the
type read from the bytes, Office structure, size), stored here in the service's transaction and audited."""

from django.db import transaction

from qicha.core.attachments import own_unlinked, store_upload
from qicha.core.audit import EventType, Outcome, record_event
from qicha.core.errors import Forbidden, Invalid

from ..models import Clue, ClueEvidence, EvidenceCategory, Status
from ..workflow import CLUE_WORKFLOW

NOTE_MAX = 200


def may_add_evidence(user, clue: Clue) -> bool:
    """Who works the clue (its handler, the unit's liaisons) or reviews it (the office), once it is assigned."""
    if clue.status == Status.RECEIVED:
        return CLUE_WORKFLOW.permits(user, clue, "clue.review")
    return CLUE_WORKFLOW.permits(user, clue, "clue.work") or CLUE_WORKFLOW.permits(user, clue, "clue.review")


def add_clue_evidence(actor, clue: Clue, *, category: str, note: str = "", files=(), attachment_ids=()) -> list:
    """Keep files on a clue: uploaded with the form (`files`) or before, through /attachments (`attachment_ids`)."""
    if not may_add_evidence(actor, clue):
        record_event(EventType.ACCESS_DENIED, actor=actor, obj=clue, action="add_evidence", outcome=Outcome.DENIED,
                     detail="无权上传线索材料")
        raise Forbidden("您无权为该线索上传材料。")
    errors = {}
    if category not in EvidenceCategory.values:
        labels = "、".join(f"{label}（{value}）" for value, label in EvidenceCategory.choices)
        errors["category"] = f"请选择材料类别：{labels}"
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = f"说明不超过 {NOTE_MAX} 字"
    files, attachment_ids = list(files or []), list(attachment_ids or [])
    if not files and not attachment_ids:
        errors["files"] = "请选择要上传的文件"
    if errors:
        raise Invalid(details=errors)
    attachments = own_unlinked(actor, attachment_ids)
    with transaction.atomic():
        attachments += [store_upload(actor, f) for f in files]
        rows = [ClueEvidence.objects.create(clue=clue, attachment=a, category=category, note=note, created_by=actor)
                for a in attachments]
        record_event(EventType.UPDATE, actor=actor, obj=clue, action="add_evidence",
                     after={"category": category, "note": note,
                            "attachments": [{"name": a.name, "sha256": a.sha256} for a in attachments]},
                     detail=f"{EvidenceCategory(category).label}：{'、'.join(a.name for a in attachments)}")
    return rows
