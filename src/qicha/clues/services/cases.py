"""Every write on a supervised case (案件督办, R-CAS-1..2): registration, progress, transitions, 一案一整治."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core.attachments import own_unlinked, store_upload
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.choices import choice_error
from qicha.core.errors import Conflict, Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.core.versioning import claim_version
from qicha.notify.acts import announce
from qicha.orgs.models import Unit
from qicha.problems import services as problem_services
from qicha.problems.models import Problem, RectificationType
from qicha.problems.models import Source as ProblemSource
from qicha.problems.models import Status as ProblemStatus
from qicha.problems.numbers import format_problem_no
from qicha.problems.queries import visible_problems

from ..models import Case, CaseProgress, CaseSource, CaseStatus, Clue, Result, SectorRectification
from ..models import Status as ClueStatus
from ..workflow import CASE_WORKFLOW

CASE_FIELDS = ["name", "source", "reference_no", "unit", "received_date", "summary", "instruction", "clue"]
RECTIFICATION_FIELDS = ["gap", "measures", "no_problem_reason", "problems"]
PROGRESS_STATUSES = (CaseStatus.OPEN, CaseStatus.INVESTIGATING)
# The 一案一整治 record stays editable until the case is closed (销号); after that it is the closed record.
RECTIFICATION_STATUSES = (CaseStatus.OPEN, CaseStatus.INVESTIGATING, CaseStatus.CONCLUDED)

MISSING_GAP = "暴露的行业监管漏洞"
MISSING_MEASURES = "整治措施"
MISSING_PROBLEMS = "整改问题（或未立问题的理由）"


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def register_case(actor, campaign: Campaign, unit: Unit, name: str, source: str, reference_no: str = "",
                  received_date: date | None = None, summary: str = "", instruction: str = "",
                  clue: Clue | None = None) -> Case:
    """登记督办案件: a case handed down by the central group, a leader's instruction, a higher office or a clue."""
    if not can_act_on(actor, "case.manage", unit):
        raise NotFound("单位不存在或不在您的数据权限范围内")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再登记案件。")
    fields = {
        "name": _text(name), "source": source, "reference_no": _text(reference_no), "received_date": received_date,
        "summary": _text(summary), "instruction": _text(instruction), "clue": clue,
    }
    errors = {}
    if not fields["name"]:
        errors["name"] = "请填写案件名称。"
    elif len(fields["name"]) > 200:
        errors["name"] = "案件名称不超过 200 字。"
    if source not in CaseSource.values:
        errors["source"] = choice_error("案件来源", CaseSource)
    if len(fields["reference_no"]) > 60:
        errors["reference_no"] = "交办编号不超过 60 字。"
    if not isinstance(received_date, date):
        errors["received_date"] = "请填写交办日期（YYYY-MM-DD）。"
    elif received_date > timezone.localdate():
        errors["received_date"] = "交办日期不能晚于今天。"
    elif received_date < date(1990, 1, 1):
        errors["received_date"] = "交办日期不能早于1990年1月1日。"
    if not fields["summary"]:
        errors["summary"] = "请填写基本案情。"
    if source == CaseSource.LEADER_INSTRUCTION and not fields["instruction"]:
        errors["instruction"] = "领导批示案件须填写批示内容。"
    if source == CaseSource.CLUE and clue is None:
        errors["clue"] = "线索立案须选择来源线索。"
    if clue is not None and clue.campaign_id != campaign.pk:
        errors["clue"] = "该线索不属于此专项行动。"
    elif clue is not None and (clue.status not in (ClueStatus.VERIFIED, ClueStatus.CLOSED)
                               or clue.result not in (Result.TRUE, Result.PARTLY_TRUE)):
        errors["clue"] = "只有核查属实或部分属实的线索才能立案督办。"
    elif clue is not None and (clue.unit_id is None or not clue.unit.path.startswith(unit.path)):
        errors["clue"] = "来源线索须由该承办单位（含下属单位）承办。"
    elif clue is not None and (existing := Case.objects.filter(clue=clue).first()) is not None:
        errors["clue"] = f"该线索已立案督办（案件“{existing.name}”），请勿重复登记。"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        case = Case.objects.create(campaign=campaign, unit=unit, created_by=actor, **fields)
        record_event(EventType.CREATE, actor=actor, obj=case, after=snapshot(case, CASE_FIELDS) | {"status": case.status})
        announce("case", actor, case, "register")
    return case


