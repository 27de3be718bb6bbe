"""Who hears about a step of a submission's workflow (R-NTF-1), in-app and by e-mail through notify.

报领导审核 → the unit's leaders (report.approve); 审核通过 / 退回修改 → the liaison who prepared it; 扫黑办退回 → the
unit's liaisons (report.prepare), with the reason; 扫黑办接收 → the preparer. Sent once the transaction commits, so
an action that fails or is rolled back notifies nobody (the spine queues the table's notifier on commit).

A notification that asked someone to act (approve, correct and resend, send before the due day) is marked read for
all its recipients once the submission has left that state (`resolve_todos`): the bell counts what is still to do.
"""

from qicha.notify.acts import ActNotices, Notice, register_act_notices
from qicha.notify.services import resolve_notifications

from .models import Status
from .reminders import holders
from .workflow import SUBMISSION_WORKFLOW

# Trailing marks of a reason typed as a sentence; the notice ends the sentence itself ("…理由：X。请…").
CLOSING_MARKS = "。．.，,；;：:、 \t\r\n　"
ENDING_MARKS = "！？!?…"


def as_sentence(text: str) -> str:
    """`text` ending in exactly one full stop (or its own ！/？), to embed before the notice's next sentence."""
    text = (text or "").strip().rstrip(CLOSING_MARKS)
    return text if text.endswith(tuple(ENDING_MARKS)) else f"{text}。"


def submission_link(submission) -> str:
    return f"/reporting/submissions/{submission.pk}/"


def _then(reason: str, marker: str, tail: str) -> str:
    """The closing request, unless the reason already says it."""
    return "" if marker in (reason or "") else tail


# Who hears of each step (notify/acts.py delivers once the act has committed; the actor is left out).
SUBMISSION_NOTICES = register_act_notices(ActNotices(
    name="report",
    workflow=SUBMISSION_WORKFLOW,
    link=submission_link,
    subject=lambda submission: f"{submission.unit.name}{submission.period.report_name}",
    unit=lambda submission: submission.unit,
    view_permission="report.view",
    people={"approvers": lambda submission: holders(submission.unit, "report.approve"),
            "preparers": lambda submission: holders(submission.unit, "report.prepare"),
            "preparer": lambda submission: submission.prepared_by},
    facts=lambda submission: {"due": f"{submission.period.due_date:%Y-%m-%d}"},
    notices={
        "request_approval": Notice(("approvers",), "{subject}待您审核",
                                   "{actor}已将{subject}送单位领导审核（截止 {due}），请审核后报送。",
                                   kind="report_approval_requested"),
        "approve": Notice(("preparer",), "{subject}已审核通过", "{actor}已审核通过并报送{subject}，等待局扫黑办接收。",
                          kind="report_approved"),
        "reject": Notice(("preparer",), "{subject}被单位领导退回修改",
                         lambda n: f"{n['actor']}退回修改，理由：{as_sentence(n['detail'])}"
                                   + _then(n["detail"], "重新报", "请修改后重新报领导审核。"),
                         kind="report_rejected"),
        "return": Notice(("preparers",), "{subject}被局扫黑办退回",
                         lambda n: f"退回理由：{as_sentence(n['detail'])}" + _then(n["detail"], "重新报送", "请修改后重新报送。"),
                         kind="report_returned"),
        "accept": Notice(("preparer",), "{subject}已被局扫黑办接收", "局扫黑办（{actor}）已接收{subject}。",
                         kind="report_accepted"),
    },
))


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
