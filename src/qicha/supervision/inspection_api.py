from datetime import date

from ninja import Router, Schema, Status

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.core.workflow import given_version
from qicha.orgs.models import Unit, User

from .models import Inspection, InspectionTarget
from .queries import inspections as queries
from .services import draw as draw_services
from .services import inspections as services
from .services import risk as risk_services

router = Router(tags=["督导检查"])


def _person(user) -> dict:
    return {"id": user.pk, "name": user.display_name, "unit": user.unit.name if user.unit_id else None}


def target_out(t: InspectionTarget) -> dict:
    return {
        "id": t.pk, "unit": {"id": t.unit_id, "name": t.unit.name}, "rating": t.rating,
        "rating_label": t.get_rating_display() if t.rating else "", "notes": t.notes,
        "inspectors": [_person(ii.user) for ii in t.inspectors.all()],
    }


def draw_out(user, draw) -> dict:
    view = queries.draw_view(user, draw)
    data = {
        "seed": draw.seed, "algorithm": draw.algorithm, "formula": draw_services.FORMULA,
        "drawn_by": draw.drawn_by.display_name, "drawn_at": iso_time(draw.drawn_at),
        "count": draw.inputs["count"], "inspectors_per_unit": draw.inputs["inspectors_per_unit"],
        "weights": draw.inputs["weights"],
        "candidates": [{k: v for k, v in r.items() if k != "path"} for r in view.rows],
        "hidden_candidates": view.hidden,
        "assignments": [{"unit": unit, "inspectors": names} for unit, names in view.assignments],
        "pool": [{k: v for k, v in p.items() if k != "unit_path"} for p in view.pool],
    }
    if not view.hidden:  # the complete record, for re-running the draw elsewhere
        data["inputs"], data["result"] = draw.inputs, draw.result
    return data


def inspection_out(i: Inspection, user=None, full: bool = False) -> dict:
    data = {
        "id": i.pk, "campaign": i.campaign_id, "kind": i.kind, "kind_label": i.get_kind_display(), "title": i.title,
        "focus": i.focus, "partners": i.partners, "evaluator": i.evaluator, "starts_on": i.starts_on,
        "ends_on": i.ends_on, "status": i.status, "status_label": i.get_status_display(), "summary": i.summary,
        "version": i.version, "created_at": iso_time(i.created_at),
    }
    if not full:
        data["units"] = [{"id": t.unit_id, "name": t.unit.name} for t in i.shown_targets]
        return data
    targets = queries.visible_targets(user, i)
    draw = queries.draw_of(i)
    data |= {
        "targets": [target_out(t) for t in targets],
        "team": [_person(ii.user) for ii in queries.team(i)],
        "findings": [
            {"id": f.pk, "unit": {"id": f.target.unit_id, "name": f.target.unit.name}, "description": f.description,
             "created_by": f.created_by.display_name, "created_at": iso_time(f.created_at),
             "problem": {"id": p.pk, "status": p.status, "status_label": p.get_status_display(),
                         "deadline": p.deadline} if (p := f.visible_problem) else None}
            for f in queries.visible_findings(user, i, targets)
        ],
        "draw": draw_out(user, draw) if draw else None,
        "allowed_actions": [t.action for t in services.INSPECTION_WORKFLOW.allowed_actions(user, i)]
        + (["rate", "record_finding"] if any(services.may_work(user, t) for t in targets)
           and i.status == "in_progress" else []),
    }
    return data


def _detail(user, inspection_id) -> dict:
    return inspection_out(queries.get_inspection(user, inspection_id), user, full=True)


@router.get("/inspections", summary="督导检查（筛选 kind、status、campaign、q；分页；数据权限内：检查了本单位的）")
def list_inspections(request, page: int = 1, page_size: int = 50):
    filters = queries.InspectionFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return paginate(queries.inspection_list(request.user, filters), page, page_size, inspection_out)


class InspectionIn(Schema):
    campaign: int
    kind: str
    title: str
    starts_on: date
    ends_on: date
    focus: str = ""
    partners: str = ""
    evaluator: str = ""
    units: list[int] = []
    inspectors: list[int] = []


