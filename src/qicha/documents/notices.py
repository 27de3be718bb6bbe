"""Who hears of each act on a unit's own summary (the table notify/acts.py delivers from, registered in plugins.py).

提交 → the office (summary.review over the unit); 退回 → the unit's writers (summary.submit), with the reason;
接收 → whoever submitted it. A 退回 is answered by the next 提交, a 提交 by the 接收 or 退回.
"""

from qicha.notify.acts import ActNotices, Notice, register_act_notices
from qicha.notify.recipients import permission_holders

from .unit_workflow import REVIEW, SUBMIT, UNIT_SUMMARY_WORKFLOW, VIEW


def summary_link(summary) -> str:
    return f"/documents/units/{summary.pk}/"


UNIT_SUMMARY_NOTICES = register_act_notices(ActNotices(
    name="unit_summary",
    workflow=UNIT_SUMMARY_WORKFLOW,
    link=summary_link,
    subject=lambda summary: f"{summary.unit.name}{summary.get_kind_display()}",
    unit=lambda summary: summary.unit,
    view_permission=VIEW,
    office_permission=REVIEW,
    people={"writers": lambda summary: [p for p in permission_holders(summary.unit, SUBMIT)
                                        if p.unit_id == summary.unit_id],
            "submitter": lambda summary: summary.submitted_by},
    notices={
        "submit": Notice(("office",), "{subject}已提交，待您接收", "{actor}已提交{subject}，请审阅后接收或退回。",
                         resolves=("return",)),
        "return": Notice(("writers",), "{subject}被局扫黑办退回",
                         "{actor}退回了{subject}。退回理由：{reason}请修改后重新提交。", resolves=("submit",)),
        "accept": Notice(("submitter",), "{subject}已被局扫黑办接收", "局扫黑办（{actor}）已接收{subject}。",
                         resolves=("submit",)),
    },
))
