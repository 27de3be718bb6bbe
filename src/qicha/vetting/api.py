"""API: the village 联审 (rounds, one round's matrix, a department's answers), the candidate list and the
problem-member ledger (the cockpit's figures open these lists), the refill. Same services and queries as the pages."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Invalid, NotFound
from qicha.core.workflow import given_version

from . import queries, services
from .workflow import ROUND_WORKFLOW

router = Router(tags=["村两委联审"])


def _raise_if(errors: dict) -> None:
    if errors:
        raise Invalid("筛选条件有误。", errors)


def round_out(r, user) -> dict:
    return {"id": r.pk, "election": r.election, "region": {"id": r.region_id, "name": r.region.name},
            "deadline": r.deadline, "status": r.status, "status_label": r.get_status_display(), "version": r.version,
            "allowed_actions": [t.action for t in ROUND_WORKFLOW.allowed_actions(user, r)]}


def candidate_out(c, result: str | None = None) -> dict:
    data = {"id": c.pk, "round": c.round_id, "number": c.number, "village": c.village, "name": c.name,
            "id_number": c.id_number.masked, "post": c.post, "precheck_hints": c.precheck_hits}
    if result is not None:
        data["result"] = result
    return data


@router.get("/vetting/rounds", summary="联审批次（数据权限内；联审部门账号只看到所参加的批次）")
def list_rounds(request):
    user = request.user
    rounds = queries.visible_rounds(user) | queries.answering_rounds(user)
    return [round_out(r, user) for r in rounds.distinct().order_by("-opened_at")]


@router.get("/vetting/rounds/{round_id}", summary="联审批次：部门答复情况（逾期）与候选人结果矩阵；联审部门账号只看到本部门")
def get_round(request, round_id: int):
    access = queries.get_round(request.user, round_id)
    round_ = access.round
    data = round_out(round_, request.user)
    if not access.full:
        data["departments"] = [{"id": d.pk, "name": d.name} for d in access.departments]
        data["candidates"] = [candidate_out(c) for c in round_.candidates.all()]
        return data
    departments, rows = queries.matrix(round_)
    data["departments"] = [{"id": p.department.pk, "name": p.department.name, "answered": p.answered,
                            "total": p.total, "late": p.late, "complete": p.complete}
                           for p in queries.progress(round_, timezone.localdate())]
    data["candidates"] = [candidate_out(row.candidate, row.result) | {
        "opinions": {d.name: (o.text if o else None) for d, o in zip(departments, row.cells, strict=True)},
        "decision": row.candidate.decision, "decision_reason": row.candidate.decision_reason} for row in rows]
    return data


class AnswerIn(Schema):
    verdict: str = ""
    ground: str = ""
    note: str = ""


@router.put("/vetting/rounds/{round_id}/departments/{department_id}/answers/{candidate_id}",
            summary="联审部门答复一名候选人：verdict none（无异议）/ objection（有异议，ground 必填）")
def put_answer(request, round_id: int, department_id: int, candidate_id: int, payload: AnswerIn):
    access, department = queries.get_department(request.user, round_id, department_id)
    candidate = access.round.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound()
    opinion = services.answers.answer(request.user, department, candidate, verdict=payload.verdict,
                                      ground=payload.ground, note=payload.note)
    return {"candidate": candidate.pk, "department": department.name, "verdict": opinion.verdict,
            "ground": opinion.ground, "note": opinion.note, "answered_at": iso_time(opinion.answered_at)}


class ActionIn(Schema):
    version: int | None = None
    reason: str = ""


@router.post("/vetting/rounds/{round_id}/actions/{action}", summary="流转操作：close（结束联审）/ reopen（reason）")
def round_action(request, round_id: int, action: str, payload: ActionIn):
    access = queries.get_round(request.user, round_id)
    if not access.full:
        raise NotFound()
    round_ = access.round
    ROUND_WORKFLOW.perform(request.user, round_, action, version=given_version(payload.version, round_),
                           reason=payload.reason)
    return round_out(round_, request.user)


@router.get("/vetting/candidates", summary="联审候选人（筛选：unit、round、result pass/fail/pending、ground；分页）")
def list_candidates(request, page: int = 1, page_size: int = 50):
    filters = queries.CandidateFilters.from_params(request.GET)
    _raise_if(filters.errors)
    return paginate(queries.candidate_list(request.user, filters), page, page_size,
                    lambda c: candidate_out(c, c.result) | {"region": c.round.region.name})


def member_out(m) -> dict:
    return {"id": m.pk, "region": {"id": m.region_id, "name": m.region.name}, "village": m.village, "name": m.name,
            "id_number": m.id_number.masked, "post": m.post, "problem": m.problem, "ground": m.ground,
            "source": m.source, "action": m.action, "cleaned_on": m.cleaned_on, "refill_name": m.refill_name,
            "refilled_on": m.refilled_on, "complete": m.complete, "version": m.version}


@router.get("/vetting/members", summary="基层组织问题成员台账（筛选：unit、source、complete 1/0；分页）")
def list_members(request, page: int = 1, page_size: int = 50):
    filters = queries.MemberFilters.from_params(request.GET)
    _raise_if(filters.errors)
    return paginate(queries.member_list(request.user, filters), page, page_size, member_out)


class RefillIn(Schema):
    # Optional here so that the record is checked first (404 out of scope); the service says what is missing.
    refill_name: str = ""
    refilled_on: date | None = None
    version: int | None = None


@router.post("/vetting/members/{member_id}/refill", summary="登记补齐配强（补齐人员、日期）；登记后该条台账完成")
def refill(request, member_id: int, payload: RefillIn):
    member = queries.get_member(request.user, member_id)
    services.members.record_refill(request.user, member, refill_name=payload.refill_name,
                                   refilled_on=payload.refilled_on, version=payload.version)
    return member_out(member)
