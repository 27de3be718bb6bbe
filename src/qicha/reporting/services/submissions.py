"""A unit's monthly submission: prepared by its liaison, approved by its leader when the period asks for it,
submitted with a frozen snapshot of its ledgers, then accepted or returned by the office.

On time is derived: the (latest) submission's Beijing date is on or before the due date. After the due date a
submission is still taken and shows as 逾期, unless the office locked the period (DHIS2 "lock after expiry"): then a
unit that never submitted is refused. A submission the office returned may always be resubmitted.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission
from qicha.core.versioning import claim_version

from ..models import ReportingPeriod, ReturnedVersion, Status, Submission
from ..notifications import notify_after, resolve_todos
from ..snapshot import digest_of, take_snapshot
from ..workflow import REASON_ACTIONS, SNAPSHOT_ACTIONS, SUBMISSION_WORKFLOW, applies

NOTE_LIMIT = 2000
SUBMISSION_FIELDS = ["period", "unit", "status", "note"]


def is_expected(period: ReportingPeriod, unit) -> bool:
    return period.campaign.participating_units.filter(pk=unit.pk).exists()


def locked_for(period: ReportingPeriod, submission: Submission | None, today=None) -> bool:
    """Locked: past the due date of a locked period, for a unit that has never submitted this period."""
    today = today or timezone.localdate()
    first_time = submission is None or submission.submitted_at is None
    return period.lock_after_due and today > period.due_date and first_time


def lock_message(period: ReportingPeriod) -> str:
    return (f"{period}报送期已于 {period.due_date:%Y-%m-%d} 截止并已锁定，不再接收报送。"
            "如确需补报，请联系局扫黑办解除锁定。")


def _clean_note(note) -> str:
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > NOTE_LIMIT:
        raise Invalid(details={"note": f"报送说明不超过 {NOTE_LIMIT} 字。"})
    return note


def prepare_submission(actor, period: ReportingPeriod, note: str = "", *, version: int | None = None) -> Submission:
    """准备报送: the liaison's draft for their own unit (a draft or a returned submission takes a new note)."""
    unit = actor.unit
    if not has_permission(actor, "report.prepare"):
        raise Forbidden("您没有报送本单位月度台账的权限。")
    if unit is None or not can_act_on(actor, "report.prepare", unit):
        raise NotFound()
    if not period.campaign.is_active:
        raise Invalid("该专项行动已结束，不能再报送。")
    if not is_expected(period, unit):
        raise Invalid(f"“{unit.name}”不是本专项行动的报送单位。")
    note = _clean_note(note)
    existing = Submission.objects.filter(period=period, unit=unit).first()
    if locked_for(period, existing):
        raise Invalid(lock_message(period))
    with transaction.atomic():
        if existing is None:
            try:
                with transaction.atomic():
                    submission = Submission.objects.create(period=period, unit=unit, note=note, prepared_by=actor)
            except IntegrityError as exc:
                raise Conflict(f"“{unit.name}”{period}的报送刚刚已由他人准备，请刷新页面。") from exc
            record_event(EventType.CREATE, actor=actor, obj=submission, after=snapshot(submission, SUBMISSION_FIELDS))
            return submission
        if existing.status not in (Status.DRAFT, Status.RETURNED):
            raise Invalid(f"{period}的报送当前状态为“{existing.get_status_display()}”，不能再修改。")
        before = snapshot(existing, SUBMISSION_FIELDS)
        claim_version(existing, existing.version if version is None else version,
                      status__in=(Status.DRAFT, Status.RETURNED))
        existing.note = note
        existing.save(update_fields=["note"])
        record_event(EventType.UPDATE, actor=actor, obj=existing, before=before,
                     after=snapshot(existing, SUBMISSION_FIELDS))
    return existing


def perform_action(actor, submission: Submission, action: str, *, version: int | None = None,
                   reason: str = "") -> Submission:
    """Carry out one action of the table on a submission the actor can see."""
    transition = SUBMISSION_WORKFLOW.check_transition(actor, submission, action)
    period = submission.period
    if not applies(submission, transition):
        if action == "submit":
            raise Invalid(f"{period}的报送须经单位领导审核，请先“报领导审核”。")
        raise Invalid(f"{period}的报送无须单位领导审核，请直接“报送”。")
    reason = (reason or "").strip()
    if action in REASON_ACTIONS and not reason:
        raise Invalid("请填写退回理由。", {"reason": "请填写退回理由"})
    if action in ("submit", "request_approval", "approve") and locked_for(period, submission):
        raise Invalid(lock_message(period))
    now = timezone.now()
    fields: dict = {"status": transition.target}
    if action in SNAPSHOT_ACTIONS:
        frozen = take_snapshot(actor, submission)
        fields |= {"snapshot": frozen, "digest": digest_of(frozen), "submitted_by": actor, "submitted_at": now,
                   "return_reason": ""}
        if action == "submit":
            fields["prepared_by"] = actor  # the liaison who sends the report is its 报送人
        if action == "approve":
            fields |= {"approved_by": actor, "approved_at": now}
    elif action == "request_approval":
        fields |= {"return_reason": "", "prepared_by": actor}
    elif action == "reject":
        fields["return_reason"] = reason
    elif action == "return":
        fields |= {"return_reason": reason, "reviewed_by": actor, "reviewed_at": now}
    elif action == "accept":
        fields |= {"reviewed_by": actor, "reviewed_at": now}
    with transaction.atomic():
        # Compare-and-set on status (and version when given): of two people clicking at once, one wins.
        claim = Submission.objects.filter(pk=submission.pk, status=submission.status)
        if version is not None:
            claim = claim.filter(version=version)
        if not claim.update(**fields, version=F("version") + 1):
            raise Conflict("该报送已被他人处理，请刷新页面查看最新状态。")
        before_status = submission.status
        if action == "return" and submission.snapshot is not None:
            ReturnedVersion.objects.create(
                submission=submission, snapshot=submission.snapshot, digest=submission.digest,
                submitted_by_id=submission.submitted_by_id, submitted_at=submission.submitted_at,
                returned_by=actor, returned_at=now, reason=reason)
        for name, value in fields.items():
            setattr(submission, name, value)
        submission.version = Submission.objects.values_list("version", flat=True).get(pk=submission.pk)
        after = {"status": submission.status}
        if action in SNAPSHOT_ACTIONS:
            after |= {"digest": submission.digest, "counts": submission.snapshot["counts"]}
        record_event(EventType.TRANSITION, actor=actor, obj=submission, action=action,
                     before={"status": before_status}, after=after, detail=reason)
        resolve_todos(submission, before_status, action)  # in the transaction: a rollback keeps them unread
        notify_after(actor, submission, action, reason)  # runs once committed: a failed action tells nobody
    return submission


def submit_own(actor, period: ReportingPeriod, note: str = "") -> Submission:
    """The API's one step: prepare (or update) the caller's unit's submission, then 报送 or 报领导审核."""
    with transaction.atomic():
        submission = prepare_submission(actor, period, note)
        action = "request_approval" if period.requires_approval else "submit"
        return perform_action(actor, submission, action, version=submission.version)
