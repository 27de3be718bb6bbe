"""Who hears of each problem act (the table notify/acts.py delivers from, registered in plugins.py)."""

from qicha.notify.acts import ActNotices, Notice, register_act_notices

from .numbers import format_problem_no
from .workflow import PROBLEM_WORKFLOW

OWNER_AND_LIAISONS = ("owner", "liaisons")

PROBLEM_NOTICES = register_act_notices(ActNotices(
    name="problem",
    workflow=PROBLEM_WORKFLOW,
    link=lambda problem: f"/problems/{problem.pk}/",
    subject=lambda problem: f"问题 {format_problem_no(problem.pk)}",
    unit=lambda problem: problem.unit,
    view_permission="problem.view",
    office_permission="problem.sign_off",
    owner_of=lambda problem: problem.responsible_person_id,
    people={"owner": lambda problem: problem.responsible_person},
    facts=lambda problem: {"description": problem.description[:60]},
    notices={
        "submit": Notice(("office",), "{unit}{subject}申请销号，待您审核",
                         "{actor}已为{unit}{subject}（{description}）申请销号，请审核佐证材料后销号或退回。",
                         resolves=("return",)),
        "return": Notice(OWNER_AND_LIAISONS, "{subject}被退回",
                         "{actor}退回了{subject}（{description}）的销号申请。退回理由：{reason}请补充整改后重新申请销号。",
                         resolves=("submit",)),
        "sign_off": Notice(OWNER_AND_LIAISONS, "{subject}已销号",
                           "{actor}已对{subject}（{description}）销号。销号意见：{reason}", resolves=("submit", "return")),
        "void": Notice(OWNER_AND_LIAISONS, "{subject}已作废",
                       "{actor}已作废{subject}（{description}）。作废理由：{reason}", resolves=("submit", "return")),
    },
))