def add_case_progress(actor, case: Case, text: str, attachment_ids=(), files=()) -> CaseProgress:
    """办理进展 with optional files, while the case is open or being investigated: uploaded before
    (`attachment_ids`, the API) or with the form (`files`, stored here in the same transaction)."""
    if not can_act_on(actor, "case.work", case.unit):
        raise Forbidden("您无权填报该案件的办理进展。")
    if case.status not in PROGRESS_STATUSES:
        raise Invalid(f"案件状态为“{case.get_status_display()}”，不能再填报办理进展。")
    text = _text(text)
    if not text:
        raise Invalid(details={"text": "请填写办理进展。"})
    attachments = own_unlinked(actor, list(attachment_ids or []))
    with transaction.atomic():
        # Re-read under lock: a conclusion that landed meanwhile closes the door.
        if not Case.objects.select_for_update().filter(pk=case.pk, status__in=PROGRESS_STATUSES).exists():
            raise Invalid("案件状态已变化（可能已办结），不能再填报进展，请刷新页面。")
        attachments += [store_upload(actor, f) for f in files]
        entry = CaseProgress.objects.create(case=case, text=text, created_by=actor)
        entry.attachments.set(attachments)
        record_event(EventType.UPDATE, actor=actor, obj=case, action="add_progress",
                     after={"text": text, "attachments": [a.sha256 for a in attachments]})
    return entry


def missing_for_close(record: SectorRectification | None) -> list[str]:
    """What the 一案一整治 record still lacks before the case may close (empty when complete)."""
    if record is None:
        return [MISSING_GAP, MISSING_MEASURES, MISSING_PROBLEMS]
    missing = []
    if not record.gap.strip():
        missing.append(MISSING_GAP)
    if not record.measures.strip():
        missing.append(MISSING_MEASURES)
    # A voided problem was rectified by nothing: it does not count as a problem opened for the case.
    has_problem = record.problems.exclude(status=ProblemStatus.VOIDED).exists()
    if not has_problem and not record.no_problem_reason.strip():
        missing.append(MISSING_PROBLEMS)
    return missing


def _refuse_incomplete(missing: list[str]) -> None:
    details = {}
    if MISSING_GAP in missing:
        details["gap"] = "请填写案件暴露的行业监管漏洞。"
    if MISSING_MEASURES in missing:
        details["measures"] = "请填写整治措施。"
    if MISSING_PROBLEMS in missing:
        details["problems"] = "请关联为本案所立的整改问题，或说明未立整改问题的理由。"
    raise Invalid(f"“一案一整治”记录不完整，不能销号。尚缺：{'、'.join(missing)}。", details)


W = CASE_WORKFLOW


@W.act("start")
def start_case(actor, case: Case, *, version: int) -> Case:
    """开始办理."""
    W.begin(actor, case, "start").apply(version=version)
    return case


@W.act("conclude")
def conclude_case(actor, case: Case, *, version: int, conclusion: str = "") -> Case:
    """办结, with the result."""
    step = W.begin(actor, case, "conclude")
    conclusion = _text(conclusion)
    if not conclusion:
        raise Invalid("请填写办理结果。", {"conclusion": "请填写办理结果"})
    step.apply(version=version, fields={"conclusion": conclusion}, detail=conclusion)
    return case


@W.act("return")
def return_case(actor, case: Case, *, version: int, reason: str = "") -> Case:
    """退回 a concluded case for more work, with the reason."""
    step = W.begin(actor, case, "return")
    reason = _text(reason)
    if not reason:
        raise Invalid("请填写退回理由。", {"reason": "请填写退回理由"})
    step.apply(version=version, detail=reason)
    return case


@W.act("close")
def close_case(actor, case: Case, *, version: int) -> Case:
    """销号: only with a complete 一案一整治 record."""
    step = W.begin(actor, case, "close")
    missing = missing_for_close(SectorRectification.objects.filter(case=case).first())
    if missing:
        _refuse_incomplete(missing)
    with transaction.atomic():
        # Checked again under lock: the record cannot be emptied between the check and the close.
        missing = missing_for_close(SectorRectification.objects.select_for_update().filter(case=case).first())
        if missing:
            _refuse_incomplete(missing)
        step.apply(version=version)
    return case


def _rectification_snapshot(record: SectorRectification | None) -> dict:
    if record is None or record.pk is None:
        return {}
    return snapshot(record, RECTIFICATION_FIELDS)


def linkable_problems(actor, case: Case):
    """Problems the actor may link to the case's record: visible to them, of the case's unit or its sub-units."""
    subtree = Unit.objects.filter(path__startswith=case.unit.path).values("pk")
    return visible_problems(actor).filter(unit_id__in=subtree)


def _check_editable(actor, case: Case) -> None:
    if not can_act_on(actor, "case.work", case.unit):
        raise Forbidden("您无权填写该案件的“一案一整治”记录。")
    if case.status not in RECTIFICATION_STATUSES:
        raise Invalid(f"案件状态为“{case.get_status_display()}”，“一案一整治”记录不能再修改。")


