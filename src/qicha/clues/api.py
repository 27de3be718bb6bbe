"""Clue endpoints (api.md "Clue and case vocabulary"): the same services and queries as the pages."""

import datetime
from datetime import date

from ninja import Router, Schema, Status

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.api.patching import PatchIn
from qicha.core.attachments import download_response
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission, units_in_scope
from qicha.core.workflow import given_version
from qicha.orgs.models import User

from . import queries, services
from .models import Clue, ClueBatch
from .workflow import CLUE_WORKFLOW

router = Router(tags=["线索核查"])
REPORTER_FIELDS = ("name", "id_number", "phone")


def _reporter(clue: Clue, revealed: dict | None) -> dict | None:
    if not (clue.reporter_name or clue.reporter_phone or clue.reporter_id_number):
        return None
    if revealed is not None:
        return {**revealed, "masked": False}
    return {name: str(getattr(clue, f"reporter_{name}")) for name in REPORTER_FIELDS} | {"masked": True}


def evidence_out(row) -> dict:
    a = row.attachment
    return {"id": row.pk, "category": row.category, "category_label": row.get_category_display(), "note": row.note,
            "attachment": {"id": a.pk, "name": a.name, "kind": a.kind, "size": a.size, "sha256": a.sha256,
                           "download": f"/api/v1/clues/evidence/{a.pk}"},
            "uploaded_by": row.created_by.display_name, "uploaded_at": iso_time(row.created_at)}


def clue_out(clue: Clue, user, *, full: bool = False, revealed: dict | None = None) -> dict:
    data = {
        "id": clue.pk, "campaign": clue.campaign_id, "source": clue.source, "source_label": clue.get_source_display(),
        "reference_no": clue.reference_no, "batch": clue.batch_id, "received_date": clue.received_date,
        "content": clue.content, "domain": clue.domain, "region": clue.region, "real_name": clue.real_name,
        "unit": {"id": clue.unit_id, "name": clue.unit.name} if clue.unit_id else None,
        "handler": {"id": clue.handler_id, "name": clue.handler.display_name} if clue.handler_id else None,
        "status": clue.status, "status_label": clue.get_status_display(), "result": clue.result or None,
        "due_date": clue.due_date, "overdue": clue.overdue, "days_left": clue.days_left,
        "repeat_of": queries.visible_repeat_of(user, clue) if clue.repeat_of_id else None, "version": clue.version,
    }
    if full:
        data |= {
            "reporter": _reporter(clue, revealed),
            "subjects": [
                {"kind": s.kind, "name": s.name, "id_number": str(s.id_number)} if s.kind == "person"
                else {"kind": s.kind, "name": s.name, "credit_code": s.credit_code}
                for s in clue.subjects.all()
            ],
            "findings": clue.findings, "verified_at": iso_time(clue.verified_at), "closed_at": iso_time(clue.closed_at),
            "return_reason": clue.return_reason, "repeat_count": queries.repeat_count(user, clue),
            "repeat_candidates": [
                {"id": c.earlier_id, "candidate_id": c.pk, "reason": "、".join(r["label"] for r in c.reasons),
                 "reasons": c.reasons, "score": c.score, "content_similarity": c.content_similarity,
                 "decision": c.decision}
                for c in queries.repeat_candidates(user, clue)
            ],
            "follow_ups": [{"kind": f.kind, "date": f.date, "document_no": f.document_no, "note": f.note,
                            "problem": f.problem_id} for f in clue.follow_ups.all()],
            "no_follow_up_reason": clue.no_follow_up_reason,
            "evidence": [evidence_out(e) for e in clue.evidence.all()],
            "replies": [{"date": r.date, "channel": r.channel, "content": r.content,
                         "reporter_response": r.reporter_response, "soothing": r.soothing} for r in clue.replies.all()],
            "re_reviews": [{"reason": r.reason, "requested_at": iso_time(r.requested_at), "result": r.result or None,
                            "findings": r.findings, "reviewed_at": iso_time(r.reviewed_at),
                            "withdrawn_at": iso_time(r.withdrawn_at), "withdrawn_reason": r.withdrawn_reason}
                           for r in clue.re_reviews.all()],
            "allowed_actions": [t.action for t in CLUE_WORKFLOW.allowed_actions(user, clue)],
        }
    return data


@router.get("/clues", summary="线索台账（筛选、分页；数据权限内）")
def list_clues(request, page: int = 1, page_size: int = 50):
    filters = queries.ClueFilters.from_params(request.GET)
    filters.raise_if_invalid()
    return paginate(queries.clue_list(request.user, filters), page, page_size, lambda c: clue_out(c, request.user))


class ReporterIn(Schema):
    name: str = ""
    id_number: str = ""
    phone: str = ""


