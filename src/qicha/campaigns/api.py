from datetime import date

from ninja import Router, Schema

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission

from . import queries, services
from .models import Campaign, SelfInspection

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
            {"id": i.pk, "ordinal": i.ordinal, "label": i.label, "title": i.title, "check_text": i.check_text,
             "present_text": i.present_text, "key_points": i.key_points}
            for i in c.check_items.all()
        ]
    return data


@router.get("/campaigns", summary="专项行动列表")
def campaigns(request, page: int = 1, page_size: int = 50):
    return paginate(queries.visible_campaigns(request.user), page, page_size, campaign_out)


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
