"""Who hears of each supervision act (the tables notify/acts.py delivers from, registered in plugins.py):
an inspection's start and completion, each finding and each commitment check reach the inspected unit."""

from qicha.notify.acts import ActNotices, Notice, register_act_notices
from qicha.notify.recipients import LEADER_ROLE, LIAISON_ROLE, unit_role_holders
from qicha.problems.numbers import format_problem_no

from .services.inspections import INSPECTION_WORKFLOW

UNIT = ("liaisons", "leaders")


def _inspected(inspection) -> list:
    """The liaisons and leaders of every inspected unit (each sees the inspection, for their own units)."""
    people = []
    for target in inspection.targets.select_related("unit").order_by("unit__path"):
        people += unit_role_holders(target.unit, LIAISON_ROLE) + unit_role_holders(target.unit, LEADER_ROLE)
    return people


def _inspectors(inspection) -> list:
    return [row.user for row in inspection.inspectors.select_related("user")]


INSPECTION_NOTICES = register_act_notices(ActNotices(
    name="inspection",
    workflow=INSPECTION_WORKFLOW,
    link=lambda inspection: f"/supervision/inspections/{inspection.pk}/",
    subject=lambda inspection: f"督导检查“{inspection.title}”",
    unit=lambda inspection: None,  # several units: the people below are each an inspected unit's or an inspector
    view_permission="supervision.view",
    people={"inspected": _inspected, "inspectors": _inspectors},
    notices={
        "start": Notice(("inspected", "inspectors"), "{subject}已开始",
                        "{actor}已开始{subject}，请做好迎检准备并配合检查组工作。"),
        "complete": Notice(("inspected",), "{subject}已完成", "{actor}已完成{subject}。{reason}请查看本单位的评价和发现的问题。"),
    },
))

FINDING_NOTICES = register_act_notices(ActNotices(
    name="finding",
    link=lambda finding: f"/problems/{finding.problem_id}/",
    subject=lambda finding: f"问题 {format_problem_no(finding.problem_id)}",
    unit=lambda finding: finding.target.unit,
    view_permission="problem.view",
    facts=lambda finding: {"inspection": finding.inspection.title, "description": finding.description[:60]},
    notices={
        "record": Notice(UNIT, "督导检查发现{unit}问题：{subject}",
                         "“{inspection}”发现{unit}问题（{description}），已登记为{subject}，请立即整改。"),
    },
))

CHECK_NOTICES = register_act_notices(ActNotices(
    name="commitment_check",
    link=lambda check: f"/supervision/letters/{check.letter_id}/",
    subject=lambda check: f"《{check.letter.get_kind_display()}》",
    unit=lambda check: check.letter.unit,
    view_permission="supervision.view",
    facts=lambda check: {"result": check.get_result_display(), "findings": check.findings[:80],
                         "problem": f"，已登记问题 {format_problem_no(check.problem_id)}" if check.problem_id else ""},
    notices={
        "record": Notice(UNIT, "{unit}{subject}承诺检查结果：{result}",
                         "{actor}对{unit}{subject}开展了承诺监督检查，结果：{result}{problem}。检查情况：{findings}"),
    },
))
