from django.db import transaction

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Forbidden, Invalid
from qicha.core.scope import has_permission
from qicha.core.versioning import claim_version

from ..models import Campaign, CheckItem, Phase
from ..template import load_template

CAMPAIGN_FIELDS = [
    "name", "year", "document_no", "description", "organiser", "report_due_day",
    "stage_summary_due", "clue_clearance_date", "final_summary_due", "is_active", "participating_units",
]


def _validate(fields: dict, phases: list[dict]) -> None:
    errors = {}
    if not (fields.get("name") or "").strip():
        errors["name"] = "请填写行动名称。"
    year = fields.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "年度应为 2000 至 2100 之间的整数。"
    due_day = fields.get("report_due_day", 21)
    if not isinstance(due_day, int) or not 1 <= due_day <= 28:
        errors["report_due_day"] = "月报截止日应为 1 至 28 日（每个月都有的日子）。"
    for phase in phases:
        start, end = phase.get("start_date"), phase.get("end_date")
        if start and end and end < start:
            label = dict(Phase.Kind.choices)[phase["kind"]]
            errors[f"phase_{phase['kind']}"] = f"{label}的结束日期早于开始日期。"
    if errors:
        raise Invalid(details=errors)


def create_campaign(actor, *, participating_units, phases: list[dict], template_code: str, **fields) -> Campaign:
    """A campaign with its phases and the template's check items copied in (later template edits don't move it)."""
    if not has_permission(actor, "campaign.manage"):
        raise Forbidden()
    _validate(fields, phases)
    template = load_template(template_code)
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
            for item in template["items"]
        )
        record_event(EventType.CREATE, actor=actor, obj=campaign, after=snapshot(campaign, CAMPAIGN_FIELDS))
    return campaign


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
