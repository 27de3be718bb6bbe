from itertools import pairwise

from django.db import transaction

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Forbidden, Invalid
from qicha.core.scope import has_permission
from qicha.core.versioning import claim_version

from ..models import Campaign, CheckItem, Phase
from ..template import SEVEN_CHECKS, default_schedule, load_template

CAMPAIGN_FIELDS = [
    "name", "year", "document_no", "description", "organiser", "report_due_day",
    "stage_summary_due", "clue_clearance_date", "final_summary_due", "is_active", "participating_units",
]


def _validate(fields: dict, phases: list[dict], errors: dict | None = None) -> None:
    errors = dict(errors or {})
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写行动名称。"
    year = fields.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "年度应为 2000 至 2100 之间的整数。"
    due_day = fields.get("report_due_day", 21)
    if not isinstance(due_day, int) or not 1 <= due_day <= 28:
        errors["report_due_day"] = "月报截止日应为 1 至 28 日（每个月都有的日子）。"
    labels = dict(Phase.Kind.choices)
    for phase in phases:
        start, end = phase.get("start_date"), phase.get("end_date")
        if start and end and end < start:
            errors[f"phase_{phase['kind']}"] = f"{labels[phase['kind']]}的结束日期早于开始日期。"
    # The stages follow one another (部署, then 整改, then 巩固): a stage starts after the one before it has ended.
    order = list(labels)
    in_order = sorted(phases, key=lambda phase: order.index(phase["kind"]) if phase["kind"] in order else len(order))
    for before, after in pairwise(in_order):
        if before.get("end_date") and after.get("start_date") and after["start_date"] <= before["end_date"]:
            errors[f"phase_{after['kind']}_start"] = (
                f"{labels[after['kind']]}开始（{after['start_date']:%Y-%m-%d}）不晚于{labels[before['kind']]}结束"
                f"（{before['end_date']:%Y-%m-%d}）：各阶段应依次进行。")
    starts = [p["start_date"] for p in phases if p.get("start_date")]
    if isinstance(year, int) and starts and min(starts).year != year and "year" not in errors:
        errors["year"] = f"行动开始日期（{min(starts):%Y-%m-%d}）不在{year}年度内：请核对年度或阶段日期。"
    if errors:
        raise Invalid(details=errors)


ITEM_FIELDS = ["title", "check_text", "present_text", "key_points"]
CLOSED = "专项行动已结束，查摆事项不能再修改。"


def _template_items(template_code: str) -> list[dict]:
    try:
        return load_template(template_code)["items"]
    except (FileNotFoundError, KeyError):
        raise Invalid(details={"template": f"没有这个查摆模板：“{template_code}”。可选：{SEVEN_CHECKS}"}) from None


def create_campaign(actor, *, participating_units, phases: list[dict], template_code: str = SEVEN_CHECKS,
                    copy_from: Campaign | None = None, **fields) -> Campaign:
    """A campaign with its phases and check items: the template's (later template edits don't move it), or, with
    `copy_from`, the earlier campaign's items as that campaign has them (with the names its office filled in)."""
    if not has_permission(actor, "campaign.manage"):
        raise Forbidden()
    errors = {}
    if not fields.get("organiser"):
        errors["organiser"] = "请选择牵头单位。"
    if not list(participating_units):
        errors["participating_units"] = "请至少选择一个参与单位。"
    starts = [p["start_date"] for p in phases if p.get("start_date")]
    for name, label in (("stage_summary_due", "阶段总结报送时限"), ("clue_clearance_date", "线索清仓见底时限"),
                        ("final_summary_due", "工作总结报送时限")):
        if starts and fields.get(name) and fields[name] < min(starts):
            errors[name] = f"{label}（{fields[name]:%Y-%m-%d}）早于行动开始日期（{min(starts):%Y-%m-%d}）。"
    _validate(fields, phases, errors)
    if copy_from is not None:
        template_code = copy_from.template_code
        items = [snapshot(i, ["ordinal", "label", *ITEM_FIELDS]) for i in copy_from.check_items.order_by("ordinal")]
    else:
        items = _template_items(template_code)
    with transaction.atomic():
        campaign = Campaign.objects.create(template_code=template_code, **fields)
        campaign.participating_units.set(participating_units)
        for ordinal, phase in enumerate(phases, start=1):
            Phase.objects.create(campaign=campaign, ordinal=ordinal, **phase)
        CheckItem.objects.bulk_create(
            CheckItem(
                campaign=campaign,
                ordinal=item["ordinal"],
                label=item["label"],
                title=item["title"],
                check_text=item["check_text"],
                present_text=item["present_text"],
                key_points=item["key_points"],
            )
            for item in items
        )
        after = snapshot(campaign, CAMPAIGN_FIELDS)
        after["phases"] = [snapshot(p, ["kind", "start_date", "end_date"]) for p in campaign.phases.all()]
        after["source"] = f"复制自“{copy_from.name}”（编号 {copy_from.pk}）" if copy_from else f"模板 {template_code}"
        record_event(EventType.CREATE, actor=actor, obj=campaign, after=after)
    return campaign


