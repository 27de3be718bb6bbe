from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from qicha.campaigns.models import Campaign, CheckItem, SelfInspection
from qicha.core.audit import EventType, record_batch_event, record_event, snapshot
from qicha.core.bulk import insert_rows
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version
from qicha.orgs.models import Unit, User

from ..models import FeedbackAspect, Milestone, Problem, RectificationType, Source, Status

PLAN_FIELDS = [
    "check_item", "unit", "source", "aspect", "description", "category", "rectification_type", "measures",
    "deadline", "responsible_leader", "responsible_department", "responsible_person_name", "responsible_person_post",
    "responsible_person_phone", "responsible_person",
]
PERSON_FIELDS = ("responsible_person_name", "responsible_person_post", "responsible_person_phone")
PERSON_LIMITS = {"responsible_leader": ("责任领导", 50), "responsible_department": ("责任部门", 100),
                 "responsible_person_name": ("责任人", 50), "responsible_person_post": ("责任人职务", 50),
                 "responsible_person_phone": ("责任人电话", 30)}
EDITABLE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
# Django builds an enum's `values` list on every access: kept once, the rules check 100,000 plans quickly.
SOURCES, RECTIFICATION_TYPES = frozenset(Source.values), frozenset(RectificationType.values)


def validate_plan(campaign: Campaign, fields: dict, milestones: list[dict], *, new: bool) -> None:
    """The rules a problem's plan must meet, shared by the form, the API and the Excel import."""
    errors = {}
    unit: Unit = fields["unit"]
    if not (fields.get("description") or "").strip():
        errors["description"] = "请填写问题描述。"
    if fields.get("source") not in SOURCES:
        errors["source"] = "请选择问题来源。"
    kind = fields.get("rectification_type")
    if kind not in RECTIFICATION_TYPES:
        errors["rectification_type"] = "请选择整改类型（立即整改、限期整改、长期整改）。"
    if not (fields.get("measures") or "").strip():
        errors["measures"] = "请填写整改措施。"
    deadline = fields.get("deadline")
    if not isinstance(deadline, date):
        errors["deadline"] = "请填写整改时限（YYYY-MM-DD）。"
    if kind in (RectificationType.DEADLINE, RectificationType.LONG_TERM) and not milestones:
        label = "限期整改须倒排时间表" if kind == RectificationType.DEADLINE else "长期整改须有阶段性计划"
        errors["milestones"] = f"{label}：请至少填写一个节点及其完成时限。"
    for index, milestone in enumerate(milestones):
        if not (milestone.get("title") or "").strip():
            errors[f"milestones.{index}.title"] = "请填写节点内容。"
        due = milestone.get("due_date")
        if not isinstance(due, date):
            errors[f"milestones.{index}.due_date"] = "请填写节点完成时限。"
        elif isinstance(deadline, date) and due > deadline:
            errors[f"milestones.{index}.due_date"] = "节点时限不能晚于整改时限。"
    check_item: CheckItem | None = fields.get("check_item")
    if check_item is not None and check_item.campaign_id != campaign.pk:
        errors["check_item"] = "该查摆事项不属于此专项行动。"
    aspect: FeedbackAspect | None = fields.get("aspect")
    if fields.get("source") == Source.GROUP_FEEDBACK and aspect is None:
        errors["aspect"] = "督导组反馈问题须选择所属方面。"
    if aspect is not None and aspect.campaign_id != campaign.pk:
        errors["aspect"] = "该反馈方面不属于此专项行动。"
    person: User | None = fields.get("responsible_person")
    if person is not None and (not person.is_active or person.unit is None or not person.unit.path.startswith(unit.path)):
        errors["responsible_person"] = f"责任人账号须是“{unit.name}”（含下属单位）的在岗人员。"
    for name, (label, limit) in PERSON_LIMITS.items():
        value = fields.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors[name] = f"{label}不能超过 {limit} 个字。"
    phone = fields.get("responsible_person_phone")
    if isinstance(phone, str) and phone.strip() and not all(c.isdigit() or c in "-+ ()（）转" for c in phone.strip()):
        errors["responsible_person_phone"] = "责任人电话只能含数字和“-”（如 13900000000 或 0571-12345678）。"
    if errors:
        raise Invalid(details=errors)


