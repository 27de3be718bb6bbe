"""API: responsibility and commitment letters, the checks on them, accountability (R-SUP-2, R-SUP-4)."""

from datetime import date

from ninja import Router, Schema, Status

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import units_in_scope

from .models import Accountability, AccountabilityForm, CommitmentCheck, Letter, LetterKind
from .queries import accountability as accountability_queries
from .queries import letters as letter_queries
from .services import accountability as accountability_services
from .services import letters as letter_services

router = Router(tags=["责任书承诺书与问责"])


def _campaign(request, campaign_id: int | None):
    if campaign_id is not None:
        return campaign_queries.get_campaign(request.user, campaign_id)
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise NotFound("当前没有进行中的专项行动")
    return campaign


def _unit(request, unit_id: int, permission: str):
    unit = units_in_scope(request.user, permission).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("单位不存在或不在您的数据权限范围内")
    return unit


def accountability_ref(a: Accountability) -> dict:
    return {"id": a.pk, "unit": {"id": a.unit_id, "name": a.unit.name}, "person": a.person, "form": a.form,
            "form_label": a.get_form_display(), "decision_no": a.decision_no, "decided_on": a.decided_on}


def check_out(c: CommitmentCheck) -> dict:
    return {
        "id": c.pk, "letter": c.letter_id, "checked_on": c.checked_on, "checked_by": c.checked_by, "method": c.method,
        "result": c.result, "result_label": c.get_result_display(), "findings": c.findings,
        "problem": {"id": c.problem_id, "description": c.problem.description, "status": c.problem.status}
        if c.problem_id else None,
        "accountabilities": [accountability_ref(a) for a in c.accountabilities.all()],
        "created_at": iso_time(c.created_at),
    }


def letter_out(letter: Letter, full: bool = False) -> dict:
    scan = letter.scan
    data = {
        "id": letter.pk, "campaign": letter.campaign_id, "kind": letter.kind, "kind_label": letter.get_kind_display(),
        "unit": {"id": letter.unit_id, "name": letter.unit.name}, "signer": letter.signer,
        "signer_title": letter.signer_title, "counterpart": letter.counterpart, "signed_on": letter.signed_on,
        "scope": letter.scope, "version": letter.version, "created_at": iso_time(letter.created_at),
        "scan": {"id": scan.pk, "name": scan.name, "size": scan.size, "sha256": scan.sha256,
                 "download": f"/supervision/letters/{letter.pk}/scan/"} if scan else None,
    }
    if full:
        data["checks"] = [check_out(c) for c in letter.checks.all()]
    return data


@router.get("/letters", summary="责任书、承诺书（筛选 kind、campaign；分页；数据权限内）")
def list_letters(request, kind: str = "", campaign: int | None = None, page: int = 1, page_size: int = 50):
    if kind and kind not in LetterKind.values:
        raise Invalid("筛选条件有误", {"kind": "取值不正确（responsibility / commitment）"})
    selected = campaign_queries.get_campaign(request.user, campaign) if campaign is not None else None
    return paginate(letter_queries.letter_list(request.user, selected, kind), page, page_size, letter_out)


class LetterIn(Schema):
    kind: str
    unit: int
    signer: str
    signed_on: date
    scope: str
    signer_title: str = ""
    counterpart: str = ""
    campaign: int | None = None  # the current campaign when omitted
    scan: int | None = None  # an attachment uploaded first through POST /attachments


@router.post("/letters", response={201: dict},
             summary="登记签订的责任书、承诺书（每个单位每类一份；扫描件先经 /attachments 上传）")
def create_letter(request, payload: LetterIn):
    campaign = _campaign(request, payload.campaign)
    letter = letter_services.record_letter(
        request.user, campaign, payload.kind, _unit(request, payload.unit, "letter.manage"), signer=payload.signer,
        signer_title=payload.signer_title, counterpart=payload.counterpart, signed_on=payload.signed_on,
        scope=payload.scope, scan_attachment_id=payload.scan,
    )
    return Status(201, letter_out(letter_queries.get_letter(request.user, letter.pk), full=True))