@router.post("/inspections", response={201: dict},
             summary="制定检查计划（联合督查须 partners，第三方评估须 evaluator；随机抽查不带 units，另行抽签）")
def create_inspection(request, payload: InspectionIn):
    campaign = campaign_queries.get_campaign(request.user, payload.campaign)
    inspection = services.plan_inspection(
        request.user, campaign, kind=payload.kind, title=payload.title, focus=payload.focus,
        partners=payload.partners, evaluator=payload.evaluator, starts_on=payload.starts_on, ends_on=payload.ends_on,
        unit_ids=payload.units, inspector_ids=payload.inspectors,
    )
    return Status(201, _detail(request.user, inspection.pk))


@router.get("/inspections/{inspection_id}",
            summary="督导检查详情（被检查单位与评价、检查人员、发现的问题及其整改问题、抽签记录、allowed_actions）")
def get_inspection(request, inspection_id: int):
    return _detail(request.user, inspection_id)


class DrawIn(Schema):
    count: int = 1
    inspectors_per_unit: int = 1
    units: list[int] | None = None  # candidate units; default: participating 区县局、局属单位、局机关科室
    pool: list[int] | None = None  # inspector pool; default: every active holder of inspection.work
    seed: str = ""  # empty: generated and returned


@router.post("/inspections/{inspection_id}/draw", response={201: dict},
             summary="随机抽查抽签：按风险加权抽取被检查单位并为每个单位抽取检查人员（回避本单位及上下级），记录种子与全部输入")
def draw(request, inspection_id: int, payload: DrawIn):
    inspection = queries.get_inspection(request.user, inspection_id)
    record = draw_services.draw_inspection(
        request.user, inspection, count=payload.count, per_unit=payload.inspectors_per_unit, unit_ids=payload.units,
        pool_ids=payload.pool, seed=payload.seed,
    )
    return Status(201, draw_out(request.user, record))


@router.get("/inspections/{inspection_id}/draw/verify",
            summary="复核抽签结果：按记录的种子和输入重新计算，consistent 为 true 表示与记录一致")
def verify_draw(request, inspection_id: int):
    inspection = queries.get_inspection(request.user, inspection_id)
    record = queries.draw_of(inspection)
    if record is None:
        raise NotFound("该检查没有抽签记录")
    consistent = draw_services.verify_draw(record)
    return {"consistent": consistent, "label": "一致" if consistent else "不一致", "seed": record.seed,
            "algorithm": record.algorithm}


class FindingIn(Schema):
    unit: int | None = None  # the inspected unit
    description: str = ""
    measures: str = ""
    deadline: date | None = None
    responsible_person: int | None = None


def _target_for(user, inspection, unit_id) -> InspectionTarget:
    if unit_id is None:
        raise Invalid(details={"unit": "请指定被检查单位"})
    target = next((t for t in queries.visible_targets(user, inspection) if t.unit_id == unit_id), None)
    if target is None:
        raise Invalid(details={"unit": "该单位不是本次检查的被检查单位"})
    return target


@router.post("/inspections/{inspection_id}/findings", response={201: dict},
             summary="登记发现的问题：转入问题整改台账（来源“督导检查发现”，立即整改，责任单位为被检查单位）")
def record_finding(request, inspection_id: int, payload: FindingIn):
    inspection = queries.get_inspection(request.user, inspection_id)
    target = _target_for(request.user, inspection, payload.unit)
    person = None
    if payload.responsible_person is not None:
        person = User.objects.filter(pk=payload.responsible_person).select_related("unit").first()
        if person is None:
            raise Invalid(details={"responsible_person": "责任人不存在"})
    finding = services.record_finding(request.user, inspection, target, payload.description, payload.measures,
                                      payload.deadline, responsible_person=person)
    return Status(201, {"id": finding.pk, "unit": {"id": target.unit_id, "name": target.unit.name},
                        "description": finding.description, "problem": finding.problem_id})


