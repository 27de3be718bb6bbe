"""The clue and case transition tables (api.md "Clue and case vocabulary"). Buttons, API and tests read them."""

from qicha.core.workflow import Transition, Workflow
from qicha.orgs.models import Unit

from .models import CaseStatus, Status

S = Status


def _clue_unit(clue) -> Unit:
    # An unassigned clue sits with the office at the top of the tree: only whole-system scopes reach it.
    return clue.unit if clue.unit_id else Unit.objects.get_first_root_node()


CLUE_TRANSITIONS = [
    Transition("assign", "分办", (S.RECEIVED, S.ASSIGNED, S.VERIFYING), S.ASSIGNED, "clue.assign", "承办单位（可指定承办人）"),
    Transition("start", "开始核查", (S.ASSIGNED,), S.VERIFYING, "clue.work"),
    Transition("report_result", "报告核查结论", (S.VERIFYING,), S.VERIFIED, "clue.work", "核查结论、核查情况", "success"),
    Transition("record_follow_up", "登记后续处置", (S.VERIFIED, S.CLOSED), None, "clue.work",
               "处置方式、日期、文号；整改须填整改措施与时限"),
    Transition("record_reply", "登记答复", (S.VERIFIED, S.CLOSED), None, "clue.work", "答复日期、方式、举报人反馈"),
    Transition("return", "退回重核", (S.VERIFIED,), S.VERIFYING, "clue.review", "退回理由", "warning"),
    Transition("close", "办结销号", (S.VERIFIED,), S.CLOSED, "clue.review", "实名举报须先登记答复", "success"),
    Transition("escalate", "提级复核", (S.RECEIVED, S.ASSIGNED, S.VERIFYING, S.VERIFIED), S.ESCALATED, "clue.review",
               "提级理由", "warning"),
    # Undoes a mistaken 提级复核 (the office, or unlinking the repeat that caused it): back where it was before.
    Transition("withdraw_escalation", "撤销提级复核", (S.ESCALATED,), (S.RECEIVED, S.ASSIGNED, S.VERIFYING, S.VERIFIED),
               "clue.review", "撤销理由；恢复提级前的状态、承办单位和承办人", "secondary"),
    Transition("record_review", "提交复核结论", (S.ESCALATED,), S.VERIFIED, "clue.rereview", "复核结论、复核情况", "success"),
]

CLUE_WORKFLOW = Workflow(name="clue", transitions=CLUE_TRANSITIONS, unit_of=_clue_unit,
                         owner_of=lambda clue: clue.handler_id, noun="线索",
                         acts_module="qicha.clues.services.handling")

C = CaseStatus

CASE_TRANSITIONS = [
    Transition("start", "开始办理", (C.OPEN,), C.INVESTIGATING, "case.work"),
    Transition("conclude", "办结", (C.INVESTIGATING,), C.CONCLUDED, "case.work", "办理结果", "success"),
    Transition("return", "退回", (C.CONCLUDED,), C.INVESTIGATING, "case.manage", "退回理由", "warning"),
    Transition("close", "销号", (C.CONCLUDED,), C.CLOSED, "case.manage",
               "“一案一整治”记录：监管漏洞、整治措施、整改问题（或未立问题的理由）", "success"),
]

CASE_WORKFLOW = Workflow(name="case", transitions=CASE_TRANSITIONS, unit_of=lambda case: case.unit, noun="案件",
                         acts_module="qicha.clues.services.cases")
