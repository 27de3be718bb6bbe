from datetime import date

from ninja import Router, Schema, Status

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.api.patching import PatchIn
from qicha.core.errors import NotFound
from qicha.core.scope import scope_filter, units_in_scope
from qicha.core.workflow import given_version

from . import case_queries as queries
from .models import Case, Clue
from .services import cases as services
from .services import editing
from .workflow import CASE_WORKFLOW

router = Router(tags=["案件督办"])


def problem_ref(p) -> dict:
    return {"id": p.pk, "description": p.description, "unit": {"id": p.unit_id, "name": p.unit.name},
            "deadline": p.deadline, "status": p.status, "status_label": p.get_status_display()}


def rectification_out(record) -> dict | None:
    if record is None:
        return None
    return {
        "gap": record.gap, "measures": record.measures, "no_problem_reason": record.no_problem_reason,
        "problems": [problem_ref(p) for p in record.problems.all()], "version": record.version,
        "updated_by": record.updated_by.display_name, "updated_at": iso_time(record.updated_at),
    }


def progress_out(entry) -> dict:
    return {
        "id": entry.pk, "text": entry.text, "created_at": iso_time(entry.created_at),
        "created_by": entry.created_by.display_name,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256} for a in entry.attachments.all()],
    }


def case_out(c: Case, user=None, full: bool = False) -> dict:
    data = {
        "id": c.pk, "campaign": c.campaign_id, "name": c.name, "source": c.source, "source_label": c.get_source_display(),
        "reference_no": c.reference_no, "unit": {"id": c.unit_id, "name": c.unit.name}, "received_date": c.received_date,
        "summary": c.summary, "instruction": c.instruction, "clue": c.clue_id, "conclusion": c.conclusion,
        "status": c.status, "status_label": c.get_status_display(), "version": c.version,
        "created_at": iso_time(c.created_at),
    }
    if full:
        record = queries.rectification_of(user, c)
        data["allowed_actions"] = [t.action for t in CASE_WORKFLOW.allowed_actions(user, c)]
        data["progress"] = [progress_out(e) for e in c.progress_entries.all()]
        data["rectification"] = rectification_out(record)
        data["missing_for_close"] = services.missing_for_close(record)
    return data


@router.get("/cases", summary="督办案件（筛选 status、source、unit（含下级）、q、campaign；分页；数据权限内）")
def list_cases(request, page: int = 1, page_size: int = 50):
    filters = queries.CaseFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return paginate(queries.case_list(request.user, filters), page, page_size, case_out)


class CaseIn(Schema):
    campaign: int
    unit: int
    name: str
    source: str
    received_date: date
    summary: str
    reference_no: str = ""
    instruction: str = ""
    clue: int | None = None


@router.post("/cases", response={201: dict}, summary="登记督办案件")
def create_case(request, payload: CaseIn):
    campaign = campaign_queries.get_campaign(request.user, payload.campaign)
    unit = units_in_scope(request.user, "case.manage").filter(pk=payload.unit).first()
    if unit is None:
        raise NotFound("单位不存在或不在您的数据权限范围内")
    clue = None
    if payload.clue is not None:
        clue = Clue.objects.filter(scope_filter(request.user, "clue.view", unit_field="unit", owner_field="handler"),
                                   pk=payload.clue).first()
        if clue is None:
            raise NotFound("线索不存在或不在您的数据权限范围内")
    case = services.register_case(
        request.user, campaign, unit, name=payload.name, source=payload.source, reference_no=payload.reference_no,
        received_date=payload.received_date, summary=payload.summary, instruction=payload.instruction, clue=clue,
    )
    return Status(201, case_out(queries.get_case(request.user, case.pk), request.user, full=True))


class CasePatch(PatchIn):
    name: str | None = None
    reference_no: str | None = None
    received_date: date | None = None
    summary: str | None = None
    instruction: str | None = None


@router.patch("/cases/{case_id}", summary="修改案件（name、reference_no、received_date、summary、instruction；"
                                          "须带 version，过期 409；销号后不能修改）")
def patch_case(request, case_id: int, payload: CasePatch):
    editing.patch(request.user, queries.get_case(request.user, case_id), payload.sent())
    return case_out(queries.get_case(request.user, case_id), request.user, full=True)


@router.get("/cases/{case_id}", summary="案件详情（含 version、allowed_actions、progress、rectification）")
def get_case(request, case_id: int):
    return case_out(queries.get_case(request.user, case_id), request.user, full=True)


class ProgressIn(Schema):
    text: str
    attachments: list[int] = []


@router.post("/cases/{case_id}/progress", response={201: dict}, summary="填报办理进展（附件先经 /attachments 上传）")
def add_progress(request, case_id: int, payload: ProgressIn):
    case = queries.get_case(request.user, case_id)
    entry = services.add_case_progress(request.user, case, payload.text, attachment_ids=payload.attachments)
    return Status(201, progress_out(entry))


class RectificationIn(Schema):
    version: int | None = None  # the record's version; omit (or 0) when the case has no record yet
    gap: str
    measures: str
    no_problem_reason: str = ""
    problems: list[int] = []


@router.put("/cases/{case_id}/rectification", summary="填写“一案一整治”记录（须带记录的 version）")
def put_rectification(request, case_id: int, payload: RectificationIn):
    case = queries.get_case(request.user, case_id)
    services.save_rectification(request.user, case, payload.version, payload.gap, payload.measures,
                                payload.no_problem_reason, payload.problems)
    return case_out(queries.get_case(request.user, case_id), request.user, full=True)


class RectificationProblemIn(Schema):
    description: str
    measures: str
    deadline: date


@router.post("/cases/{case_id}/rectification/problems", response={201: dict},
             summary="立整改问题（来源“案件剖析”，立即整改），并关联到“一案一整治”记录")
def open_problem(request, case_id: int, payload: RectificationProblemIn):
    case = queries.get_case(request.user, case_id)
    problem = services.open_rectification_problem(request.user, case, payload.description, payload.measures,
                                                  payload.deadline)
    return Status(201, problem_ref(problem))


class ActionIn(Schema):
    version: int | None = None
    reason: str = ""
    conclusion: str = ""


@router.post("/cases/{case_id}/actions/{action}", summary="执行流转操作：start / conclude / return / close")
def case_action(request, case_id: int, action: str, payload: ActionIn):
    case = queries.get_case(request.user, case_id)
    CASE_WORKFLOW.perform(request.user, case, action, version=given_version(payload.version, case),
                          reason=payload.reason, conclusion=payload.conclusion)
    return case_out(queries.get_case(request.user, case_id), request.user, full=True)
