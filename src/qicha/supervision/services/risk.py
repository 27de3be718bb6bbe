"""The office's risk settings for the random draw: each unit's risk profile and each campaign's weights."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit

from ..models import RiskProfile, RiskWeights

WEIGHT_FIELDS = ["service_coverage", "funds", "special_groups", "overdue_problems"]
PROFILE_FIELDS = ["service_coverage", "funds", "special_groups"]
MAX_WEIGHT = Decimal("9999.99")
MAX_FUNDS = Decimal("999999999999.99")
MAX_COUNT = 2_000_000_000


def _decimal(value, field: str, label: str, maximum: Decimal, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为数字"
        return None
    if not number.is_finite() or number < 0 or number > maximum:
        errors[field] = f"{label}应在 0 至 {maximum} 之间"
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = f"{label}最多保留两位小数"
        return None
    return number.quantize(Decimal("0.01"))


def _count(value, field: str, label: str, errors: dict) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = f"{label}应为整数"
        return None
    if not 0 <= number <= MAX_COUNT:
        errors[field] = f"{label}不能为负数"
        return None
    return number


def save_weights(actor, campaign: Campaign, values: dict) -> RiskWeights:
    """The campaign's weights (0 switches a factor off). Campaign-wide, so the office's whole-system scope."""
    if not can_act_on(actor, "inspection.manage", Unit.objects.get_first_root_node()):
        raise Forbidden("您无权设置随机抽查权重。")
    labels = {f: RiskWeights._meta.get_field(f).verbose_name for f in WEIGHT_FIELDS}
    errors, clean = {}, {}
    for f in WEIGHT_FIELDS:
        if f in values:
            clean[f] = _decimal(values[f], f, labels[f], MAX_WEIGHT, errors)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        weights, _ = RiskWeights.objects.select_for_update().get_or_create(campaign=campaign)
        before = snapshot(weights, WEIGHT_FIELDS)
        for f, v in clean.items():
            setattr(weights, f, v)
        weights.save()
        after = snapshot(weights, WEIGHT_FIELDS)
        if after != before:
            record_event(EventType.SETTING_CHANGE, actor=actor, obj=weights, action="risk_weights", before=before,
                         after=after)
    return weights


def save_profile(actor, unit: Unit, values: dict) -> RiskProfile:
    """One unit's risk factors: 服务对象、监管资金（万元）、特殊群体."""
    if not can_act_on(actor, "inspection.manage", unit):
        raise NotFound()
    labels = {f: RiskProfile._meta.get_field(f).verbose_name for f in PROFILE_FIELDS}
    errors, clean = {}, {}
    for f in PROFILE_FIELDS:
        if f not in values:
            continue
        if f == "funds":
            clean[f] = _decimal(values[f], f, labels[f], MAX_FUNDS, errors)
        else:
            clean[f] = _count(values[f], f, labels[f], errors)
    if errors:
        raise Invalid(f"“{unit.name}”的风险因素有误。", errors)
    with transaction.atomic():
        profile, _ = RiskProfile.objects.select_for_update().get_or_create(unit=unit)
        before = snapshot(profile, PROFILE_FIELDS)
        for f, v in clean.items():
            setattr(profile, f, v)
        profile.save()
        after = snapshot(profile, PROFILE_FIELDS)
        if after != before:
            record_event(EventType.UPDATE, actor=actor, obj=profile, action="risk_profile", before=before, after=after)
    return profile


def save_profiles(actor, rows: list[tuple[Unit, dict]]) -> int:
    """Several units at once (the settings table); all or nothing. Returns how many rows were saved."""
    errors = {}
    with transaction.atomic():
        for unit, values in rows:
            try:
                save_profile(actor, unit, values)
            except Invalid as exc:
                errors |= {f"{unit.pk}.{k}": f"{unit.name}：{v}" for k, v in exc.details.items()}
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise Invalid("风险因素有误，未保存。", errors)
    return len(rows)