def match_account(unit: Unit, name: str) -> User | None:
    """The account a 责任人's name stands for: an active user of `unit` (or a unit below it) with that user name, or
    the one such user with that full name. None when nobody matches, or when several share the name."""
    name = (name or "").strip()
    if not name:
        return None
    people = list(User.objects.filter(is_active=True, unit__path__startswith=unit.path)
                  .filter(Q(username=name) | Q(full_name=name)).select_related("unit")[:5])
    by_username = [p for p in people if p.username == name]
    if by_username:
        return by_username[0]
    return people[0] if len(people) == 1 else None


def _with_person(fields: dict, unit: Unit) -> dict:
    """Fill the 责任人's name and account from each other. Given an account (the old API form, a finding's owner),
    the name is the account's; given a name without an account, the account is looked up (`match_account`) — unless
    the caller already looked (the import passes `responsible_person` beside the name, None for no match)."""
    fields = dict(fields)
    name = (fields.get("responsible_person_name") or "").strip()
    person = fields.get("responsible_person")
    if person is not None and not name:
        name = person.display_name
    elif "responsible_person" not in fields:
        person = match_account(unit, name)
    elif person is not None and name not in (person.display_name, person.username):
        person = match_account(unit, name)  # the name was changed: the account follows it
    if person is not None and name == person.username:
        name = person.display_name
    fields["responsible_person_name"] = name
    fields["responsible_person"] = person if name else None
    return fields


def _clean_milestones(milestones) -> list[dict]:
    return [dict(m) for m in milestones or []]


def _check_may_register(actor, campaign: Campaign, unit: Unit) -> None:
    if not can_act_on(actor, "problem.create", unit):
        raise NotFound()
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再登记问题。")


def _new_problem(actor, campaign: Campaign, unit: Unit, fields: dict, milestones,
                 self_inspection: SelfInspection | None = None) -> tuple[dict, list[dict]]:
    """What a new problem stores (field → value) and its cleaned milestones, once the plan meets the rules: the
    one definition every registration — one from the form or the API, or many from an import — writes."""
    milestones = _clean_milestones(milestones)
    fields = _with_person({**fields, "unit": unit}, unit)
    validate_plan(campaign, fields, milestones, new=True)
    return {"campaign": campaign, "self_inspection": self_inspection, "created_by": actor, **_stripped(fields)}, milestones


def register_problem(actor, *, campaign: Campaign, unit: Unit, milestones=(), self_inspection: SelfInspection | None = None,
                     **fields) -> Problem:
    """Register a problem found (from a self-inspection item or directly)."""
    _check_may_register(actor, campaign, unit)
    if self_inspection is not None:
        if self_inspection.unit_id != unit.pk or self_inspection.campaign_id != campaign.pk:
            raise Invalid("自查填报与问题的责任单位或专项行动不一致。")
        fields.setdefault("check_item", self_inspection.check_item)
        fields.setdefault("source", Source.SELF_INSPECTION)
    stored, milestones = _new_problem(actor, campaign, unit, fields, milestones, self_inspection)
    with transaction.atomic():
        problem = Problem.objects.create(**stored)
        Milestone.objects.bulk_create(_milestone_rows(problem, milestones))
        after = snapshot(problem, PLAN_FIELDS) | {"milestones": milestones, "status": problem.status}
        record_event(EventType.CREATE, actor=actor, obj=problem, after=after)
    return problem


@dataclass(frozen=True)
class NewProblem:
    """One problem of a batch registration, and where it came from (its row in the file and that row's digest)."""

    source_row: int
    digest: str
    unit: Unit
    fields: dict
    milestones: list


