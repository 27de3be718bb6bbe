from datetime import date

from ninja import Router, Schema, Status
from pydantic import ConfigDict

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.scope import has_permission, units_in_scope

from . import queries, services
from .models import Campaign, CheckItem, Phase, SelfInspection
from .template import SEVEN_CHECKS

router = Router(tags=["专项行动与自查"])


def campaign_out(c: Campaign, full: bool = False) -> dict:
    data = {
        "id": c.pk, "name": c.name, "year": c.year, "document_no": c.document_no, "is_active": c.is_active,
        "organiser": {"id": c.organiser_id, "name": c.organiser.name},
        "report_due_day": c.report_due_day, "stage_summary_due": c.stage_summary_due,
        "clue_clearance_date": c.clue_clearance_date, "final_summary_due": c.final_summary_due,
        "phases": [
            {"kind": p.kind, "name": p.get_kind_display(), "start_date": p.start_date, "end_date": p.end_date}
            for p in c.phases.all()
        ],
    }
    if full:
        data["description"] = c.description
        data["check_items"] = [
            check_item_out(i) for i in c.check_items.all()
        ]
        data["participating_units"] = [{"id": u.pk, "name": u.name}
                                       for u in c.participating_units.order_by("path")]
        data["template"] = c.template_code
        data["version"] = c.version
    return data


def check_item_out(i: CheckItem) -> dict:
    return {"id": i.pk, "ordinal": i.ordinal, "label": i.label, "title": i.title, "check_text": i.check_text,
            "present_text": i.present_text, "key_points": i.key_points, "version": i.version}


@router.get("/campaigns", summary="专项行动列表")
def campaigns(request, page: int = 1, page_size: int = 50):
    return paginate(queries.visible_campaigns(request.user), page, page_size, campaign_out)


class PhaseIn(Schema):
    kind: str
    start_date: date | None = None
    end_date: date | None = None
    tasks: str | None = None


class CampaignIn(Schema):
    name: str
    year: int
    document_no: str = ""
    description: str = ""
    template: str = SEVEN_CHECKS
    copy_from: int | None = None
    organiser: int | None = None
    participating_units: list[int]
    phases: list[PhaseIn] | None = None
    report_due_day: int | None = None
    stage_summary_due: date | None = None
    clue_clearance_date: date | None = None
    final_summary_due: date | None = None


def _phases(given: list[PhaseIn] | None, plan: dict) -> list[dict]:
    if given is None:
        return plan["phases"]
    kinds = dict(Phase.Kind.choices)
    planned = {p["kind"]: p for p in plan["phases"]}
    phases, errors = [], {}
    for n, phase in enumerate(given):
        if phase.kind not in kinds:
            errors[f"phases.{n}.kind"] = (f"阶段“{phase.kind}”不存在。可选：{', '.join(kinds)}"
                                          f"（{'、'.join(kinds.values())}）")
            continue
        default = planned.get(phase.kind, {})
        phases.append({"kind": phase.kind, "start_date": phase.start_date, "end_date": phase.end_date,
                       "tasks": default.get("tasks", "") if phase.tasks is None else phase.tasks})
    if len({p["kind"] for p in phases}) != len(phases):
        errors["phases"] = "每个阶段只能出现一次。"
    if errors:
        raise Invalid(details=errors)
    return phases


@router.post("/campaigns", response={201: dict},
             summary="新建专项行动（从“七查七摆”模板 template=qicha-seven，或复制往年行动 copy_from）")
def create_campaign(request, payload: CampaignIn):
    if not has_permission(request.user, "campaign.manage"):
        raise Forbidden()
    copy_from = queries.get_campaign(request.user, payload.copy_from) if payload.copy_from else None
    units = units_in_scope(request.user, "campaign.manage").filter(is_active=True)
    chosen = list(units.filter(pk__in=payload.participating_units))
    missing = sorted(set(payload.participating_units) - {u.pk for u in chosen})
    if missing:
        raise Invalid(details={"participating_units": f"单位不存在或不在您的数据权限范围内：{', '.join(map(str, missing))}"})
    organiser_id = payload.organiser or request.user.unit_id
    organiser = units.filter(pk=organiser_id).first() if organiser_id else None
    if organiser is None:
        raise Invalid(details={"organiser": "牵头单位不存在或不在您的数据权限范围内"})
    plan = services.default_plan(payload.year, copy_from)
    dates = {name: getattr(payload, name) if getattr(payload, name) is not None else plan[name]
             for name in ("report_due_day", "stage_summary_due", "clue_clearance_date", "final_summary_due")}
    campaign = services.create_campaign(
        request.user, name=payload.name, year=payload.year, document_no=payload.document_no,
        description=payload.description, organiser=organiser, participating_units=chosen,
        phases=_phases(payload.phases, plan), template_code=payload.template, copy_from=copy_from, **dates,
    )
    return Status(201, campaign_out(queries.get_campaign(request.user, campaign.pk), full=True))


class CheckItemIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a field that cannot be edited here is refused, not ignored

    version: int | None = None
    title: str | None = None
    check_text: str | None = None
    present_text: str | None = None
    key_points: str | None = None


@router.patch("/campaigns/{campaign_id}/check-items/{ordinal}",
              summary="修改查摆事项文字（行动结束前；须带 version，过期 409）")
def patch_check_item(request, campaign_id: int, ordinal: int, payload: CheckItemIn):
    c = queries.get_campaign(request.user, campaign_id)
    item = c.check_items.filter(ordinal=ordinal).select_related("campaign").first()
    if item is None:
        raise NotFound()
    changes = {k: v for k, v in payload.dict().items() if k != "version" and v is not None}
    services.update_check_item(request.user, item, version=payload.version, **changes)
    item.refresh_from_db()
    return check_item_out(item)


@router.get("/campaigns/{campaign_id}", summary="专项行动详情（含阶段与查摆事项）")
def campaign(request, campaign_id: int):
    return campaign_out(queries.get_campaign(request.user, campaign_id), full=True)


def entry_out(item, entry: SelfInspection | None) -> dict:
    return {
        "check_item": item.ordinal,
        "check_item_id": item.pk,
        "title": f"{item.label}{item.title}",
        "filled": entry is not None,
        "statement": entry.statement if entry else "",
        "no_problem_found": entry.no_problem_found if entry else False,
        "reason": entry.reason if entry else "",
        "version": entry.version if entry else 0,
        "filled_at": iso_time(entry.filled_at) if entry else None,
        "filled_by": entry.filled_by.display_name if entry else None,
    }


def _unit(request, campaign, unit_id: int | None):
    if unit_id is None:
        if request.user.unit_id is None:
            raise Invalid(details={"unit": "请指定单位（?unit=）"})
        unit_id = request.user.unit_id
    return queries.get_unit_in_scope(request.user, campaign, unit_id)


@router.get("/campaigns/{campaign_id}/self-inspections", summary="单位自查填报（每个查摆事项一条）")
def self_inspections(request, campaign_id: int, unit: int | None = None):
    c = queries.get_campaign(request.user, campaign_id)
    target = _unit(request, c, unit)
    answers = queries.unit_answers(request.user, c, target)
    return {"unit": {"id": target.pk, "name": target.name}, "campaign": c.pk,
            "entries": [entry_out(item, entry) for item, entry in answers.entries]}


class EntryIn(Schema):
    check_item: int
    statement: str = ""
    no_problem_found: bool = False
    reason: str = ""
    version: int | None = None


class SelfInspectionsIn(Schema):
    entries: list[EntryIn]


@router.put("/campaigns/{campaign_id}/self-inspections", summary="填报自查（全部成功或全部不写入）")
def put_self_inspections(request, campaign_id: int, payload: SelfInspectionsIn, unit: int | None = None):
    c = queries.get_campaign(request.user, campaign_id)
    # Editing needs the edit scope; a unit outside it is reported as absent.
    target = _unit(request, c, unit)
    services.save_self_inspections(request.user, campaign=c, unit=target, entries=[e.dict() for e in payload.entries])
    return self_inspections(request, campaign_id, target.pk)


@router.get("/campaigns/{campaign_id}/coverage", summary="查摆覆盖矩阵（单位 × 查摆事项）")
def coverage(request, campaign_id: int):
    c = queries.get_campaign(request.user, campaign_id)
    if not has_permission(request.user, "coverage.view"):
        raise NotFound()
    matrix = queries.coverage(request.user, c)
    return {
        "campaign": c.pk,
        "as_of": date.today(),
        "check_items": [{"ordinal": i.ordinal, "title": f"{i.label}{i.title}"} for i in matrix.items],
        "rows": [
            {"unit": {"id": row.unit.pk, "name": row.unit.name},
             "cells": [{"check_item": item.ordinal, "state": state, "label": queries.CoverageState.LABELS[state]}
                       for item, state, _ in row.cells]}
            for row in matrix.rows
        ],
        "totals": matrix.totals,
        "rate": round(matrix.rate, 1),
    }
