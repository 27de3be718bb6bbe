"""Correcting a registered clue or case (PATCH /clues/{id}, PATCH /cases/{id}): the editable texts, with the version
the editor started from; status, unit and handler move only through the workflow acts. Both take one path
(`_checked`, `_saved`); each says only who may edit and what its fields must be."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.choices import choice_error
from qicha.core.errors import Forbidden, Invalid
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version

from ..models import Case, CaseStatus, Clue, Domain, Status
from ..workflow import _clue_unit
from .intake import EARLIEST
from .match_index import refresh_match_keys


@dataclass(frozen=True)
class Editable:
    fields: tuple[str, ...]
    open_statuses: tuple[str, ...]
    noun: str  # 线索 / 案件, in "线索状态为…，不能再修改"


CLUE = Editable(("reference_no", "content", "domain", "region"),
                (Status.RECEIVED, Status.ASSIGNED, Status.VERIFYING, Status.VERIFIED, Status.ESCALATED), "线索")
CASE = Editable(("name", "reference_no", "received_date", "summary", "instruction"),
                (CaseStatus.OPEN, CaseStatus.INVESTIGATING, CaseStatus.CONCLUDED), "案件")


def _checked(record, changes: dict, spec: Editable) -> dict:
    """The changes trimmed, once they name only editable fields of a record still open."""
    unknown = set(changes) - set(spec.fields)
    if unknown:
        message = f"不能修改的字段：{', '.join(sorted(unknown))}（可修改：{', '.join(spec.fields)}）"
        raise Invalid(message, {name: "该字段不能在此修改" for name in sorted(unknown)})
    if record.status not in spec.open_statuses:
        raise Invalid(f"{spec.noun}状态为“{record.get_status_display()}”，不能再修改。")
    return {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}


def _saved(actor, record, clean: dict, *, version: int | None, spec: Editable,
           then: Callable[[], None] | None = None):
    """Write the changes if the record is still at `version` and open, audited with before and after."""
    with transaction.atomic():
        before = snapshot(record, list(spec.fields))
        claim_version(record, version, status__in=spec.open_statuses)
        for name, value in clean.items():
            setattr(record, name, value)
        record.updated_at = timezone.now()
        record.save(update_fields=[*clean, "updated_at"])
        if then is not None:
            then()
        record_event(EventType.UPDATE, actor=actor, obj=record, before=before,
                     after=snapshot(record, list(spec.fields)), action="edit")
    return record


def update_clue(actor, clue: Clue, *, version: int | None, **changes) -> Clue:
    """Correct a clue's number, content, domain or region until it is closed (办结): the office, or the registrant."""
    unit = _clue_unit(clue)
    # The office that assigns it, or whoever registered it (still holding clue.create there).
    registrant = clue.created_by_id == actor.pk and can_act_on(actor, "clue.create", unit)
    if not (can_act_on(actor, "clue.assign", unit) or registrant):
        raise Forbidden("您无权修改该线索（由扫黑办或登记人修改）。")
    clean, errors = _checked(clue, changes, CLUE), {}
    if "content" in clean and not clean["content"]:
        errors["content"] = "请填写反映内容"
    if "domain" in clean and clean["domain"] not in Domain.values:
        errors["domain"] = choice_error("涉及领域", Domain)
    if len(clean.get("reference_no") or "") > 60:
        errors["reference_no"] = "线索编号不能超过 60 个字符"
    if len(clean.get("region") or "") > 100:
        errors["region"] = "涉及地区不能超过 100 个字符"
    if clean.get("reference_no") and clean["reference_no"] != clue.reference_no and Clue.objects.filter(
            campaign=clue.campaign_id, source=clue.source, reference_no=clean["reference_no"]).exists():
        errors["reference_no"] = f"线索编号“{clean['reference_no']}”已被使用，请核对"
    if errors:
        raise Invalid(details=errors)
    # The matcher's keys follow the corrected facts (no new search: the clue is not new).
    refresh = (lambda: refresh_match_keys([clue])) if {"content", "region"} & set(clean) else None
    return _saved(actor, clue, clean, version=version, spec=CLUE, then=refresh)


def update_case(actor, case: Case, *, version: int | None, **changes) -> Case:
    """Correct a case's name, number, date, summary or instruction until it is closed (销号)."""
    if not can_act_on(actor, "case.manage", case.unit):
        raise Forbidden("您无权修改该案件。")
    clean, errors = _checked(case, changes, CASE), {}
    if "name" in clean and not clean["name"]:
        errors["name"] = "请填写案件名称。"
    elif len(clean.get("name") or "") > 200:
        errors["name"] = "案件名称不超过 200 字。"
    if len(clean.get("reference_no") or "") > 60:
        errors["reference_no"] = "交办编号不超过 60 字。"
    if "summary" in clean and not clean["summary"]:
        errors["summary"] = "请填写基本案情。"
    if "received_date" in clean:
        day = clean["received_date"]
        if day is None:
            errors["received_date"] = "请填写交办日期（YYYY-MM-DD）。"
        elif day > timezone.localdate():
            errors["received_date"] = "交办日期不能晚于今天。"
        elif day < EARLIEST:
            errors["received_date"] = "交办日期不能早于1990年1月1日。"
    if case.source == "leader_instruction" and "instruction" in clean and not clean["instruction"]:
        errors["instruction"] = "领导批示案件须填写批示内容。"
    if errors:
        raise Invalid(details=errors)
    return _saved(actor, case, clean, version=version, spec=CASE)


def patch(actor, record: Clue | Case, sent: dict):
    """A PATCH request's fields (those it sent, with the version it read) applied to a clue or a case."""
    changes = dict(sent)
    version = changes.pop("version", None)
    update = update_clue if isinstance(record, Clue) else update_case
    return update(actor, record, version=version, **changes)
