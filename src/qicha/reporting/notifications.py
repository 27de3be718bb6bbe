"""Who hears about a step of a submission's workflow (R-NTF-1), in-app and by e-mail through notify.

报领导审核 → the unit's leaders (report.approve); 审核通过 / 退回修改 → the liaison who prepared it; 扫黑办退回 → the
unit's liaisons (report.prepare), with the reason; 扫黑办接收 → the preparer. Sent once the transaction commits, so
an action that fails or is rolled back notifies nobody (the spine queues `notify_step` on commit).

A notification that asked someone to act (approve, correct and resend, send before the due day) is marked read for
all its recipients once the submission has left that state (`resolve_todos`): the bell counts what is still to do.
"""

from qicha.notify.services import notify_users, resolve_notifications

from .models import Status
from .reminders import holders

# Trailing marks of a reason typed as a sentence; the notice ends the sentence itself ("…理由：X。请…").
CLOSING_MARKS = "。．.，,；;：:、 \t\r\n　"
ENDING_MARKS = "！？!?…"


def as_sentence(text: str) -> str:
    """`text` ending in exactly one full stop (or its own ！/？), to embed before the notice's next sentence."""
    text = (text or "").strip().rstrip(CLOSING_MARKS)
    return text if text.endswith(tuple(ENDING_MARKS)) else f"{text}。"


def submission_link(submission) -> str:
    return f"/reporting/submissions/{submission.pk}/"


def _message(actor, submission, action: str, reason: str):
    """(recipients, kind, title, body) for `action`, or None when nobody needs to hear of it."""
    unit, period = submission.unit, submission.period
    who = actor.display_name
    if action == "request_approval":
        return (holders(unit, "report.approve"), "report_approval_requested",
                f"{unit.name}{period.report_name}待您审核",
                f"{who}已将{unit.name}{period.report_name}送单位领导审核（截止 {period.due_date:%Y-%m-%d}），请审核后报送。")
    if action == "approve":
        return ([submission.prepared_by], "report_approved", f"{unit.name}{period.report_name}已审核通过",
                f"{who}已审核通过并报送{unit.name}{period.report_name}，等待局扫黑办接收。")
    if action == "reject":
        return ([submission.prepared_by], "report_rejected", f"{unit.name}{period.report_name}被单位领导退回修改",
                f"{who}退回修改，理由：{as_sentence(reason)}" + ("" if "重新报" in reason else "请修改后重新报领导审核。"))
    if action == "return":
        return (holders(unit, "report.prepare"), "report_returned", f"{unit.name}{period.report_name}被局扫黑办退回",
                f"退回理由：{as_sentence(reason)}" + ("" if "重新报送" in reason else "请修改后重新报送。"))
    if action == "accept":
        return ([submission.prepared_by], "report_accepted", f"{unit.name}{period.report_name}已被局扫黑办接收",
                f"局扫黑办（{who}）已接收{unit.name}{period.report_name}。")
    return None


def notify_step(actor, submission, action: str, reason: str = "") -> None:
    """SUBMISSION_WORKFLOW's notifier: the spine (core.workflow) calls it once the act has committed."""
    message = _message(actor, submission, action, reason)
    if message is None:
        return
    users, kind, title, body = message
    notify_users([u for u in users if u.pk != actor.pk], kind=kind, title=title, body=body,
                 link=submission_link(submission))


def resolve_todos(submission, left: str, action: str) -> None:
    """Call inside the action's transaction, after the submission left status `left` through `action`: mark read
    the notifications that asked someone to move it out of that state (a rollback restores them)."""
    link = submission_link(submission)
    # Reminders link to the period page shared by every unit; their dedupe key names the unit (reminders.py).
    reminders = f"report:{submission.period_id}:{submission.unit_id}:"
    if left == Status.PENDING_APPROVAL:  # approved or sent back: the leader's 待您审核 is done
        resolve_notifications(kind="report_approval_requested", link=link)
        resolve_notifications(kind="report_reminder", dedupe_prefix=reminders + "approve:")
    elif left in (Status.DRAFT, Status.RETURNED):  # sent on (报送 / 报领导审核): 退回修改 and 请报送 are done
        resolve_notifications(kind=("report_rejected", "report_returned"), link=link)
        resolve_notifications(kind="report_reminder", dedupe_prefix=reminders + "d")
    # Once the report is in, 逾期未报送 (sent to liaisons and leaders) is answered too. The office is not notified
    # of a report waiting to be received (its 工作台 lists them), so leaving 已报送 resolves nothing.
    if action in ("submit", "approve"):
        resolve_notifications(kind="report_overdue", dedupe_prefix=reminders + "overdue")
