"""督导检查 (R-SUP-3): planning an inspection, starting and completing it, rating the inspected units and recording
findings, each of which becomes a problem in the ledger (source 督导检查发现, 立即整改, on the inspected unit).

Who may do what:
- inspection.manage (the office) plans, draws, starts and completes, over the units of its scope;
- inspection.work records ratings, notes and findings: a holder of inspection.manage over the unit always; anyone
  else (the 督导员) only as an inspector of that inspection — for the target they were drawn for, when the draw
  paired them — and never on a unit in their own line (their unit, above it or below it).
"""

from datetime import date

from django.db import transaction
from django.db.models import F

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, Outcome, record_event, snapshot
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission
from qicha.core.workflow import Transition, Workflow
from qicha.notify.acts import announce
from qicha.orgs.models import Unit, User
from qicha.problems import services as problem_services
from qicha.problems.models import RectificationType
from qicha.problems.models import Source as ProblemSource
from qicha.problems.numbers import format_problem_no

from ..models import (
    Finding,
    Inspection,
    InspectionInspector,
    InspectionKind,
    InspectionStatus,
    InspectionTarget,
    Rating,
)
from .draw import draw_inspection, in_conflict, inspector_pool

PLAN_FIELDS = ["campaign", "kind", "title", "focus", "partners", "evaluator", "starts_on", "ends_on", "status"]
S = InspectionStatus


def _root() -> Unit:
    return Unit.objects.get_first_root_node()


def may_manage(user, inspection: Inspection) -> bool:
    """inspection.manage over every inspected unit (over the whole tree while there are none yet)."""
    units = [t.unit for t in inspection.targets.select_related("unit")] or [_root()]
    return all(can_act_on(user, "inspection.manage", unit) for unit in units)


class InspectionWorkflow(Workflow):
    """An inspection spans several units: acting on it needs the permission over all of them."""

    def permits(self, user, obj, permission: str) -> bool:
        if permission == "inspection.manage":
            return may_manage(user, obj)
        return super().permits(user, obj, permission)


TRANSITIONS = [
    Transition("start", "开始检查", (S.PLANNED,), S.IN_PROGRESS, "inspection.manage",
               "已有被检查单位（随机抽查须先抽签）"),
    Transition("complete", "完成检查", (S.IN_PROGRESS,), S.COMPLETED, "inspection.manage",
               "每个被检查单位都已评价", "success"),
]
INSPECTION_WORKFLOW = InspectionWorkflow(name="inspection", transitions=TRANSITIONS, unit_of=lambda i: _root(),
                                         noun="检查", acts_module="qicha.supervision.services.inspections")


def may_work(user, target: InspectionTarget) -> bool:
    """Whether `user` may record the rating, notes and findings of this inspected unit."""
    if can_act_on(user, "inspection.manage", target.unit):
        return True
    if not can_act_on(user, "inspection.work", target.unit):
        return False
    if user.unit_id and in_conflict(user.unit.path, target.unit.path):
        return False
    rows = InspectionInspector.objects.filter(inspection_id=target.inspection_id, user=user)
    return rows.filter(target__isnull=True).exists() or rows.filter(target=target).exists()


def _deny(actor, obj, action: str, message: str):
    record_event(EventType.ACCESS_DENIED, actor=actor, obj=obj, action=action, outcome=Outcome.DENIED, detail=message)
    raise Forbidden(message)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- planning ------------------------------------------------------------------------------------------------------