def register_problems(actor, *, campaign: Campaign, problems: Iterable[NewProblem], action: str,
                      audit: Callable[[int], dict], detail: Callable[[int], str], object_repr: str,
                      batch_size: int = 2000) -> list[tuple[int, int]]:
    """Register many problems at once (an Excel import). Each meets the same rules as `register_problem`; all are
    written by bulk inserts in ONE transaction — all or none: an exception raised while `problems` is consumed
    writes nothing — and the batch is ONE chained audit event: `audit(count)` plus, per problem,
    [row, digest, id]; each problem's timeline shows it as its registration. Returns (row, problem id) pairs."""
    checked_units: set[int] = set()  # scope and campaign are checked once per unit, not per row
    created: list[list] = []
    batch: list[tuple[NewProblem, dict, list[dict]]] = []

    def flush() -> None:
        ids = insert_rows(Problem, (_row_of(stored) for _, stored, _ in batch), returning=True)
        insert_rows(Milestone, ({"problem_id": problem_id, **vars(milestone)} for problem_id, (_, _, milestones)
                                in zip(ids, batch, strict=True) for milestone in _milestone_values(milestones)))
        created.extend([new.source_row, new.digest, problem_id] for (new, _, _), problem_id
                       in zip(batch, ids, strict=True))
        batch.clear()

    with transaction.atomic():
        for new in problems:
            if new.unit.pk not in checked_units:
                _check_may_register(actor, campaign, new.unit)
                checked_units.add(new.unit.pk)
            stored, milestones = _new_problem(actor, campaign, new.unit, new.fields, new.milestones)
            batch.append((new, stored, milestones))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        record_batch_event(EventType.IMPORT, actor=actor, object_type=Problem._meta.label_lower,
                           object_ids=[problem_id for _, _, problem_id in created], object_repr=object_repr,
                           action=action, detail=detail(len(created)),
                           after={**audit(len(created)), "created": len(created), "problems": created})
    return [(row, problem_id) for row, _, problem_id in created]


def _row_of(stored: dict) -> dict:
    """Stored fields as column values: related records by their ids."""
    return {(f"{name}_id" if name in RELATED else name): (value.pk if name in RELATED and value is not None else value)
            for name, value in stored.items()}


RELATED = {field.name for field in Problem._meta.concrete_fields if field.is_relation}


def update_problem(actor, problem: Problem, *, version: int | None, milestones=None, **changes) -> Problem:
    """Edit the plan of a problem not yet submitted; a stale version writes nothing."""
    if not can_act_on(actor, "problem.create", problem.unit):
        raise NotFound()
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    if problem.status not in EDITABLE_STATUSES:
        raise Invalid(f"问题状态为“{problem.get_status_display()}”，不能再修改整改方案。")
    if "unit" in changes and not can_act_on(actor, "problem.create", changes["unit"]):
        raise NotFound()
    current_milestones = [
        {"title": m.title, "due_date": m.due_date, "done": m.done} for m in problem.milestones.all()
    ]
    new_milestones = current_milestones if milestones is None else _clean_milestones(milestones)
    if {"unit", "responsible_person_name", "responsible_person"} & set(changes):
        name = changes.get("responsible_person_name", problem.responsible_person_name)
        if "responsible_person" in changes and "responsible_person_name" not in changes:
            name = ""  # an account given alone (the old API form) names the 责任人
        person = {"responsible_person": changes["responsible_person"]} if "responsible_person" in changes else {}
        changes |= _with_person({"responsible_person_name": name, **person}, changes.get("unit", problem.unit))
    merged = {f: getattr(problem, f) for f in PLAN_FIELDS} | changes
    validate_plan(problem.campaign, merged, new_milestones, new=False)
    with transaction.atomic():
        before = snapshot(problem, PLAN_FIELDS) | {"milestones": current_milestones}
        claim_version(problem, version, status__in=EDITABLE_STATUSES)
        for field, value in _stripped(changes).items():
            setattr(problem, field, value)
        problem.save(update_fields=[*changes, "updated_at"])
        if milestones is not None:
            _replace_milestones(problem, new_milestones)
        after = snapshot(problem, PLAN_FIELDS) | {"milestones": new_milestones}
        record_event(EventType.UPDATE, actor=actor, obj=problem, before=before, after=after)
    return problem


def _stripped(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@dataclass(frozen=True)
class _MilestoneValues:
    ordinal: int
    title: str
    due_date: date
    done: bool


def _milestone_values(milestones: list[dict]) -> list[_MilestoneValues]:
    # Stored in date order (a backward schedule reads from the first step to the last); errors were
    # reported against the order the user typed.
    return [_MilestoneValues(i, m["title"].strip(), m["due_date"], bool(m.get("done")))
            for i, m in enumerate(sorted(milestones, key=lambda m: m["due_date"]), start=1)]


def _milestone_rows(problem: Problem, milestones: list[dict]) -> list[Milestone]:
    return [Milestone(problem=problem, **vars(values)) for values in _milestone_values(milestones)]


def _replace_milestones(problem: Problem, milestones: list[dict]) -> None:
    problem.milestones.all().delete()
    Milestone.objects.bulk_create(_milestone_rows(problem, milestones))
