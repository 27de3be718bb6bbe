from django.db import transaction

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version
from qicha.orgs.models import Unit

from ..models import Campaign, CheckItem, SelfInspection

FIELDS = ["statement", "no_problem_found", "reason"]
MAX_TEXT = 5000


def _validate(statement: str, no_problem_found: bool, reason: str) -> None:
    errors = {}
    if no_problem_found and not reason:
        errors["reason"] = "选择“未发现问题”时，请写明理由。"
    if not no_problem_found and not statement:
        errors["statement"] = "请填写查摆情况（本单位的实际行动、成效及查摆出的问题）。"
    for name, text in (("statement", statement), ("reason", reason)):
        if len(text) > MAX_TEXT:
            errors[name] = f"内容过长：最多 {MAX_TEXT} 字，当前 {len(text)} 字。"
    if errors:
        raise Invalid(details=errors)


def save_self_inspection(
    actor,
    *,
    campaign: Campaign,
    unit: Unit,
    check_item: CheckItem,
    statement: str,
    no_problem_found: bool,
    reason: str = "",
    version: int | None = None,
) -> SelfInspection:
    """Record a unit's answer to one check item; a second save needs the version it started from."""
    # Out of scope looks the same as absent (404), so a unit's existence is not disclosed.
    if not can_act_on(actor, "selfinspection.edit", unit):
        raise NotFound()
    if check_item.campaign_id != campaign.pk:
        raise NotFound("该查摆事项不属于此专项行动。")
    if not campaign.participating_units.filter(pk=unit.pk).exists():
        raise Invalid(f"“{unit.name}”不是本次专项行动的参与单位。")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再填报。")
    statement, reason = (statement or "").strip(), (reason or "").strip()
    _validate(statement, no_problem_found, reason)
    with transaction.atomic():
        existing = (
            SelfInspection.objects.select_for_update()
            .filter(campaign=campaign, unit=unit, check_item=check_item)
            .first()
        )
        if existing is None:
            entry = SelfInspection.objects.create(
                campaign=campaign, unit=unit, check_item=check_item, statement=statement,
                no_problem_found=no_problem_found, reason=reason, filled_by=actor,
            )
            record_event(EventType.CREATE, actor=actor, obj=entry, after=snapshot(entry, FIELDS))
            return entry
        before = snapshot(existing, FIELDS)
        claim_version(existing, version)
        existing.statement, existing.no_problem_found, existing.reason = statement, no_problem_found, reason
        existing.filled_by = actor
        existing.save(update_fields=[*FIELDS, "filled_by", "filled_at"])
        record_event(EventType.UPDATE, actor=actor, obj=existing, before=before, after=snapshot(existing, FIELDS))
        return existing


def save_self_inspections(actor, *, campaign: Campaign, unit: Unit, entries: list[dict]) -> None:
    """Several answers at once (the API's PUT): all are saved or none. Each entry names its check item by ordinal;
    errors are keyed `entries.<index>.<field>`."""
    items = {i.ordinal: i for i in campaign.check_items.all()}
    errors = {}
    with transaction.atomic():
        for index, entry in enumerate(entries):
            item = items.get(entry.get("check_item"))
            if item is None:
                errors[f"entries.{index}.check_item"] = f"查摆事项序号应为 1 至 {len(items)}"
                continue
            try:
                save_self_inspection(
                    actor, campaign=campaign, unit=unit, check_item=item, statement=entry.get("statement", ""),
                    no_problem_found=entry.get("no_problem_found", False), reason=entry.get("reason", ""),
                    version=entry.get("version"),
                )
            except Invalid as exc:
                for field, message in (exc.details or {"entry": exc.message}).items():
                    errors[f"entries.{index}.{field}"] = message
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise Invalid("填报内容有误，未保存任何一条。", errors)
