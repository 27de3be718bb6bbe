"""POST /exports (api.md "Reporting, import, export"): `ledger` and the same filters as its list → 202 with the job.

The body is flat: {"ledger": "problems", "status": "open", "unit": 3, "overdue": true}. The clue ledger also takes
`with_reporter` and `reason` (reporters in clear for entitled users, audited). Poll GET /jobs/{id}; the finished
job's `result_url` is the .xlsx.
"""

import json

from ninja import Router, Schema, Status
from pydantic import ConfigDict

from qicha.core.errors import Invalid

from .export_views import start_export

router = Router(tags=["导入导出"])


class ExportIn(Schema):
    """`ledger`: problems, clues, cases, letters, inspections, accountability, self_inspections (the coverage page:
    `campaign`, `under`, `state`), rules; any other key is a filter of that ledger's list, by the list's own names."""

    model_config = ConfigDict(extra="allow")

    ledger: str
    with_reporter: bool = False
    reason: str = ""


class ExportStarted(Schema):
    id: int
    status: str


def _filters(request) -> dict:
    """The body's filters (the schema above validates `ledger` and the reveal; the rest are passed on as given)."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise Invalid("请求体不是有效的 JSON") from exc
    else:
        body = request.POST.dict()
    if not isinstance(body, dict):
        raise Invalid("请求体应为对象")
    return {k: v for k, v in body.items() if not isinstance(v, dict | list)}


@router.post("/exports", response={202: ExportStarted}, summary="导出台账（后台任务）")
def start_ledger_export(request, payload: ExportIn):
    job = start_export(request.user, payload.ledger, _filters(request), with_reporter=payload.with_reporter,
                       reason=payload.reason)
    return Status(202, {"id": job.pk, "status": job.status})
