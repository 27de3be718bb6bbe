from datetime import date

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.attachments import store_upload
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission, units_in_scope
from qicha.core.workflow import given_version
from qicha.orgs.models import User

from . import queries, services
from .models import FeedbackAspect, Problem
from .workflow import PROBLEM_WORKFLOW

router = Router(tags=["查摆问题"])


def problem_out(p: Problem, user=None, full: bool = False) -> dict:
    data = {
        "id": p.pk, "campaign": p.campaign_id,
        "check_item": p.check_item.ordinal if p.check_item_id else None,
        "unit": {"id": p.unit_id, "name": p.unit.name},
        "source": p.source, "aspect": p.aspect_id, "description": p.description, "category": p.category,
        "rectification_type": p.rectification_type, "measures": p.measures, "deadline": p.deadline,
        "responsible_leader": p.responsible_leader, "responsible_department": p.responsible_department,
        "responsible_person": {"name": p.responsible_person_name, "post": p.responsible_person_post,
                               "phone": str(p.responsible_person_phone), "id": p.responsible_person_id}
        if p.responsible_person_name else None,
        "status": p.status, "status_label": p.get_status_display(), "overdue": p.overdue, "days_left": p.days_left,
        "return_reason": p.return_reason, "version": p.version, "created_at": iso_time(p.created_at),
    }
    if full:
        data["milestones"] = [{"title": m.title, "due_date": m.due_date, "done": m.done} for m in p.milestones.all()]
        data["allowed_actions"] = [t.action for t in PROBLEM_WORKFLOW.allowed_actions(user, p)]
        data["void_reason"] = p.void_reason
        sign_off = getattr(p, "sign_off", None) if p.status == "closed" else None
        data["sign_off"] = {"checks": sign_off.checks, "opinion": sign_off.opinion, "signed_at": iso_time(sign_off.signed_at),
                            "signed_by": sign_off.signed_by.display_name} if sign_off else None
    return data


PROBLEM_FILTERS_DOC = (
    "查询参数与问题台账页面的筛选相同：campaign（行动编号）、check_item（查摆事项序号 1–7）、unit（单位编号，含下级）、"
    "status、rectification_type、source、aspect（督导组反馈方面编号）、overdue=1（已逾期）、due_within_days（几日内到期）、"
    "q（问题编号，或描述、措施、责任部门、责任人、单位名称中的文字）、mine=1（我负责的）、rectifying=1（待整改、整改中）、returned=1（被退回待重新提交）、"
    "no_owner=1（未落实责任人）、unclosed=1（未销号：待整改、整改中、已申请销号待审核，与工作台“未销号”一致）、"
    "not_voided=1（不含已作废的，与工作台“问题总数”一致）、sort（deadline、-deadline、created、-created、unit、status）。参数有误时返回 422，details 中按参数名给出中文说明。"
)


@router.get("/problems", summary="问题台账（筛选、分页；数据权限内）", description=PROBLEM_FILTERS_DOC)
def list_problems(request, page: int = 1, page_size: int = 50):
    filters = queries.ProblemFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return paginate(queries.problem_list(request.user, filters), page, page_size, problem_out)


class MilestoneIn(Schema):
    title: str
    due_date: date
    done: bool = False


PERSON_DOC = ("责任人：姓名（任何人，如 \"李明\"；与责任单位在岗人员同名或为其用户名的，同时关联该账号，待办发给他），"
              "或旧写法的用户 id（整数）；null 表示不指定")


class ProblemIn(Schema):
    campaign: int
    unit: int
    source: str
    description: str
    rectification_type: str
    measures: str = ""
    deadline: date
    check_item: int | None = None  # ordinal 1–7
    self_inspection: int | None = None
    aspect: int | None = None
    category: str = ""
    responsible_leader: str = ""
    responsible_department: str = ""
    responsible_person: str | int | None = Field(None, description=PERSON_DOC)
    responsible_person_post: str = Field("", description="责任人职务（选填）")
    responsible_person_phone: str = Field("", description="责任人电话（选填；输出时脱敏）")
    milestones: list[MilestoneIn] = []


def _resolve(request, campaign, data: dict, permission: str = "problem.create") -> dict:
    """Turn ids into records the caller may use; anything out of reach is reported as absent."""
    resolved = {}
    if "unit" in data:
        unit = units_in_scope(request.user, permission).filter(pk=data["unit"]).first()
        if unit is None:
            raise NotFound("单位不存在或不在您的数据权限范围内")
        resolved["unit"] = unit
    if data.get("check_item") is not None:
        item = campaign.check_items.filter(ordinal=data["check_item"]).first()
        if item is None:
            raise Invalid(details={"check_item": f"查摆事项序号应为 1 至 {campaign.check_items.count()}"})
        resolved["check_item"] = item
    elif "check_item" in data:
        resolved["check_item"] = None
    if data.get("aspect") is not None:
        resolved["aspect"] = FeedbackAspect.objects.filter(pk=data["aspect"], campaign=campaign).first()
        if resolved["aspect"] is None:
            raise Invalid(details={"aspect": "反馈方面不存在"})
    elif "aspect" in data:
        resolved["aspect"] = None
    person = data.get("responsible_person")
    if isinstance(person, int):  # the old form: a user id
        account = User.objects.filter(pk=person, is_active=True).select_related("unit").first()
        if account is None:
            raise Invalid(details={"responsible_person": "责任人账号不存在"})
        resolved["responsible_person"] = account
    elif "responsible_person" in data:
        resolved["responsible_person_name"] = (person or "").strip()
    for name in ("source", "description", "category", "rectification_type", "measures", "deadline",
                 "responsible_leader", "responsible_department", "responsible_person_post", "responsible_person_phone"):
        if name in data:
            resolved[name] = data[name]
            if data[name] is None and name.startswith("responsible_"):
                resolved[name] = ""
    return resolved