class SubjectIn(Schema):
    kind: str = ""  # person / organisation; inferred from credit_code when omitted
    name: str = ""
    id_number: str = ""
    credit_code: str = ""


class ClueIn(Schema):
    campaign: int
    source: str
    reference_no: str = ""
    batch: int | None = None
    received_date: date
    content: str
    domain: str
    region: str = ""
    real_name: bool = False
    reporter: ReporterIn | None = None
    subjects: list[SubjectIn] = []
    unit: int | None = None


def _subject(s: SubjectIn) -> dict:
    kind = s.kind or ("organisation" if s.credit_code else "person")
    if kind == "organisation":
        return {"kind": kind, "name": s.name, "credit_code": s.credit_code}
    return {"kind": "person", "name": s.name, "id_number": s.id_number}


@router.post("/clues", response={201: dict}, summary="登记线索（返回疑似重复的在先线索 repeat_candidates）")
def create_clue(request, payload: ClueIn):
    campaign = campaign_queries.get_campaign(request.user, payload.campaign)
    unit = None
    if payload.unit is not None:
        unit = units_in_scope(request.user, "clue.create").filter(pk=payload.unit).first()
        if unit is None:
            raise NotFound("单位不存在或不在您的数据权限范围内")
    batch = None
    if payload.batch is not None:
        batch = ClueBatch.objects.filter(pk=payload.batch, campaign=campaign).first()
        if batch is None or not has_permission(request.user, "clue.assign"):
            raise Invalid(details={"batch": "交办批次不存在"})
    if not has_permission(request.user, "clue.create"):
        raise NotFound()
    clue = services.register_clue(
        request.user, campaign=campaign, source=payload.source, reference_no=payload.reference_no, batch=batch,
        received_date=payload.received_date, content=payload.content, domain=payload.domain, region=payload.region,
        real_name=payload.real_name, reporter=(payload.reporter.dict() if payload.reporter else {}),
        subjects=[_subject(s) for s in payload.subjects], unit=unit,
    )
    return Status(201, clue_out(queries.get_clue(request.user, clue.pk), request.user, full=True))


@router.get("/clues/board", summary="清仓见底：截止日期前受理的线索按单位、来源的核查情况")
def clearance_board(request, campaign: int | None = None, cut_off: date | None = None):
    if not has_permission(request.user, "clue.view"):
        raise NotFound()
    current = (campaign_queries.get_campaign(request.user, campaign) if campaign
               else campaign_queries.current_campaign(request.user))
    if current is None:
        raise NotFound("当前没有进行中的专项行动")
    cut_off = cut_off or services.board_cut_off(current)
    board = queries.clearance_board(request.user, current, cut_off)
    row = lambda r: {"key": r.key, "label": r.label, "received": r.received, "verified": r.verified,  # noqa: E731
                     "open": r.open, "overdue": r.overdue, "max_days_late": r.max_days_late, "cleared": r.cleared}
    return {"campaign": current.pk, "cut_off": board["cut_off"], "target": services.cut_off_for(current),
            "passed": board["passed"],
            "total": row(board["total"]), "units": [row(r) for r in board["units"]],
            "sources": [row(r) for r in board["sources"]], "cleared_units": board["cleared_units"],
            "unit_count": board["unit_count"], "as_of": board["as_of"],
            "reply_rate": queries.reply_rate(request.user, current, received_by=cut_off)}


@router.get("/clues/time-limits", summary="各来源线索的办理时限")
def time_limits(request):
    if not has_permission(request.user, "clue.view"):
        raise NotFound()
    return services.all_limits()


class TimeLimitIn(Schema):
    days: int
    day_kind: str


@router.put("/clues/time-limits/{source}", summary="设置某来源线索的办理时限（未核查线索随之重算）")
def set_time_limit(request, source: str, payload: TimeLimitIn):
    changed = services.set_time_limit(request.user, source, days=payload.days, day_kind=payload.day_kind)
    return {"source": source, "days": payload.days, "day_kind": payload.day_kind, "recomputed": changed}


@router.get("/clues/{clue_id}", summary="线索详情（举报人脱敏；查看明文用 POST /clues/{clue_id}/reveal）")
def get_clue(request, clue_id: int, reveal: str = "", reason: str = ""):
    if reveal or reason:
        # A reason in the address ends up in gateway and browser logs: reveals are POSTs only.
        raise Invalid("查看举报人明文须用 POST /api/v1/clues/{id}/reveal，理由放在请求体中。",
                      {"reveal": "不支持通过网址查看明文"})
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)


class CluePatch(PatchIn):
    reference_no: str | None = None
    content: str | None = None
    domain: str | None = None
    region: str | None = None


@router.patch("/clues/{clue_id}", summary="修改线索（reference_no、content、domain、region；须带 version，过期 409；"
                                          "办结后不能修改）")
