"""Who hears about a step of a submission's workflow (R-NTF-1), in-app and by e-mail through notify.

报领导审核 → the unit's leaders (report.approve); 审核通过 / 退回修改 → the liaison who prepared it; 扫黑办退回 → the
unit's liaisons (report.prepare), with the reason; 扫黑办接收 → the preparer. Sent once the transaction commits, so
an action that fails or is rolled back notifies nobody.
"""

from django.db import transaction

from qicha.notify.services import notify_users

from .reminders import holders


def _message(actor, submission, action: str, reason: str):
    """(recipients, kind, title, body) for `action`, or None when nobody needs to hear of it."""
    unit, period = submission.unit, submission.period
    who = actor.display_name
    if action == "request_approval":
        return (holders(unit, "report.approve"), "report_approval_requested",
                f"{unit.name}{period}月度报送待您审核",
                f"{who}已将{unit.name}{period}月度台账报单位领导审核（截止 {period.due_date:%Y-%m-%d}），请审核后报送。")
    if action == "approve":
        return ([submission.prepared_by], "report_approved", f"{unit.name}{period}月度报送已审核通过",
                f"{who}已审核通过并报送{unit.name}{period}月度台账，等待局扫黑办接收。")
    if action == "reject":
        return ([submission.prepared_by], "report_rejected", f"{unit.name}{period}月度报送被单位领导退回修改",
                f"{who}退回修改，理由：{reason}")
    if action == "return":
        return (holders(unit, "report.prepare"), "report_returned", f"{unit.name}{period}月度报送被局扫黑办退回",
                f"退回理由：{reason}。请修改后重新报送。")
    if action == "accept":
        return ([submission.prepared_by], "report_accepted", f"{unit.name}{period}月度报送已被局扫黑办接收",
                f"局扫黑办（{who}）已接收{unit.name}{period}月度台账。")
    return None


def notify_after(actor, submission, action: str, reason: str = "") -> None:
    """Call inside the action's transaction: the notification goes out after it commits."""
    link = f"/reporting/submissions/{submission.pk}/"

    def send():
        message = _message(actor, submission, action, reason)
        if message is None:
            return
        users, kind, title, body = message
        notify_users([u for u in users if u.pk != actor.pk], kind=kind, title=title, body=body, link=link)

    transaction.on_commit(send, robust=True)
