"""Correcting a registered clue or case (PATCH /clues/{id}, PATCH /cases/{id}): the editable texts, with the version
the editor started from; status, unit and handler move only through the workflow acts."""

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.choices import choice_error
from qicha.core.errors import Forbidden, Invalid
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version

from ..models import Case, CaseStatus, Clue, Domain, MatchKey, Status
from ..workflow import _clue_unit
from . import repeats
from .intake import EARLIEST

CLUE_EDITABLE = ("reference_no", "content", "domain", "region")
CLUE_OPEN = (Status.RECEIVED, Status.ASSIGNED, Status.VERIFYING, Status.VERIFIED, Status.ESCALATED)
CASE_EDITABLE = ("name", "reference_no", "received_date", "summary", "instruction")
CASE_OPEN = (CaseStatus.OPEN, CaseStatus.INVESTIGATING, CaseStatus.CONCLUDED)


def _unknown(changes: dict, allowed) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        message = f"不能修改的字段：{', '.join(sorted(unknown))}（可修改：{', '.join(allowed)}）"
        raise Invalid(message, {name: "该字段不能在此修改" for name in sorted(unknown)})


def _refresh_match_keys(clue: Clue) -> None:
    """The repeat matcher's keys follow the corrected content and region (no new search: the clue is not new)."""
    subjects = [{"kind": s.kind, "name": s.name, "id_number": s.id_number.clear if s.id_number else "",
                 "credit_code": s.credit_code} for s in clue.subjects.all()]
    keys = repeats._digested(repeats.similarity.match_keys(repeats._facts(clue, subjects)))
    clue.match_shingles = " ".join(sorted(keys.shingles))
    Clue.objects.filter(pk=clue.pk).update(match_shingles=clue.match_shingles)
    MatchKey.objects.filter(clue=clue).delete()
    MatchKey.objects.bulk_create(MatchKey(clue=clue, kind=kind, digest=d)
                                 for kind in repeats.KEY_KINDS for d in getattr(keys, kind))


def update_clue(actor, clue: Clue, *, version: int | None, **changes) -> Clue:
    """Correct a clue's number, content, domain or region until it is closed (办结): the office, or the registrant."""
    unit = _clue_unit(clue)
    # The office that assigns it, or whoever registered it (still holding clue.create there).
    registrant = clue.created_by_id == actor.pk and can_act_on(actor, "clue.create", unit)
    if not (can_act_on(actor, "clue.assign", unit) or registrant):
        raise Forbidden("您无权修改该线索（由扫黑办或登记人修改）。")
    _unknown(changes, CLUE_EDITABLE)
    if clue.status not in CLUE_OPEN:
        raise Invalid(f"线索状态为“{clue.get_status_display()}”，不能再修改。")
    clean, errors = {}, {}
    for name, value in changes.items():
        clean[name] = value.strip() if isinstance(value, str) else value
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
    with transaction.atomic():
        before = snapshot(clue, list(CLUE_EDITABLE))
        claim_version(clue, version, status__in=CLUE_OPEN)
        for name, value in clean.items():
            setattr(clue, name, value)
        clue.updated_at = timezone.now()
        clue.save(update_fields=[*clean, "updated_at"])
        if {"content", "region"} & set(clean):
            _refresh_match_keys(clue)
        record_event(EventType.UPDATE, actor=actor, obj=clue, before=before,
                     after=snapshot(clue, list(CLUE_EDITABLE)), action="edit")
    return clue


def update_case(actor, case: Case, *, version: int | None, **changes) -> Case:
    """Correct a case's name, number, date, summary or instruction until it is closed (销号)."""
    if not can_act_on(actor, "case.manage", case.unit):
        raise Forbidden("您无权修改该案件。")
    _unknown(changes, CASE_EDITABLE)
    if case.status not in CASE_OPEN:
        raise Invalid(f"案件状态为“{case.get_status_display()}”，不能再修改。")
    clean, errors = {}, {}
    for name, value in changes.items():
        clean[name] = value.strip() if isinstance(value, str) else value
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
    with transaction.atomic():
        before = snapshot(case, list(CASE_EDITABLE))
        claim_version(case, version, status__in=CASE_OPEN)
        for name, value in clean.items():
            setattr(case, name, value)
        case.updated_at = timezone.now()
        case.save(update_fields=[*clean, "updated_at"])
        record_event(EventType.UPDATE, actor=actor, obj=case, before=before,
                     after=snapshot(case, list(CASE_EDITABLE)), action="edit")
    return case