@router.post("/problems", response={201: dict}, summary="登记问题")
def create_problem(request, payload: ProblemIn):
    campaign = campaign_queries.get_campaign(request.user, payload.campaign)
    data = payload.dict()
    fields = _resolve(request, campaign, data)
    self_inspection = None
    if payload.self_inspection is not None:
        self_inspection = campaign_queries.visible_self_inspections(request.user, campaign).filter(pk=payload.self_inspection).first()
        if self_inspection is None:
            raise NotFound("自查填报不存在或不在您的数据权限范围内")
    unit = fields.pop("unit")
    problem = services.register_problem(
        request.user, campaign=campaign, unit=unit, self_inspection=self_inspection,
        milestones=[m.dict() for m in payload.milestones], **fields,
    )
    return Status(201, problem_out(queries.get_problem(request.user, problem.pk), request.user, full=True))


@router.get("/problems/{problem_id}", summary="问题详情（含 version、overdue、days_left、allowed_actions）")
def get_problem(request, problem_id: int):
    return problem_out(queries.get_problem(request.user, problem_id), request.user, full=True)


class ProblemPatch(Schema):
    version: int
    unit: int | None = None
    source: str | None = None
    description: str | None = None
    rectification_type: str | None = None
    measures: str | None = None
    deadline: date | None = None
    check_item: int | None = None
    aspect: int | None = None
    category: str | None = None
    responsible_leader: str | None = None
    responsible_department: str | None = None
    responsible_person: str | int | None = Field(None, description=PERSON_DOC)
    responsible_person_post: str | None = None
    responsible_person_phone: str | None = None
    milestones: list[MilestoneIn] | None = None


@router.patch("/problems/{problem_id}", summary="修改整改方案（须带 version）")
def patch_problem(request, problem_id: int, payload: ProblemPatch):
    problem = queries.get_problem(request.user, problem_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    milestones = data.pop("milestones", None)
    changes = _resolve(request, problem.campaign, data)
    services.update_problem(request.user, problem, version=version, milestones=milestones, **changes)
    return problem_out(queries.get_problem(request.user, problem_id), request.user, full=True)


def progress_out(entry) -> dict:
    return {
        "id": entry.pk, "text": entry.text, "percent": entry.percent, "created_at": iso_time(entry.created_at),
        "created_by": entry.created_by.display_name,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256} for a in entry.attachments.all()],
    }


@router.get("/problems/{problem_id}/progress", summary="整改进展")
def list_progress(request, problem_id: int):
    problem = queries.get_problem(request.user, problem_id)
    return [progress_out(e) for e in problem.progress_entries.all()]


class ProgressIn(Schema):
    text: str
    percent: int = 0
    attachments: list[int] = []


@router.post("/problems/{problem_id}/progress", response={201: dict}, summary="填报整改进展（附件先经 /attachments 上传）")
def add_progress(request, problem_id: int, payload: ProgressIn):
    problem = queries.get_problem(request.user, problem_id)
    entry = services.add_progress(request.user, problem, text=payload.text, percent=payload.percent,
                                  attachment_ids=payload.attachments)
    return Status(201, progress_out(entry))


class ActionIn(Schema):
    version: int | None = None
    reason: str = ""
    checks: dict[str, bool] | None = None
    opinion: str = ""
    attachments: list[int] = []


@router.post("/problems/{problem_id}/actions/{action}", summary="执行流转操作：start / submit / return / sign_off / void")
def problem_action(request, problem_id: int, action: str, payload: ActionIn):
    problem = queries.get_problem(request.user, problem_id)
    PROBLEM_WORKFLOW.perform(request.user, problem, action, version=given_version(payload.version, problem),
                             reason=payload.reason, checks=payload.checks, opinion=payload.opinion,
                             attachment_ids=payload.attachments)
    return problem_out(queries.get_problem(request.user, problem_id), request.user, full=True)


@router.post("/attachments", response={201: dict}, summary="上传附件（按内容判断类型，按哈希存储）")
def upload_attachment(request, file: UploadedFile = File(...)):
    if not (has_permission(request.user, "problem.work") or has_permission(request.user, "problem.sign_off")):
        raise NotFound()
    attachment = store_upload(request.user, file)
    return Status(201, {"id": attachment.pk, "name": attachment.name, "size": attachment.size,
                        "sha256": attachment.sha256, "kind": attachment.kind})


