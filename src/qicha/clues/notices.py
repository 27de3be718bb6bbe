"""Who hears of each clue and case act (the tables notify/acts.py delivers from, registered in plugins.py)."""

from qicha.notify.acts import ActNotices, Notice, register_act_notices
from qicha.notify.recipients import permission_holders

from .workflow import CASE_WORKFLOW, CLUE_WORKFLOW, _clue_unit

WORKERS = "handler|liaisons"  # the clue's handler, or the liaisons of its unit when it names none

CLUE_NOTICES = register_act_notices(ActNotices(
    name="clue",
    workflow=CLUE_WORKFLOW,
    link=lambda clue: f"/clues/{clue.pk}/",
    subject=str,
    unit=_clue_unit,
    view_permission="clue.view",
    office_permission="clue.review",
    owner_of=lambda clue: clue.handler_id,
    people={"handler": lambda clue: clue.handler,
            "rereviewers": lambda clue: permission_holders(_clue_unit(clue), "clue.rereview")},
    notices={
        "assign": Notice((WORKERS,), "{subject}已分办至{unit}，请核查",
                         "{actor}已将{subject}分办至{unit}，请按时限开展核查并报告核查结论。",
                         resolves=("return",)),
        "report_result": Notice(("office",), "{unit}报告了{subject}的核查结论，待您审核",
                                "{actor}报告了{subject}的核查结论：{reason}请审核后办结销号或退回重核。",
                                resolves=("assign", "return")),
        "return": Notice((WORKERS,), "{subject}被退回重核",
                         "{actor}退回了{subject}的核查结论。退回理由：{reason}请重新核查后再报告核查结论。",
                         resolves=("report_result",)),
        "close": Notice((WORKERS,), "{subject}已办结销号", "{actor}已对{subject}办结销号。{reason}",
                        resolves=("report_result", "record_follow_up", "record_reply")),
        "record_follow_up": Notice(("office",), "{subject}已登记后续处置", "{actor}为{subject}登记了后续处置：{reason}"),
        "record_reply": Notice(("office",), "{subject}已登记答复举报人", "{actor}为{subject}登记了答复：{reason}"),
        "escalate": Notice(("rereviewers", WORKERS), "{subject}已提级复核",
                           "{subject}已提级复核，理由：{reason}复核结论作出前，原承办单位暂停办理。"),
        "withdraw_escalation": Notice(("rereviewers", "office", WORKERS), "{subject}的提级复核已撤销",
                                      "{actor}撤销了{subject}的提级复核：{reason}", resolves=("escalate",)),
        "record_review": Notice(("office", WORKERS), "{subject}提级复核已有结论",
                                "{actor}提交了{subject}的复核结论：{reason}", resolves=("escalate",)),
    },
))

CASE_NOTICES = register_act_notices(ActNotices(
    name="case",
    workflow=CASE_WORKFLOW,
    link=lambda case: f"/cases/{case.pk}/",
    subject=lambda case: f"案件“{case.name}”",
    unit=lambda case: case.unit,
    view_permission="case.view",
    office_permission="case.manage",
    notices={
        # Registering a case is not a workflow act: services.cases announces it (notify.acts.announce).
        "register": Notice(("liaisons",), "{unit}有新的督办案件：{subject}",
                           "{actor}登记了督办案件{subject}，承办单位为{unit}，请及时开始办理。"),
        "conclude": Notice(("office",), "{subject}已办结，待您销号",
                           "{unit}已办结{subject}，办理结果：{reason}请审核“一案一整治”记录后销号或退回。",
                           resolves=("register", "return")),
        "return": Notice(("liaisons",), "{subject}被退回", "{actor}退回了{subject}。退回理由：{reason}",
                         resolves=("conclude",)),
        "close": Notice(("liaisons",), "{subject}已销号", "{actor}已对{subject}销号。", resolves=("conclude",)),
    },
))