def plan_inspection(actor, campaign: Campaign, *, kind: str, title: str, focus: str = "", partners: str = "",
                    evaluator: str = "", starts_on: date | None = None, ends_on: date | None = None,
                    unit_ids=(), inspector_ids=()) -> Inspection:
    """Plan an inspection. 专项督查/联合督查/第三方评估 name their units (and inspectors) here; a 随机抽查 is
    planned without them and gets both from its draw (services.draw.draw_inspection)."""
    if not has_permission(actor, "inspection.manage"):
        raise Forbidden("您无权制定督导检查计划。")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再制定检查计划。")
    errors = {}
    title, focus, partners, evaluator = _text(title), _text(focus), _text(partners), _text(evaluator)
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择检查方式（专项督查、联合督查、随机抽查、第三方评估）"
    if not title:
        errors["title"] = "请填写检查名称"
    if kind == InspectionKind.JOINT and not partners:
        errors["partners"] = "联合督查须填写联合部门"
    if kind == InspectionKind.THIRD_PARTY and not evaluator:
        errors["evaluator"] = "第三方评估须填写评估机构"
    if not isinstance(starts_on, date):
        errors["starts_on"] = "请填写开始日期（YYYY-MM-DD）"
    if not isinstance(ends_on, date):
        errors["ends_on"] = "请填写结束日期（YYYY-MM-DD）"
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    unit_ids = sorted({int(i) for i in unit_ids or ()})
    inspector_ids = sorted({int(i) for i in inspector_ids or ()})
    units, inspectors = [], []
    if kind == InspectionKind.RANDOM:
        if unit_ids or inspector_ids:
            errors["units"] = "随机抽查的被检查单位和检查人员由抽签产生，不能直接指定"
    elif kind in InspectionKind.values:
        units = list(Unit.objects.filter(pk__in=unit_ids).order_by("path"))
        if not unit_ids:
            errors["units"] = "请选择被检查单位"
        elif len(units) != len(unit_ids) or not all(can_act_on(actor, "inspection.manage", u) for u in units):
            errors["units"] = "被检查单位须在您的数据权限范围内"
        inspectors = list(inspector_pool().filter(pk__in=inspector_ids).select_related("unit"))
        if len(inspectors) != len(inspector_ids):
            errors["inspectors"] = "检查人员须是在岗的督导检查人员（持有“开展督导检查”权限）"
        conflicts = [f"{person.display_name}（{person.unit.name}）与{unit.name}" for person in inspectors
                     for unit in units if person.unit_id and in_conflict(person.unit.path, unit.path)]
        if conflicts and "inspectors" not in errors:
            # The same rule as the random draw: nobody inspects their own unit or a unit above or below it.
            errors["inspectors"] = f"检查人员须回避本单位及上下级单位：{'；'.join(conflicts)}"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            campaign=campaign, kind=kind, title=title, focus=focus,
            partners=partners if kind == InspectionKind.JOINT else "",
            evaluator=evaluator if kind == InspectionKind.THIRD_PARTY else "",
            starts_on=starts_on, ends_on=ends_on, created_by=actor,
        )
        for unit in units:
            InspectionTarget.objects.create(inspection=inspection, unit=unit)
        InspectionInspector.objects.bulk_create(InspectionInspector(inspection=inspection, user=u) for u in inspectors)
        record_event(EventType.CREATE, actor=actor, obj=inspection,
                     after=snapshot(inspection, PLAN_FIELDS) | {"units": [u.pk for u in units],
                                                                "inspectors": [u.pk for u in inspectors]})
    return inspection


def plan_random_inspection(actor, campaign: Campaign, *, title: str, focus: str = "", starts_on: date | None = None,
                           ends_on: date | None = None, count: int, per_unit: int, unit_ids=None,
                           seed: str | None = None):
    """随机抽查 planned and drawn in one step (the page's form): both are kept, or neither. Returns the Draw."""
    with transaction.atomic():
        inspection = plan_inspection(actor, campaign, kind=InspectionKind.RANDOM, title=title, focus=focus,
                                     starts_on=starts_on, ends_on=ends_on)
        return draw_inspection(actor, inspection, count=count, per_unit=per_unit, unit_ids=unit_ids, seed=seed)


# --- transitions ---------------------------------------------------------------------------------------------------

W = INSPECTION_WORKFLOW


@W.act("start")
def start_inspection(actor, inspection: Inspection, *, version: int) -> Inspection:
    """开始检查: needs its inspected units (a 随机抽查 gets them from its draw)."""
    step = W.begin(actor, inspection, "start")
    if not inspection.targets.exists():
        if inspection.kind == InspectionKind.RANDOM:
            raise Invalid("随机抽查须先抽签，确定被检查单位后才能开始检查。")
        raise Invalid("尚无被检查单位，不能开始检查。")
    step.apply(version=version)
    return inspection


