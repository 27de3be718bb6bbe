"""The review of a flagged beneficiary (核查): the transition table the buttons, the API and the tests read."""

from qicha.core.workflow import Transition, Workflow

from .models import HitStatus as S

HIT_TRANSITIONS = [
    Transition("verify", "待核实", (S.NEW,), S.VERIFYING, "screening.review", "说明（可不填）", "secondary"),
    Transition("confirm", "属实", (S.NEW, S.VERIFYING), S.CONFIRMED, "screening.review", "核查情况（可不填）", "danger"),
    Transition("reject", "不属实", (S.NEW, S.VERIFYING), S.REJECTED, "screening.review",
               "理由，如：已登记的豁免车辆", "success"),
    Transition("to_ledger", "登记到低保台账", (S.CONFIRMED,), None, "screening.review",
               "问题类型（错保 / 关系保）、追回金额；尚未登记过", "primary"),
    Transition("to_clue", "转为线索", (S.CONFIRMED,), None, "screening.review", "尚未转过线索", "primary"),
]

HIT_WORKFLOW = Workflow(name="screening_hit", transitions=HIT_TRANSITIONS, unit_of=lambda hit: hit.unit,
                        noun="比对命中", acts_module="qicha.screening.services.review")
