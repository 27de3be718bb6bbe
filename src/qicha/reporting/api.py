"""API: monthly reporting (api.md "Reporting"): periods, one row per expected unit, submitting, the frozen snapshot
with its SM3 digest and verification, and the review actions."""

from ninja import Router, Schema, Status

from qicha.campaigns import queries as campaign_queries
from qicha.core.api.formats import iso_time
from qicha.core.workflow import given_version

from . import queries, services
from .models import Submission
from .snapshot import verify
from .workflow import SUBMISSION_WORKFLOW

router = Router(tags=["月度报送"])


def period_out(period) -> dict:
    return {"id": period.pk, "campaign": period.campaign_id, "label": period.label, "year": period.year,
            "month": period.month, "start": period.start, "end": period.end, "due_date": period.due_date,
            "requires_approval": period.requires_approval, "lock_after_due": period.lock_after_due,
            "version": period.version}


def submission_out(s: Submission, full: bool = False) -> dict:
    data = {
        "id": s.pk, "period": s.period_id, "unit": {"id": s.unit_id, "name": s.unit.name},
        "status": queries.api_status(s), "workflow_status": s.status, "status_label": s.get_status_display(),
        "note": s.note, "submitted_at": iso_time(s.submitted_at), "on_time": queries.on_time(s),
        "return_reason": s.return_reason, "digest": s.digest or None, "version": s.version,
    }
    if full:
        verified = verify(s)
        data |= {"snapshot": s.snapshot, "verify": None if verified is None else ("一致" if verified else "不一致"),
                 "verified": verified, "approved_at": iso_time(s.approved_at), "reviewed_at": iso_time(s.reviewed_at),
                 "returned_versions": [{
                     "snapshot": v.snapshot, "digest": v.digest, "verify": "一致" if verify(v) else "不一致",
                     "submitted_at": iso_time(v.submitted_at), "returned_at": iso_time(v.returned_at), "reason": v.reason,
                 } for v in s.returned_versions.all()]}
    return data


@router.get("/reporting/periods", summary="报送期（start、end、due_date、campaign）；campaign 筛选")
def list_periods(request, campaign: int | None = None):
    selected = campaign_queries.get_campaign(request.user, campaign) if campaign is not None else None
    return [period_out(p) for p in queries.visible_periods(request.user, selected)]


@router.get("/reporting/periods/{period_id}/submissions",
            summary="每个应报单位一行（数据权限内）：status missing / submitted / returned / accepted、submitted_at、on_time")
def list_submissions(request, period_id: int):
    period = queries.get_period(request.user, period_id)
    return [{"unit": {"id": row.unit.pk, "name": row.unit.name}, "status": row.status,
             "submitted_at": iso_time(row.submitted_at), "on_time": row.on_time,
             "submission": row.submission.pk if row.submission else None}
            for row in queries.period_rows(request.user, period)]


class SubmitIn(Schema):
    note: str = ""


@router.post("/reporting/periods/{period_id}/submissions", response={201: dict},
             summary="报送本单位本期台账（须经领导审核的报送期：报领导审核，由领导 approve 后报送）")
def submit(request, period_id: int, payload: SubmitIn):
    period = queries.get_period(request.user, period_id)
    submission = services.submit_own(request.user, period, payload.note)
    return Status(201, submission_out(queries.get_submission(request.user, submission.pk), full=True))


@router.get("/reporting/submissions/{submission_id}", summary="报送详情：冻结的台账快照、SM3 摘要 digest、校验结果 verify")
def get_submission(request, submission_id: int):
    return submission_out(queries.get_submission(request.user, submission_id), full=True)


class ActionIn(Schema):
    version: int | None = None
    reason: str = ""


@router.post("/reporting/submissions/{submission_id}/actions/{action}",
             summary="流转操作：request_approval / submit / approve / reject（reason）/ return（reason）/ accept")
def submission_action(request, submission_id: int, action: str, payload: ActionIn):
    submission = queries.get_submission(request.user, submission_id)
    SUBMISSION_WORKFLOW.perform(request.user, submission, action, version=given_version(payload.version, submission),
                                reason=payload.reason)
    return submission_out(queries.get_submission(request.user, submission_id), full=True)
