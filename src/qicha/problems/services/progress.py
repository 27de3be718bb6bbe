from django.db import transaction

from qicha.core.attachments import own_unlinked, store_upload
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on

from ..models import Problem, ProgressEntry, Status

PROGRESS_STATUSES = (Status.OPEN, Status.IN_PROGRESS)


def add_progress(actor, problem: Problem, *, text: str, percent: int = 0, attachment_ids=(), files=()) -> ProgressEntry:
    """A progress entry (整改进展) with optional evidence: files uploaded before (`attachment_ids`, the API) or with
    the form (`files`, stored here in the same transaction: a bad file keeps none of them)."""
    if not can_act_on(actor, "problem.work", problem.unit, owner_id=problem.responsible_person_id):
        raise NotFound()
    if problem.status not in PROGRESS_STATUSES:
        raise Invalid(f"问题状态为“{problem.get_status_display()}”，不能再填报进展。")
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写整改进展。"
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = "完成进度应为 0 至 100 之间的整数。"
    if errors:
        raise Invalid(details=errors)
    attachments = own_unlinked(actor, list(attachment_ids))
    with transaction.atomic():
        # Re-read under lock: a submission or sign-off that landed meanwhile closes the door.
        if Problem.objects.select_for_update().filter(pk=problem.pk, status__in=PROGRESS_STATUSES).count() == 0:
            raise Invalid("问题状态已变化（可能已申请销号），不能再填报进展，请刷新页面。")
        attachments += [store_upload(actor, f) for f in files]
        entry = ProgressEntry.objects.create(problem=problem, text=text, percent=percent, created_by=actor)
        entry.attachments.set(attachments)
        record_event(
            EventType.UPDATE, actor=actor, obj=problem, action="add_progress",
            after={"text": text, "percent": percent, "attachments": [a.sha256 for a in attachments]},
        )
    return entry