@W.act("complete")
def complete_inspection(actor, inspection: Inspection, *, version: int, summary: str = "") -> Inspection:
    """完成检查 once every inspected unit is rated, with an optional 总体评价."""
    step = W.begin(actor, inspection, "complete")
    unrated = [t.unit.name for t in inspection.targets.select_related("unit").filter(rating="")]
    if unrated:
        raise Invalid(f"以下被检查单位尚未评价，不能完成检查：{'、'.join(unrated)}。", {"rating": "尚有单位未评价"})
    summary = _text(summary)
    step.apply(version=version, fields={"summary": summary} if summary else {}, detail=summary)
    return inspection


def _claim_in_progress(inspection: Inspection) -> None:
    """Ratings and findings are recorded while the inspection is under way; bumps the version (others see it)."""
    if not Inspection.objects.filter(pk=inspection.pk, status=S.IN_PROGRESS).update(version=F("version") + 1):
        current = Inspection.objects.get(pk=inspection.pk)
        if current.status == S.PLANNED:
            raise Invalid("检查尚未开始：请先“开始检查”，再记录检查情况和发现的问题。")
        raise Invalid(f"检查状态为“{current.get_status_display()}”，不能再记录检查情况和发现的问题。")


def rate_target(actor, target: InspectionTarget, rating: str, notes: str = "") -> InspectionTarget:
    """Record how an inspected unit did (评价) and what the inspectors saw (检查情况)."""
    if not may_work(actor, target):
        _deny(actor, target, "rate", "您不是本次检查的检查人员，或与该单位存在回避关系，不能记录评价。")
    notes = _text(notes)
    if rating not in Rating.values:
        raise Invalid(details={"rating": "请选择评价（好、较好、一般、差）"})
    with transaction.atomic():
        _claim_in_progress(target.inspection)
        before = snapshot(target, ["rating", "notes"])
        target.rating, target.notes = rating, notes
        target.save(update_fields=["rating", "notes"])
        record_event(EventType.UPDATE, actor=actor, obj=target, action="rate", before=before,
                     after=snapshot(target, ["rating", "notes"]), detail=f"{target.unit.name}：{Rating(rating).label}")
    return target


def record_finding(actor, inspection: Inspection, target: InspectionTarget, description: str, measures: str,
                   deadline: date | None, responsible_person: User | None = None) -> Finding:
    """A problem found at an inspected unit: registered in the problem ledger (督导检查发现, 立即整改) and kept
    as the inspection's finding, in one transaction."""
    if target.inspection_id != inspection.pk:
        raise NotFound()
    if not may_work(actor, target):
        _deny(actor, inspection, "record_finding", "您不是本次检查的检查人员，或与该单位存在回避关系，不能登记发现的问题。")
    description, measures = _text(description), _text(measures)
    errors = {}
    if not description:
        errors["description"] = "请填写发现的问题"
    if not measures:
        errors["measures"] = "请填写整改要求（整改措施）"
    if not isinstance(deadline, date):
        errors["deadline"] = "请填写整改时限（YYYY-MM-DD）"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        _claim_in_progress(inspection)
        try:
            problem = problem_services.register_problem(
                actor, campaign=inspection.campaign, unit=target.unit, source=ProblemSource.INSPECTION,
                description=description, rectification_type=RectificationType.IMMEDIATE, measures=measures,
                deadline=deadline, responsible_person=responsible_person,
            )
        except NotFound as exc:
            raise Forbidden(f"您无权在“{target.unit.name}”登记问题。") from exc
        finding = Finding.objects.create(inspection=inspection, target=target, description=description,
                                         problem=problem, created_by=actor)
        record_event(EventType.CREATE, actor=actor, obj=finding, action="record_finding",
                     after={"inspection": inspection.pk, "target": target.pk, "unit": target.unit_id,
                            "problem": problem.pk, "description": description},
                     detail=f"{target.unit.name}：登记问题 {format_problem_no(problem.pk)}")
        announce("finding", actor, finding, "record")
    return finding