def patch_clue(request, clue_id: int, payload: CluePatch):
    services.patch(request.user, queries.get_clue(request.user, clue_id), payload.sent())
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)


class RevealIn(Schema):
    reason: str = ""


@router.post("/clues/{clue_id}/reveal", summary="查看举报人明文（须授权并说明理由，留痕）")
def reveal_reporter(request, clue_id: int, payload: RevealIn):
    clue = queries.get_clue(request.user, clue_id)
    revealed = services.reveal_reporter(request.user, clue, payload.reason)
    return clue_out(clue, request.user, full=True, revealed=revealed)


class ClueActionIn(Schema):
    version: int | None = None
    unit: int | None = None
    handler: int | None = None
    result: str = ""
    findings: str = ""
    kind: str = ""
    date: datetime.date | None = None
    document_no: str = ""
    note: str = ""
    measures: str = ""
    deadline: datetime.date | None = None
    channel: str = ""
    content: str = ""
    reporter_response: str = ""
    soothing: str = ""
    reason: str = ""
    opinion: str = ""
    no_follow_up_reason: str = ""  # close: why a clue verified 属实 / 部分属实 has no 后续处置


@router.post("/clues/{clue_id}/actions/{action}",
             summary="线索流转：assign / start / report_result / record_follow_up / record_reply / return / close / "
                     "escalate / withdraw_escalation / record_review")
def clue_action(request, clue_id: int, action: str, payload: ClueActionIn):
    clue = queries.get_clue(request.user, clue_id)
    CLUE_WORKFLOW.check_transition(request.user, clue, action)
    data = payload.dict()
    version = data.pop("version")
    if action == "assign":
        unit = units_in_scope(request.user, "clue.assign").filter(pk=payload.unit).first() if payload.unit else None
        if unit is None:
            raise Invalid(details={"unit": "承办单位不存在或不在您的数据权限范围内"})
        data["unit"] = unit
        handler = None
        if payload.handler is not None:
            handler = User.objects.filter(pk=payload.handler, is_active=True).select_related("unit").first()
            if handler is None:
                raise Invalid(details={"handler": "承办人不存在"})
        data["handler"] = handler
    CLUE_WORKFLOW.perform(request.user, clue, action, version=given_version(version, clue), **data)
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)


class EvidenceIn(Schema):
    category: str = ""  # report / interview / reply_letter / disposal / other
    note: str = ""
    attachments: list[int] = []  # uploaded first through POST /attachments


@router.post("/clues/{clue_id}/evidence", response={201: dict},
             summary="上传线索材料：核查报告、谈话笔录、答复函等（文件先经 /attachments 上传）")
def add_evidence(request, clue_id: int, payload: EvidenceIn):
    clue = queries.get_clue(request.user, clue_id)
    rows = services.add_clue_evidence(request.user, clue, category=payload.category, note=payload.note,
                                      attachment_ids=payload.attachments)
    return Status(201, {"evidence": [evidence_out(r) for r in rows]})


@router.get("/clues/evidence/{attachment_id}", summary="下载线索材料（仅限可查看该线索的用户）")
def download_evidence(request, attachment_id: int):
    return download_response(queries.get_evidence_attachment(request.user, attachment_id))


class DecisionIn(Schema):
    decision: str  # link / dismiss


@router.post("/clues/{clue_id}/repeat-candidates/{candidate_id}",
             summary="认定疑似重复线索：decision=link 关联为重复举报，dismiss 不是同一事项")
def decide_candidate(request, clue_id: int, candidate_id: int, payload: DecisionIn):
    clue = queries.get_clue(request.user, clue_id)
    if payload.decision not in ("link", "dismiss"):
        raise Invalid(details={"decision": "取值应为 link 或 dismiss"})
    services.decide_candidate(request.user, clue, candidate_id, link=payload.decision == "link")
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)


class MergeIn(Schema):
    other: int  # a report of the other matter


@router.post("/clues/{clue_id}/merge-matter", summary="认定为同一事项：较早事项为主，另一事项的全部举报并入；另一事项只有一条举报的，按重复举报关联（事项曾核查为不属实的转提级复核；扫黑办）")
def merge_matter(request, clue_id: int, payload: MergeIn):
    clue = queries.get_clue(request.user, clue_id)
    other = queries.get_clue(request.user, payload.other)
    services.merge_matters(request.user, clue, other)
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)


@router.post("/clues/{clue_id}/unlink-repeat", summary="取消重复举报关联（扫黑办）")
def unlink_repeat(request, clue_id: int):
    clue = queries.get_clue(request.user, clue_id)
    services.unlink_repeat(request.user, clue)
    return clue_out(queries.get_clue(request.user, clue_id), request.user, full=True)
