"""The submission transition table. Buttons, API actions and tests all read it.

草稿 →(报领导审核)→ 待领导审核 →(审核通过并报送)→ 已报送 →(接收)→ 已接收
                          └(退回修改)→ 草稿          └(退回)→ 已退回 →(重新报送 / 报领导审核)…
When the period needs no approval, the liaison's 报送 goes straight from 草稿 (or 已退回) to 已报送.
"""

from qicha.core.workflow import Transition, Workflow

from .models import Status

S = Status

TRANSITIONS = [
    Transition("request_approval", "报领导审核", (S.DRAFT, S.RETURNED), S.PENDING_APPROVAL, "report.prepare",
               "报送期须经单位领导审核"),
    Transition("submit", "报送", (S.DRAFT, S.RETURNED), S.SUBMITTED, "report.prepare",
               "报送期无须单位领导审核；冻结台账快照"),
    Transition("approve", "审核通过并报送", (S.PENDING_APPROVAL,), S.SUBMITTED, "report.approve",
               "冻结台账快照", "success"),
    Transition("reject", "退回修改", (S.PENDING_APPROVAL,), S.DRAFT, "report.approve", "退回理由", "warning"),
    Transition("return", "退回", (S.SUBMITTED,), S.RETURNED, "report.review", "退回理由", "warning"),
    Transition("accept", "接收", (S.SUBMITTED,), S.ACCEPTED, "report.review", "—", "success"),
]

REASON_ACTIONS = ("reject", "return")

SUBMISSION_WORKFLOW = Workflow(
    name="submission",
    transitions=TRANSITIONS,
    unit_of=lambda submission: submission.unit,
    noun="报送",
    acts_module="qicha.reporting.services.submissions",
)


def applies(submission, transition: Transition) -> bool:
    """Whether the period's approval setting lets this action exist at all (报送 vs 报领导审核)."""
    if transition.action == "submit":
        return not submission.period.requires_approval
    if transition.action == "request_approval":
        return submission.period.requires_approval
    return True


def allowed_actions(user, submission) -> list[Transition]:
    return [t for t in SUBMISSION_WORKFLOW.allowed_actions(user, submission) if applies(submission, t)]
