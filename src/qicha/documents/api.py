"""API: the units' own summaries (单位总结), as the pages do: the office's collection with who is late, one summary,
writing and submitting the caller's unit's summary (typed text; a file goes through the page), 接收 / 退回."""

from django.utils import timezone
from ninja import Router, Schema, Status

from qicha.campaigns.queries import current_campaign
from qicha.core.api.formats import iso_time
from qicha.core.errors import NotFound
from qicha.core.masking import mask_free_text
from qicha.core.workflow import given_version

from . import queries, unit_services
from .unit_workflow import UNIT_SUMMARY_WORKFLOW

router = Router(tags=["documents"])


def _campaign(request):
    campaign = current_campaign(request.user)
    if campaign is None:
        raise NotFound("当前没有进行中的专项行动")
    return campaign


def summary_out(summary, row) -> dict:
    return {"id": summary.pk, "kind": summary.kind, "unit": {"id": summary.unit_id, "name": summary.unit.name},
            "status": summary.status, "status_label": summary.get_status_display(),
            "text": mask_free_text(summary.text), "file": summary.file.name if summary.file else None,
            "submitted_at": iso_time(summary.submitted_at), "late": row.late, "days_late": row.days_late,
            "return_reason": summary.return_reason, "reviewed_at": iso_time(summary.reviewed_at),
            "version": summary.version}


@router.get("/unit-summaries", summary="单位总结收取情况：每个参与单位一行（数据权限内），status、submitted_at、late、days_late；kind=stage|final")
def collection(request, kind: str = "stage"):
    grid = queries.collection(request.user, _campaign(request), kind)
    return {"kind": grid.kind.value, "due": grid.due, "handed_in": grid.handed_in, "late": len(grid.late),
            "rows": [{"unit": {"id": row.unit.pk, "name": row.unit.name}, "status": row.status,
                      "status_label": row.status_label, "submitted_at": iso_time(row.summary.submitted_at)
                      if row.summary else None, "late": row.late, "days_late": row.days_late,
                      "summary": row.summary.pk if row.summary else None} for row in grid.rows]}


@router.get("/unit-summaries/{summary_id}", summary="一份单位总结（正文中的身份证号、电话脱敏）")
def get_summary(request, summary_id: int):
    campaign = _campaign(request)
    summary = queries.get_unit_summary(request.user, campaign, summary_id)
    return summary_out(summary, queries.CollectionRow(summary.unit, summary, queries.due_date(campaign, summary.kind),
                                                      timezone.localdate()))


class WriteIn(Schema):
    kind: str = "stage"
    text: str
    version: int | None = None  # the version read (none for a first save)
    submit: bool = True  # false: save without submitting


@router.post("/unit-summaries", response={201: dict}, summary="撰写本单位总结（kind、text），submit=true 时同时提交局扫黑办")
def write(request, payload: WriteIn):
    campaign = _campaign(request)
    act = unit_services.save_and_submit if payload.submit else unit_services.save_unit_summary
    summary = act(request.user, campaign, payload.kind, text=payload.text, version=payload.version)
    return Status(201, get_summary(request, summary.pk))


class ActionIn(Schema):
    version: int | None = None
    reason: str = ""


@router.post("/unit-summaries/{summary_id}/actions/{action}", summary="流转操作：submit / return（reason）/ accept")
def summary_action(request, summary_id: int, action: str, payload: ActionIn):
    summary = queries.get_unit_summary(request.user, _campaign(request), summary_id)
    UNIT_SUMMARY_WORKFLOW.perform(request.user, summary, action, version=given_version(payload.version, summary),
                                  reason=payload.reason)
    return get_summary(request, summary_id)