def save_rectification(actor, case: Case, version: int | None, gap: str, measures: str, no_problem_reason: str = "",
                       problem_ids=()) -> SectorRectification:
    """Write the 一案一整治 record. A new record takes version None (or 0); an existing one its current version."""
    _check_editable(actor, case)
    gap, measures, no_problem_reason = _text(gap), _text(measures), _text(no_problem_reason)
    errors = {}
    if not gap:
        errors["gap"] = "请填写案件暴露的行业监管漏洞。"
    if not measures:
        errors["measures"] = "请填写整治措施。"
    try:
        wanted = {int(i) for i in problem_ids or []}
    except (TypeError, ValueError):
        wanted = set()
        errors["problems"] = "整改问题编号应为整数。"
    record = SectorRectification.objects.filter(case=case).first()
    linked = set(record.problems.values_list("pk", flat=True)) if record else set()
    candidates = linkable_problems(actor, case)
    found = set(candidates.filter(pk__in=wanted).values_list("pk", flat=True))
    unknown = sorted(wanted - found)
    if unknown:
        errors["problems"] = (f"整改问题 {'、'.join(format_problem_no(i) for i in unknown)} 不存在、不属于“{case.unit.name}”"
                              "（含下属单位）或不在您的数据权限范围内。")
    voided = set(candidates.filter(pk__in=wanted - linked, status=ProblemStatus.VOIDED).values_list("pk", flat=True))
    if voided:
        errors["problems"] = f"已作废的问题不能作为整改问题：{'、'.join(format_problem_no(i) for i in sorted(voided))}。"
    if errors:
        raise Invalid(details=errors)
    # Linked problems the actor cannot see stay linked: one cannot unlink what one cannot see.
    hidden = linked - set(candidates.filter(pk__in=linked).values_list("pk", flat=True))
    with transaction.atomic():
        if record is None:
            if version not in (None, 0):
                raise Conflict()
            try:
                with transaction.atomic():
                    record = SectorRectification.objects.create(case=case, gap=gap, measures=measures,
                                                                no_problem_reason=no_problem_reason, updated_by=actor)
            except IntegrityError as exc:  # someone else created it a moment ago
                raise Conflict() from exc
            before = {}
        else:
            before = _rectification_snapshot(record)
            claim_version(record, version)
            record.gap, record.measures, record.no_problem_reason, record.updated_by = gap, measures, no_problem_reason, actor
            record.save(update_fields=["gap", "measures", "no_problem_reason", "updated_by", "updated_at"])
        # Editable only while the case is not closed, checked again inside the transaction.
        if not Case.objects.select_for_update().filter(pk=case.pk, status__in=RECTIFICATION_STATUSES).exists():
            raise Invalid("案件已销号，“一案一整治”记录不能再修改，请刷新页面。")
        record.problems.set(found | hidden)
        record_event(EventType.UPDATE, actor=actor, obj=case, action="save_rectification", before=before,
                     after=_rectification_snapshot(record))
    return record


def open_rectification_problem(actor, case: Case, description: str, measures: str, deadline: date | None) -> Problem:
    """立整改问题: a problem in the ledger (source 案件剖析, 立即整改) for the case's unit, linked to its record."""
    _check_editable(actor, case)
    if not can_act_on(actor, "problem.create", case.unit):
        raise Forbidden("您无权为该单位登记整改问题。")
    with transaction.atomic():
        problem = problem_services.register_problem(
            actor, campaign=case.campaign, unit=case.unit, source=ProblemSource.CASE_ANALYSIS,
            rectification_type=RectificationType.IMMEDIATE, description=description, measures=measures,
            deadline=deadline,
        )
        if not Case.objects.select_for_update().filter(pk=case.pk, status__in=RECTIFICATION_STATUSES).exists():
            raise Invalid("案件已销号，不能再立整改问题，请刷新页面。")
        record = SectorRectification.objects.select_for_update().filter(case=case).first()
        if record is None:
            # The gap and measures may come later; the close checks them.
            record = SectorRectification.objects.create(case=case, gap="", measures="", updated_by=actor)
            before = {}
        else:
            before = _rectification_snapshot(record)
            # Linking changes the record: an editor holding the old version must reload before saving over it.
            SectorRectification.objects.filter(pk=record.pk).update(version=F("version") + 1, updated_by=actor)
            record.refresh_from_db()
        record.problems.add(problem)
        record_event(EventType.UPDATE, actor=actor, obj=case, action="open_problem", before=before,
                     after=_rectification_snapshot(record), detail=f"问题 {format_problem_no(problem.pk)}：{problem.description[:80]}")
    return problem
