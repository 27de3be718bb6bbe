"""A unit's monthly submission: prepared by its liaison, approved by its leader when the period asks for it,
submitted with a frozen snapshot of its ledgers, then accepted or returned by the office.

On time is derived: the (latest) submission's Beijing date is on or before the due date. After the due date a
submission is still taken and shows as 逾期, unless the office locked the period (DHIS2 "lock after expiry"): then a
unit that never submitted is refused. A submission the office returned may always be resubmitted.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission
from qicha.core.versioning import claim_version

from ..models import ReportingPeriod, ReturnedVersion, Status, Submission
from ..notifications import resolve_todos
from ..snapshot import digest_of, take_snapshot
from ..workflow import SUBMISSION_WORKFLOW, applies

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


W = SUBMISSION_WORKFLOW


def _begin(actor, submission: Submission, action: str):
    """Check the transition, then whether the period's approval setting lets it exist (报送 vs 报领导审核)."""
    step = W.begin(actor, submission, action)
    if not applies(submission, step.transition):
        if action == "submit":
            raise Invalid(f"{submission.period}的报送须经单位领导审核，请先“报领导审核”。")
        raise Invalid(f"{submission.period}的报送无须单位领导审核，请直接“报送”。")
    return step


def _refuse_if_locked(submission: Submission) -> None:
    if locked_for(submission.period, submission):
        raise Invalid(lock_message(submission.period))


def _reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写退回理由。", {"reason": "请填写退回理由"})
    return reason


def _move(step, submission: Submission, *, version: int, fields: dict, reason: str = "", after_extra=None) -> None:
    """The spine's step, then mark done the to-dos that asked someone to move the submission out of its state
    (in the transaction: a rollback keeps them unread)."""
    left = submission.status
    with transaction.atomic():
        step.apply(version=version, fields=fields, detail=reason, after_extra=after_extra, unlogged=("snapshot",))
        resolve_todos(submission, left, step.action)


def _frozen(actor, submission: Submission, now) -> tuple[dict, dict]:
    """The fields that freeze the ledgers into the submission, and the counts the audit keeps beside its digest."""
    frozen = take_snapshot(actor, submission)
    return ({"snapshot": frozen, "digest": digest_of(frozen), "submitted_by": actor, "submitted_at": now,
             "return_reason": ""}, {"counts": frozen["counts"]})


@W.act("request_approval")
def request_submission_approval(actor, submission: Submission, *, version: int) -> Submission:
    """报领导审核 (periods that need the unit leader's approval)."""
    step = _begin(actor, submission, "request_approval")
    _refuse_if_locked(submission)
    _move(step, submission, version=version, fields={"return_reason": "", "prepared_by": actor})
    return submission


@W.act("submit")
def submit_report(actor, submission: Submission, *, version: int) -> Submission:
    """报送 (periods without approval): freezes the snapshot; the liaison who sends it is its 报送人."""
    step = _begin(actor, submission, "submit")
    _refuse_if_locked(submission)
    fields, counts = _frozen(actor, submission, timezone.now())
    _move(step, submission, version=version, fields=fields | {"prepared_by": actor}, after_extra=counts)
    return submission


@W.act("approve")
def approve_submission(actor, submission: Submission, *, version: int) -> Submission:
    """审核通过并报送: the leader approves; the snapshot is frozen."""
    step = _begin(actor, submission, "approve")
    _refuse_if_locked(submission)
    now = timezone.now()
    fields, counts = _frozen(actor, submission, now)
    _move(step, submission, version=version, fields=fields | {"approved_by": actor, "approved_at": now},
          after_extra=counts)
    return submission


@W.act("reject")
def reject_submission(actor, submission: Submission, *, version: int, reason: str = "") -> Submission:
    """退回修改: the leader sends the draft back to the liaison."""
    step = _begin(actor, submission, "reject")
    reason = _reason(reason)
    _move(step, submission, version=version, fields={"return_reason": reason}, reason=reason)
    return submission


@W.act("return")
def return_submission(actor, submission: Submission, *, version: int, reason: str = "") -> Submission:
    """退回 by the office: the submitted snapshot is kept as a returned version."""
    step = _begin(actor, submission, "return")
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        if submission.snapshot is not None:
            ReturnedVersion.objects.create(
                submission=submission, snapshot=submission.snapshot, digest=submission.digest,
                submitted_by_id=submission.submitted_by_id, submitted_at=submission.submitted_at,
                returned_by=actor, returned_at=now, reason=reason)
        _move(step, submission, version=version, reason=reason,
              fields={"return_reason": reason, "reviewed_by": actor, "reviewed_at": now})
    return submission


@W.act("accept")
def accept_submission(actor, submission: Submission, *, version: int) -> Submission:
    """接收 by the office."""
    step = _begin(actor, submission, "accept")
    _move(step, submission, version=version, fields={"reviewed_by": actor, "reviewed_at": timezone.now()})
    return submission


def submit_own(actor, period: ReportingPeriod, note: str = "") -> Submission:
    """The API's one step: prepare (or update) the caller's unit's submission, then 报送 or 报领导审核."""
    with transaction.atomic():
        submission = prepare_submission(actor, period, note)
        act = request_submission_approval if period.requires_approval else submit_report
        return act(actor, submission, version=submission.version)