def update_check_item(actor, item: CheckItem, *, version: int | None, **changes) -> CheckItem:
    """Edit a check item's texts (so "区县X局", "第X督导组" become the real names) while its campaign runs."""
    if not has_permission(actor, "campaign.manage"):
        raise Forbidden()
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    if not item.campaign.is_active:
        raise Invalid(CLOSED, {"campaign": CLOSED})
    changes = {name: (value or "").strip() for name, value in changes.items()}
    errors = {}
    for name, label in (("title", "简称"), ("check_text", "“查”的内容"), ("present_text", "“摆”的内容")):
        if name in changes and not changes[name]:
            errors[name] = f"请填写{label}。"
    if len(changes.get("title", "")) > 40:
        errors["title"] = "简称不超过 40 个字。"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        before = snapshot(item, ITEM_FIELDS)
        # Only while the campaign is still running at the moment of the claim.
        claim_version(item, version, campaign__is_active=True)
        for name, value in changes.items():
            setattr(item, name, value)
        if changes:
            item.save(update_fields=list(changes))
        record_event(EventType.UPDATE, actor=actor, obj=item, before=before, after=snapshot(item, ITEM_FIELDS),
                     detail=f"{item.campaign.name} 查摆事项{item.label}")
    return item


def update_campaign(actor, campaign: Campaign, *, version: int, phases: list[dict] | None = None,
                    participating_units=None, **changes) -> Campaign:
    if not has_permission(actor, "campaign.manage"):
        raise Forbidden()
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    current = {f: getattr(campaign, f) for f in ("name", "year", "report_due_day")}
    _validate({**current, **changes}, phases or [])
    with transaction.atomic():
        before = snapshot(campaign, CAMPAIGN_FIELDS)
        before["phases"] = [snapshot(p, ["kind", "start_date", "end_date"]) for p in campaign.phases.all()]
        claim_version(campaign, version)
        for field, value in changes.items():
            setattr(campaign, field, value)
        if changes:
            campaign.save(update_fields=list(changes))
        if participating_units is not None:
            campaign.participating_units.set(participating_units)
        for phase in phases or []:
            Phase.objects.filter(campaign=campaign, kind=phase["kind"]).update(
                start_date=phase.get("start_date"), end_date=phase.get("end_date")
            )
        after = snapshot(campaign, CAMPAIGN_FIELDS)
        after["phases"] = [snapshot(p, ["kind", "start_date", "end_date"]) for p in campaign.phases.all()]
        record_event(EventType.SETTING_CHANGE, actor=actor, obj=campaign, before=before, after=after)
    return campaign


def _shift(day, years: int):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_plan(year: int, copy_from: Campaign | None = None) -> dict:
    """What a new campaign starts from: the template's default schedule for `year`, or the earlier campaign's
    dates moved to `year` (its phases' tasks and due day kept). Every value can be changed before saving."""
    if copy_from is None:
        return default_schedule(year)
    years = year - copy_from.year
    return {
        "phases": [{"kind": p.kind, "start_date": _shift(p.start_date, years), "end_date": _shift(p.end_date, years),
                    "tasks": p.tasks} for p in copy_from.phases.order_by("ordinal")],
        "report_due_day": copy_from.report_due_day,
        "stage_summary_due": _shift(copy_from.stage_summary_due, years),
        "clue_clearance_date": _shift(copy_from.clue_clearance_date, years),
        "final_summary_due": _shift(copy_from.final_summary_due, years),
    }
