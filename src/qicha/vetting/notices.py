"""Who hears of the 联审 (the tables notify/acts.py delivers from): a department's accounts when a round opens for
them and before its deadline; the county (the opener and the holders of vetting.manage over the region) when every
department has answered, and the departments when the round is closed or reopened."""

from qicha.notify.acts import ActNotices, Notice, register_act_notices

from .workflow import ROUND_WORKFLOW


def _department_accounts(round_):
    return [account for department in round_.departments.all() for account in department.accounts.all()]


ROUND_NOTICES = register_act_notices(ActNotices(
    name="vetting_round",
    workflow=ROUND_WORKFLOW,
    link=lambda round_: f"/vetting/{round_.pk}/",
    subject=lambda round_: f"联审批次“{round_.election}”",
    # None: the departments answer from outside the region's tree; the table's people say who hears.
    unit=lambda round_: None,
    view_permission="vetting.view",
    office_permission="vetting.manage",
    people={"opener": lambda round_: round_.opened_by, "departments": _department_accounts},
    notices={
        "all_answered": Notice(("opener",), "{subject}各部门已全部答复",
                               "{subject}的各联审部门已全部答复，请查看联审结果、复核后结束联审并导出联审意见汇总表。"),
        "close": Notice(("departments",), "{subject}已结束", "{actor}已结束{subject}，意见不能再修改。"),
        "reopen": Notice(("departments",), "{subject}已重新开放",
                         "{actor}重新开放了{subject}，可以修改联审意见。理由：{reason}"),
    },
))

DEPARTMENT_NOTICES = register_act_notices(ActNotices(
    name="vetting_department",
    link=lambda department: f"/vetting/{department.round_id}/departments/{department.pk}/",
    subject=lambda department: f"联审批次“{department.round.election}”",
    unit=lambda department: None,
    view_permission="vetting.answer",
    people={"accounts": lambda department: list(department.accounts.all())},
    facts=lambda department: {"department": department.name, "deadline": f"{department.round.deadline:%Y年%-m月%-d日}"},
    notices={
        "open": Notice(("accounts",), "{subject}请{department}答复联审意见",
                       "{actor}开设了{subject}，请{department}在{deadline}前对每名候选人答复“无异议”或“有异议”"
                       "（可逐人填写，也可下载本部门意见表填好后上传）。"),
        "remind": Notice(("accounts",), "{subject}答复即将截止或已逾期",
                         "{department}尚有候选人未答复联审意见，答复截止日期为{deadline}，请尽快答复。",
                         resolves=("open",)),
    },
))