class ActionIn(Schema):
    version: int | None = None
    summary: str = ""  # complete: 总体评价
    unit: int | None = None  # rate: the inspected unit
    rating: str = ""  # rate: excellent / good / fair / poor
    notes: str = ""  # rate: 检查情况


@router.post("/inspections/{inspection_id}/actions/{action}",
             summary="执行操作：start（开始检查）/ complete（完成检查，须全部单位已评价；summary）/ rate（记录评价：unit、rating、notes）")
def inspection_action(request, inspection_id: int, action: str, payload: ActionIn):
    inspection = queries.get_inspection(request.user, inspection_id)
    if action == "rate":
        target = _target_for(request.user, inspection, payload.unit)
        services.rate_target(request.user, target, payload.rating, payload.notes)
    else:
        services.INSPECTION_WORKFLOW.perform(request.user, inspection, action,
                                             version=given_version(payload.version, inspection), summary=payload.summary)
    return _detail(request.user, inspection_id)


def _manager_campaign(request, campaign_id: int | None):
    if not has_permission(request.user, "inspection.manage"):
        raise Forbidden("您无权查看或设置风险因素与抽查权重。")
    if campaign_id is None:
        campaign = campaign_queries.current_campaign(request.user)
        if campaign is None:
            raise NotFound("当前没有进行中的专项行动")
        return campaign
    return campaign_queries.get_campaign(request.user, campaign_id)


def _weights_out(campaign) -> dict:
    weights = draw_services.weights_for(campaign)
    return {"campaign": campaign.pk, "formula": draw_services.FORMULA,
            **{f: draw_services.weight_text(getattr(weights, f)) for f in risk_services.WEIGHT_FIELDS}}


@router.get("/risk/weights", summary="随机抽查权重（campaign 缺省为当前专项行动）")
def get_weights(request, campaign: int | None = None):
    return _weights_out(_manager_campaign(request, campaign))


class WeightsIn(Schema):
    campaign: int | None = None
    service_coverage: str | float | None = None
    funds: str | float | None = None
    special_groups: str | float | None = None
    overdue_problems: str | float | None = None


@router.put("/risk/weights", summary="设置随机抽查权重（0 至 9999.99，0 即不考虑该因素；只改给出的项）")
def put_weights(request, payload: WeightsIn):
    campaign = _manager_campaign(request, payload.campaign)
    values = {f: getattr(payload, f) for f in risk_services.WEIGHT_FIELDS if getattr(payload, f) is not None}
    risk_services.save_weights(request.user, campaign, values)
    return _weights_out(campaign)


def _profiles_out(user, campaign) -> dict:
    return {"campaign": campaign.pk, "results": [
        {"unit": {"id": r["unit"].pk, "name": r["unit"].name}, "default_candidate": r["default"],
         "service_coverage": r["profile"].service_coverage, "funds": str(r["profile"].funds),
         "special_groups": r["profile"].special_groups, "overdue_problems": r["overdue"]}
        for r in queries.risk_table(user, campaign)
    ]}


@router.get("/risk/profiles",
            summary="各单位风险因素（服务对象、监管资金（万元）、特殊群体；逾期未整改问题为实时统计）")
def get_profiles(request, campaign: int | None = None):
    return _profiles_out(request.user, _manager_campaign(request, campaign))


class ProfileIn(Schema):
    unit: int
    service_coverage: int | None = None
    funds: str | float | None = None
    special_groups: int | None = None


class ProfilesIn(Schema):
    campaign: int | None = None
    profiles: list[ProfileIn]


@router.put("/risk/profiles", summary="设置各单位风险因素（全部成功或全部不保存）")
def put_profiles(request, payload: ProfilesIn):
    campaign = _manager_campaign(request, payload.campaign)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[p.unit for p in payload.profiles])}
    rows = []
    for p in payload.profiles:
        if p.unit not in units:
            raise NotFound("单位不存在或不在您的数据权限范围内")
        values = {f: getattr(p, f) for f in risk_services.PROFILE_FIELDS if getattr(p, f) is not None}
        rows.append((units[p.unit], values))
    risk_services.save_profiles(request.user, rows)
    return _profiles_out(request.user, campaign)
