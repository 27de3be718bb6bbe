"""问责追责 (R-SUP-4): recording who is held to account, for what, in which form, on which decision."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.clues.queries import visible_clues
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit
from qicha.problems.numbers import format_problem_no
from qicha.problems.queries import visible_problems

from ..models import Accountability, AccountabilityForm, CommitmentCheck, Failing

ACCOUNTABILITY_FIELDS = ["unit", "person", "person_title", "failing", "form", "decision_no", "decided_on", "facts",
                         "problems", "clues", "commitment_check"]


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ids(values, field: str, label: str, errors: dict) -> set[int]:
    try:
        return {int(i) for i in values or []}
    except (TypeError, ValueError):
        errors[field] = f"{label}编号应为整数。"
        return set()


def decision_errors(form: str, decision_no: str, decided_on) -> dict:
    """The decision part of an accountability record, shared with the broken-commitment check."""
    errors = {}
    if form not in AccountabilityForm.values:
        errors["form"] = "请选择问责方式。"
    if not _text(decision_no):
        errors["decision_no"] = "请填写问责决定文号。"
    elif len(_text(decision_no)) > 80:
        errors["decision_no"] = "决定文号不超过 80 字。"
    if not isinstance(decided_on, date):
        errors["decided_on"] = "请填写决定日期（YYYY-MM-DD）。"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "决定日期不能晚于今天。"
    return errors


def record_accountability(actor, campaign: Campaign, unit: Unit, person: str = "", person_title: str = "",
                          failing: str = "", form: str = "", decision_no: str = "", decided_on: date | None = None,
                          facts: str = "", problem_ids=(), clue_ids=(),
                          commitment_check: CommitmentCheck | None = None) -> Accountability:
    """登记问责: the unit (and person), the failing, the form, the decision, and the problems or clues behind it.

    The problems and clues linked must be ones the actor can see; anything else is refused by number.
    """
    if not can_act_on(actor, "accountability.manage", unit):
        raise NotFound("单位不存在或不在您的数据权限范围内")
    person, person_title, facts = _text(person), _text(person_title), _text(facts)
    errors = decision_errors(form, decision_no, decided_on)
    if failing not in Failing.values:
        errors["failing"] = "请选择问责情形。"
    if len(person) > 50:
        errors["person"] = "被问责人姓名不超过 50 字。"
    if len(person_title) > 50:
        errors["person_title"] = "职务不超过 50 字。"
    if not facts:
        errors["facts"] = "请填写问责事由。"
    problem_wanted = _ids(problem_ids, "problems", "问题", errors)
    clue_wanted = _ids(clue_ids, "clues", "线索", errors)
    problems = list(visible_problems(actor).filter(pk__in=problem_wanted, campaign=campaign).select_related("unit"))
    missing = sorted(problem_wanted - {p.pk for p in problems})
    if missing:
        errors["problems"] = f"问题 {'、'.join(format_problem_no(i) for i in missing)} 不存在或不在您的数据权限范围内。"
    clues = list(visible_clues(actor).filter(pk__in=clue_wanted, campaign=campaign).select_related("unit"))
    missing = sorted(clue_wanted - {c.pk for c in clues})
    if missing:
        errors["clues"] = f"线索 {'、'.join('#' + str(i) for i in missing)} 不存在或不在您的数据权限范围内。"
    if isinstance(unit, Unit):
        # What a unit is held to account for is its own (or its sub-units') problems and clues.
        foreign = [format_problem_no(p.pk) for p in problems if not p.unit.path.startswith(unit.path)]
        if foreign and "problems" not in errors:
            errors["problems"] = f"问题 {'、'.join(foreign)} 不属于被问责单位（含下属单位），不能关联。"
        foreign = [f"#{c.pk}" for c in clues if c.unit_id is None or not c.unit.path.startswith(unit.path)]
        if foreign and "clues" not in errors:
            errors["clues"] = f"线索 {'、'.join(foreign)} 不由被问责单位（含下属单位）承办，不能关联。"
    if commitment_check is not None and commitment_check.letter.campaign_id != campaign.pk:
        errors["commitment_check"] = "该承诺监督检查不属于此专项行动。"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        record = Accountability.objects.create(
            campaign=campaign, unit=unit, person=person, person_title=person_title, failing=failing, form=form,
            decision_no=_text(decision_no), decided_on=decided_on, facts=facts, commitment_check=commitment_check,
            created_by=actor,
        )
        record.problems.set(problems)
        record.clues.set(clues)
        record_event(EventType.CREATE, actor=actor, obj=record, after=snapshot(record, ACCOUNTABILITY_FIELDS))
    return record
