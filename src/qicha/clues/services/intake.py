"""Clue intake (R-CLU-1): by form, by API and by imported batch — one validation, one write path."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core import idnumbers
from qicha.core.audit import EventType, Outcome, record_event, snapshot
from qicha.core.choices import choice_error
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit

from ..models import Clue, ClueBatch, ClueSubject, Domain, RepeatCandidate, Source, SubjectKind
from ..similarity import validate_credit_code
from . import repeats
from .time_limits import due_date_for

INTAKE_FIELDS = ["source", "reference_no", "batch", "received_date", "content", "domain", "region", "real_name",
                 "reporter_name", "reporter_id_number", "reporter_phone", "unit"]
EARLIEST = date(1990, 1, 1)  # no clue of this campaign was received before; older dates are typing errors
PHONE = re.compile(r"^[0-9()\-]{7,20}$")
# The probe check (_refuse_probing) looks at the registrant's most recent clues of the hour, at most this many.
PROBE_WINDOW = 500


def _clean_reporter(reporter: dict, real_name: bool, errors: dict) -> dict:
    name = (reporter.get("name") or "").strip()
    id_number = (reporter.get("id_number") or "").strip()
    phone = re.sub(r"\s", "", reporter.get("phone") or "")
    if real_name and not name:
        errors["reporter.name"] = "实名举报须填写举报人姓名"
    elif len(name) > 50:
        errors["reporter.name"] = "举报人姓名不能超过 50 个字"
    if real_name and not (phone or id_number):
        errors["reporter.phone"] = "实名举报须留有联系电话或身份证号，以便答复"
    if id_number:
        try:
            id_number = idnumbers.validate(id_number, "举报人身份证号")
        except Invalid as exc:
            errors["reporter.id_number"] = exc.message
    if phone and not PHONE.match(phone):
        errors["reporter.phone"] = "联系电话只能包含数字、括号和短横线（7 至 20 位）"
    return {"name": name, "id_number": id_number, "phone": phone}


def _clean_subjects(subjects, errors: dict) -> list[dict]:
    cleaned = []
    for index, subject in enumerate(subjects or []):
        name = (subject.get("name") or "").strip()
        is_org = "credit_code" in subject or subject.get("kind") == SubjectKind.ORGANISATION
        entry = {"kind": SubjectKind.ORGANISATION if is_org else SubjectKind.PERSON, "name": name,
                 "id_number": "", "credit_code": ""}
        if not name:
            errors[f"subjects.{index}.name"] = "请填写被反映组织名称" if is_org else "请填写被反映人姓名"
        elif len(name) > 100:
            errors[f"subjects.{index}.name"] = "名称不能超过 100 个字"
        if is_org and (subject.get("credit_code") or "").strip():
            try:
                entry["credit_code"] = validate_credit_code(subject["credit_code"])
            except Invalid as exc:
                errors[f"subjects.{index}.credit_code"] = exc.message
        if not is_org and (subject.get("id_number") or "").strip():
            try:
                entry["id_number"] = idnumbers.validate(subject["id_number"], "被反映人身份证号")
            except Invalid as exc:
                errors[f"subjects.{index}.id_number"] = exc.message
        cleaned.append(entry)
    return cleaned


def _reference_taken(actor, campaign: Campaign, source: str, reference_no: str) -> dict:
    """"已登记" only when the registrant may see the clue holding the number; otherwise the answer must not confirm
    that another unit has it, so it only asks them to check with the office."""
    from ..queries import visible_clues

    taken = Clue.objects.filter(campaign=campaign, source=source, reference_no=reference_no)
    if not taken.exists():
        return {}
    if visible_clues(actor).filter(pk__in=taken.values("pk")).exists():
        return {"reference_no": f"线索编号“{reference_no}”已登记，请勿重复录入"}
    return {"reference_no": "该线索编号暂不能使用，请核对编号，或联系扫黑办"}


def validate_intake(actor, campaign: Campaign, fields: dict) -> tuple[dict, dict, list[dict]]:
    """Check everything a clue needs; return (clue fields, reporter, subjects) or raise Invalid naming each field."""
    errors = {}
    source = fields.get("source")
    if source not in Source.values:
        errors["source"] = choice_error("线索来源", Source)
    received = fields.get("received_date")
    if not isinstance(received, date):
        errors["received_date"] = "请填写受理日期（YYYY-MM-DD）"
    elif received > timezone.localdate():
        errors["received_date"] = "受理日期不能晚于今天"
    elif received < EARLIEST:
        errors["received_date"] = f"受理日期不能早于 {EARLIEST:%Y年%m月%d日}"
    content = (fields.get("content") or "").strip()
    if not content:
        errors["content"] = "请填写反映内容"
    if fields.get("domain") not in Domain.values:
        errors["domain"] = choice_error("涉及领域", Domain)
    reference_no = (fields.get("reference_no") or "").strip()
    if len(reference_no) > 60:
        errors["reference_no"] = "线索编号不能超过 60 个字符"
    region = (fields.get("region") or "").strip()
    if len(region) > 100:
        errors["region"] = "涉及地区不能超过 100 个字符"
    real_name = bool(fields.get("real_name"))
    reporter = _clean_reporter(fields.get("reporter") or {}, real_name, errors)
    subjects = _clean_subjects(fields.get("subjects"), errors)
    batch: ClueBatch | None = fields.get("batch")
    if batch is not None and batch.campaign_id != campaign.pk:
        errors["batch"] = "交办批次不属于此专项行动"
    unit: Unit | None = fields.get("unit")
    if unit is not None and not can_act_on(actor, "clue.create", unit):
        errors["unit"] = "承办单位不在您的数据权限范围内"
    if reference_no and source in Source.values and not errors.get("reference_no"):
        errors |= _reference_taken(actor, campaign, source, reference_no)
    if errors:
        raise Invalid(details=errors)
    clean = {"source": source, "reference_no": reference_no, "batch": batch, "received_date": received,
             "content": content, "domain": fields["domain"], "region": region, "real_name": real_name, "unit": unit}
    return clean, reporter, subjects


def register_clue(actor, *, campaign: Campaign, **fields) -> Clue:
    """Register one clue; finds earlier reports of the same matter and links or escalates (R-CLU-4)."""
    if fields.get("unit") is None and not can_act_on(actor, "clue.create", Unit.objects.get_first_root_node()):
        # Units below the office register clues for themselves; only the office holds unassigned ones.
        if actor.unit_id and can_act_on(actor, "clue.create", actor.unit):
            fields["unit"] = actor.unit
        else:
            raise NotFound()
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再登记线索。")
    _refuse_probing(actor)
    clean, reporter, subjects = validate_intake(actor, campaign, fields)
    with transaction.atomic():
        clue = create_validated(actor, campaign, clean, reporter, subjects)
    return clue


def _refuse_probing(actor) -> None:
    """A registrant whose recent clues keep matching clues they may not see is slowed down (and the 审计管理员 told):
    registering made-up clues to learn whether another unit holds one about a person is a probe. The answer says
    nothing of matches."""
    from ..queries import visible_clues

    limit = settings.CLUE_HIDDEN_MATCHES_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    # Three small indexed reads, whatever the register's size: the registrant's clues of the hour (registrant,
    # time index; the most recent PROBE_WINDOW), their candidates, and which of those earlier clues they may see.
    recent = list(Clue.objects.filter(created_by=actor, created_at__gte=since).order_by("-created_at")
                  .values_list("pk", flat=True)[:PROBE_WINDOW])
    pairs = list(RepeatCandidate.objects.filter(clue_id__in=recent).values_list("clue_id", "earlier_id")) if recent else []
    if len({clue_id for clue_id, _ in pairs}) < limit:
        return  # fewer clues with any candidate than the limit: nothing to count
    earlier = {earlier_id for _, earlier_id in pairs}
    visible = set(visible_clues(actor).filter(pk__in=earlier).values_list("pk", flat=True))
    hidden = len({clue_id for clue_id, earlier_id in pairs if earlier_id not in visible})
    if hidden >= limit:
        record_event(EventType.ACCESS_DENIED, actor=actor, action="clue_probe", outcome=Outcome.DENIED,
                     detail=f"一小时内已有 {hidden} 条登记的线索与其无权查看的线索疑似重复，暂停登记")
        raise Invalid("您在短时间内登记的线索较多，请稍后再试，或联系扫黑办。")


def create_validated(actor, campaign: Campaign, clean: dict, reporter: dict, subjects: list[dict]) -> Clue:
    """Write a clue already validated (intake form, API, or one row of a confirmed import). Call in a transaction."""
    status = Clue._meta.get_field("status").default
    clue = Clue.objects.create(
        campaign=campaign, created_by=actor, due_date=due_date_for(clean["source"], clean["received_date"]),
        reporter_name=reporter["name"], reporter_id_number=reporter["id_number"], reporter_phone=reporter["phone"],
        status=status, **clean,
    )
    ClueSubject.objects.bulk_create(
        ClueSubject(clue=clue, kind=s["kind"], name=s["name"], id_number=s["id_number"], credit_code=s["credit_code"])
        for s in subjects
    )
    record_event(EventType.CREATE, actor=actor, obj=clue,
                 after=snapshot(clue, INTAKE_FIELDS) | {"due_date": clue.due_date.isoformat(),
                                                        "subjects": [s["name"] for s in subjects]})
    repeats.find_and_link(actor, clue, subjects)
    return clue
