"""The problem transition table (api.md "Problem vocabulary"). Buttons, API actions and tests all read it."""

from qicha.core.workflow import Transition, Workflow

from .models import Status

S = Status

TRANSITIONS = [
    Transition("start", "开始整改", (S.OPEN,), S.IN_PROGRESS, "problem.work", "—"),
    Transition("submit", "申请销号", (S.OPEN, S.IN_PROGRESS), S.SUBMITTED, "problem.work",
               "至少一条附有佐证材料的整改进展"),
    Transition("return", "退回", (S.SUBMITTED,), S.IN_PROGRESS, "problem.review", "退回理由", "warning"),
    Transition("sign_off", "销号", (S.SUBMITTED,), S.CLOSED, "problem.sign_off",
               "六个不放过逐项确认、销号意见", "success"),
    Transition("void", "作废", (S.OPEN, S.IN_PROGRESS, S.SUBMITTED), S.VOIDED, "problem.void", "作废理由", "danger"),
]

PROBLEM_WORKFLOW = Workflow(
    name="problem",
    transitions=TRANSITIONS,
    unit_of=lambda problem: problem.unit,
    owner_of=lambda problem: problem.responsible_person_id,
    noun="问题",
    acts_module="qicha.problems.services.transitions",
)