@router.get("/letters/board", summary="签订情况：各类应签订单位（数据权限内）已签订、未签订；status=signed / unsigned")
def letter_board(request, campaign: int | None = None, status: str = ""):
    if status and status not in letter_queries.SIGNED_FILTERS:
        raise Invalid("筛选条件有误", {"status": "取值不正确（signed / unsigned）"})
    selected = _campaign(request, campaign)
    boards = letter_queries.signing_board(request.user, selected, status)
    return {
        "campaign": selected.pk,
        "kinds": [
            {"kind": b.kind, "label": b.label, "expected": b.expected, "signed": b.signed, "unsigned": b.unsigned,
             "units": [{"unit": {"id": r.unit.pk, "name": r.unit.name, "kind": r.unit.kind}, "signed": r.signed,
                        "letter": letter_out(r.letter) if r.letter else None} for r in b.rows]}
            for b in boards
        ],
    }


@router.get("/letters/{letter_id}", summary="责任书、承诺书详情（含扫描件、监督检查及其问题、问责）")
def get_letter(request, letter_id: int):
    return letter_out(letter_queries.get_letter(request.user, letter_id), full=True)


class CheckIn(Schema):
    checked_on: date
    checked_by: str
    method: str
    result: str  # fulfilled / problem / broken
    findings: str
    description: str = ""  # problem / broken: the problem registered in the ledger
    measures: str = ""
    deadline: date | None = None
    form: str = AccountabilityForm.TALK  # broken: the accountability record
    person: str | None = None  # defaults to the signer
    person_title: str | None = None
    decision_no: str = ""
    decided_on: date | None = None


@router.post("/letters/{letter_id}/checks", response={201: dict},
             summary="记录承诺监督检查：发现问题的登记问题（督导检查发现，立即整改）；违反承诺的同时登记问责")
def create_check(request, letter_id: int, payload: CheckIn):
    letter = letter_queries.get_letter(request.user, letter_id)
    check = letter_services.record_check(request.user, letter, **payload.dict())
    letter = letter_queries.get_letter(request.user, letter_id)
    return Status(201, check_out(next(c for c in letter.checks.all() if c.pk == check.pk)))


def accountability_out(a: Accountability, full: bool = False) -> dict:
    data = accountability_ref(a) | {
        "campaign": a.campaign_id, "person_title": a.person_title, "failing": a.failing,
        "failing_label": a.get_failing_display(), "facts": a.facts, "commitment_check": a.commitment_check_id,
        "created_at": iso_time(a.created_at),
    }
    if full:
        data["problems"] = [{"id": p.pk, "description": p.description, "unit": {"id": p.unit_id, "name": p.unit.name},
                             "status": p.status} for p in a.problems.all()]
        data["clues"] = [{"id": c.pk, "unit": {"id": c.unit_id, "name": c.unit.name} if c.unit_id else None,
                          "status": c.status} for c in a.clues.all()]
    return data


@router.get("/accountability", summary="问责记录（筛选 unit（含下级）、failing、form、q、campaign；分页；数据权限内）")
def list_accountability(request, page: int = 1, page_size: int = 50):
    filters = accountability_queries.AccountabilityFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return paginate(accountability_queries.accountability_list(request.user, filters), page, page_size,
                    accountability_out)


class AccountabilityIn(Schema):
    unit: int
    failing: str
    form: str
    decision_no: str
    decided_on: date
    facts: str
    person: str = ""
    person_title: str = ""
    problems: list[int] = []
    clues: list[int] = []
    campaign: int | None = None  # the current campaign when omitted


@router.post("/accountability", response={201: dict}, summary="登记问责（相关问题、线索须在您的数据权限内）")
def create_accountability(request, payload: AccountabilityIn):
    campaign = _campaign(request, payload.campaign)
    record = accountability_services.record_accountability(
        request.user, campaign, _unit(request, payload.unit, "accountability.manage"), person=payload.person,
        person_title=payload.person_title, failing=payload.failing, form=payload.form,
        decision_no=payload.decision_no, decided_on=payload.decided_on, facts=payload.facts,
        problem_ids=payload.problems, clue_ids=payload.clues,
    )
    return Status(201, accountability_out(accountability_queries.get_accountability(request.user, record.pk), full=True))


@router.get("/accountability/summary",
            summary="问责汇总：按单位 × 问责方式计数，按问责方式、问责情形合计（筛选同问责记录）")
def accountability_summary(request):
    filters = accountability_queries.AccountabilityFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return accountability_queries.summary(request.user, filters).as_dict()


@router.get("/accountability/{accountability_id}", summary="问责记录详情（含相关问题、线索）")
def get_accountability(request, accountability_id: int):
    return accountability_out(accountability_queries.get_accountability(request.user, accountability_id), full=True)
