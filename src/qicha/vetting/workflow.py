"""The vetting round's transition table: a round is open for answers until the county closes it (and may reopen it
to correct an answer before the summary is signed)."""

from qicha.core.workflow import Transition, Workflow

from .models import RoundStatus as S

MANAGE = "vetting.manage"

TRANSITIONS = [
    Transition("close", "结束联审", (S.OPEN,), S.CLOSED, MANAGE, "结束后各部门不能再修改意见", "success"),
    Transition("reopen", "重新开放", (S.CLOSED,), S.OPEN, MANAGE, "重新开放的理由", "warning"),
]

ROUND_WORKFLOW = Workflow(
    name="vetting_round",
    transitions=TRANSITIONS,
    unit_of=lambda round_: round_.region,
    noun="联审批次",
    acts_module="qicha.vetting.services.rounds",
)
