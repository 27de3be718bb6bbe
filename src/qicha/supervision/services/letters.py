"""责任书与承诺书 (R-SUP-2): recording signed letters, correcting them, and the supervision checks on a commitment.

A check that finds a problem opens a linked problem in the ledger (source 督导检查发现, 立即整改, on the letter's
unit); a broken commitment also opens an accountability record, in the same transaction.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core.attachments import own_unlinked, store_upload
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version
from qicha.notify.acts import announce
from qicha.orgs.models import Unit
from qicha.problems import services as problem_services
from qicha.problems.models import RectificationType
from qicha.problems.models import Source as ProblemSource

from ..models import (
    EXPECTED_SIGNERS,
    AccountabilityForm,
    CheckResult,
    CommitmentCheck,
    Failing,
    Letter,
    LetterKind,
)
from .accountability import decision_errors, record_accountability

LETTER_FIELDS = ["kind", "unit", "signer", "signer_title", "counterpart", "signed_on", "scope", "scan"]
EDITABLE_FIELDS = ("signer", "signer_title", "counterpart", "signed_on", "scope")
CHECK_FIELDS = ["letter", "checked_on", "checked_by", "method", "result", "findings", "problem"]
SCAN_KINDS = ("pdf", "jpg", "png")
LIMITS = {"signer": ("签订人", 50), "signer_title": ("职务", 50), "counterpart": ("签订对象", 100)}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _validate_letter(fields: dict) -> dict:
    errors = {}
    if not fields["signer"]:
        errors["signer"] = "请填写签订人。"
    for name, (label, limit) in LIMITS.items():
        if len(fields[name]) > limit:
            errors[name] = f"{label}不超过 {limit} 字。"
    signed_on = fields["signed_on"]
    if not isinstance(signed_on, date):
        errors["signed_on"] = "请填写签订日期（YYYY-MM-DD）。"
    elif signed_on > timezone.localdate():
        errors["signed_on"] = "签订日期不能晚于今天。"
    if not fields["scope"]:
        errors["scope"] = "请填写责任或承诺事项。"
    return errors


def _scan(actor, scan_attachment_id, upload=None):
    """The scan: a file uploaded with the form (stored here, inside the caller's transaction) or one uploaded
    before through /attachments."""
    if upload is not None:
        scan = store_upload(actor, upload)
    elif scan_attachment_id in (None, ""):
        return None
    else:
        scan = own_unlinked(actor, [scan_attachment_id])[0]
    if scan.kind not in SCAN_KINDS:
        raise Invalid(details={"scan": f"扫描件应为 PDF 或图片（JPEG、PNG），“{scan.name}”不是。"})
    return scan


def expected_kinds(unit: Unit) -> list[str]:
    return [kind for kind, unit_kinds in EXPECTED_SIGNERS.items() if unit.kind in unit_kinds]


def record_letter(actor, campaign: Campaign, kind: str, unit: Unit, signer: str, signer_title: str = "",
                  counterpart: str = "", signed_on: date | None = None, scope: str = "",
                  scan_attachment_id: int | None = None, scan_upload=None) -> Letter:
    """登记签订的责任书或承诺书: one per campaign, kind and unit (a correction edits the letter)."""
    if not can_act_on(actor, "letter.manage", unit):
        raise NotFound("单位不存在或不在您的数据权限范围内")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再登记责任书、承诺书。")
    fields = {"signer": _text(signer), "signer_title": _text(signer_title), "counterpart": _text(counterpart),
              "signed_on": signed_on, "scope": _text(scope)}
    errors = _validate_letter(fields)
    if kind not in LetterKind.values:
        errors["kind"] = "请选择类别（目标责任书或承诺书）。"
    else:
        label = LetterKind(kind).label
        if kind not in expected_kinds(unit) or not campaign.participating_units.filter(pk=unit.pk).exists():
            errors["unit"] = f"“{unit.name}”不是本专项行动中应签订{label}的单位。"
        elif (existing := Letter.objects.filter(campaign=campaign, kind=kind, unit=unit).first()) is not None:
            errors["unit"] = (f"“{unit.name}”的{label}已于 {existing.signed_on:%Y-%m-%d} 登记，不能重复登记；"
                              "如需更正，请修改已登记的记录。")
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        scan = _scan(actor, scan_attachment_id, scan_upload)
        try:
            with transaction.atomic():
                letter = Letter.objects.create(campaign=campaign, kind=kind, unit=unit, scan=scan, created_by=actor,
                                               **fields)
        except IntegrityError as exc:  # registered by someone else a moment ago
            raise Conflict(f"“{unit.name}”的{LetterKind(kind).label}刚刚已由他人登记，请刷新页面。") from exc
        record_event(EventType.CREATE, actor=actor, obj=letter, after=snapshot(letter, LETTER_FIELDS))
    return letter


def update_letter(actor, letter: Letter, *, version: int | None, scan_attachment_id: int | None = None,
                  scan_upload=None, **changes) -> Letter:
    """Correct a letter (signer, date, scope, a new scan); a stale version writes nothing."""
    if not can_act_on(actor, "letter.manage", letter.unit):
        raise NotFound()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    changes = {k: _text(v) if k != "signed_on" else v for k, v in changes.items()}
    merged = {f: getattr(letter, f) for f in EDITABLE_FIELDS} | changes
    errors = _validate_letter(merged)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        scan = _scan(actor, scan_attachment_id, scan_upload)
        before = snapshot(letter, LETTER_FIELDS)
        claim_version(letter, version)
        for field, value in changes.items():
            setattr(letter, field, value)
        if scan is not None:
            letter.scan = scan
        letter.save(update_fields=[*changes, *(["scan"] if scan is not None else [])])
        record_event(EventType.UPDATE, actor=actor, obj=letter, before=before, after=snapshot(letter, LETTER_FIELDS))
    return letter


def record_check(actor, letter: Letter, *, checked_on: date | None, checked_by: str, method: str, result: str,
                 findings: str, description: str = "", measures: str = "", deadline: date | None = None,
                 form: str = AccountabilityForm.TALK, person: str | None = None, person_title: str | None = None,
                 decision_no: str = "", decided_on: date | None = None) -> CommitmentCheck:
    """承诺监督检查: when, who, how, what was found.

    发现问题 → a problem in the ledger (督导检查发现, 立即整改, on the letter's unit), linked on the check.
    违反承诺 → that problem and an accountability record (违反承诺, the form chosen, 约谈 by default) against the
    signer, linked to the check and the problem. All in one transaction: either everything is recorded or nothing.
    """
    unit = letter.unit
    if not can_act_on(actor, "letter.manage", unit):
        raise NotFound()
    checked_by, method, findings = _text(checked_by), _text(method), _text(findings)
    errors = {}
    if not isinstance(checked_on, date):
        errors["checked_on"] = "请填写检查日期（YYYY-MM-DD）。"
    elif checked_on > timezone.localdate():
        errors["checked_on"] = "检查日期不能晚于今天。"
    elif checked_on < letter.signed_on:
        errors["checked_on"] = f"检查日期不能早于签订日期（{letter.signed_on:%Y-%m-%d}）。"
    if not checked_by:
        errors["checked_by"] = "请填写检查人。"
    elif len(checked_by) > 100:
        errors["checked_by"] = "检查人不超过 100 字。"
    if not method:
        errors["method"] = "请填写检查方式。"
    elif len(method) > 100:
        errors["method"] = "检查方式不超过 100 字。"
    if result not in CheckResult.values:
        errors["result"] = "请选择检查结果。"
    if not findings:
        errors["findings"] = "请填写检查情况。"
    opens_problem = result in (CheckResult.PROBLEM, CheckResult.BROKEN)
    broken = result == CheckResult.BROKEN
    if opens_problem:
        if not _text(description):
            errors["description"] = "发现问题时请填写问题描述（将登记到问题整改台账）。"
        if not _text(measures):
            errors["measures"] = "请填写整改措施。"
        if not isinstance(deadline, date):
            errors["deadline"] = "请填写整改时限（YYYY-MM-DD）。"
        if not can_act_on(actor, "problem.create", unit):
            raise Forbidden(f"您无权为“{unit.name}”登记问题，不能记录发现问题的检查。")
    if broken:
        if not can_act_on(actor, "accountability.manage", unit):
            raise Forbidden(f"您无权对“{unit.name}”登记问责，不能记录违反承诺的检查。")
        errors |= decision_errors(form, decision_no, decided_on)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        problem = None
        if opens_problem:
            problem = problem_services.register_problem(
                actor, campaign=letter.campaign, unit=unit, source=ProblemSource.INSPECTION,
                rectification_type=RectificationType.IMMEDIATE, description=description, measures=measures,
                deadline=deadline, responsible_leader=letter.signer if broken else "",
            )
        check = CommitmentCheck.objects.create(letter=letter, checked_on=checked_on, checked_by=checked_by,
                                               method=method, result=result, findings=findings, problem=problem,
                                               created_by=actor)
        after = snapshot(check, CHECK_FIELDS)
        if broken:
            record = record_accountability(
                actor, letter.campaign, unit, person=letter.signer if person is None else person,
                person_title=letter.signer_title if person_title is None else person_title,
                failing=Failing.BROKEN_COMMITMENT, form=form, decision_no=decision_no, decided_on=decided_on,
                facts=f"违反《{letter.get_kind_display()}》：{findings}",
                problem_ids=[problem.pk], commitment_check=check,
            )
            after["accountability"] = record.pk
        record_event(EventType.CREATE, actor=actor, obj=check, after=after,
                     detail=f"{letter}：{check.get_result_display()}")
        announce("commitment_check", actor, check, "record")
    return check
