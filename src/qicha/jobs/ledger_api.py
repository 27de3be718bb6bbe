"""Ledger import over the API (api.md "Reporting, import, export"):

* GET  /imports/template?ledger=problems   the .xlsx template to fill (`clues` too);
* POST /imports  multipart `ledger`, `file` (+ `campaign`; for `clues` also `source`, `batch_reference`,
  `received_date` — the batch the list was handed down in) → 202 {"id": <import id>, "job": <job id>}; the file's
  type and header are checked at once (400 with the Chinese message), the rows by the job. Poll GET /jobs/{job}:
  the finished job's `result` is the preview (`rows_ok`, `rows_existing`, `rows_changed`, `errors` [{sheet, row,
  column, message}], `can_confirm`);
* POST /imports/{id}/confirm → 202 with the job that writes all rows or none. A preview is confirmed once: asked
  again while that job runs or after it is done → 409 with the Chinese message ("已导入：新增 N 个问题（…）…").

The import id is the id of the preview job. Each ledger that can be imported registers itself
(`core.registry.register_import`).
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from qicha.core import excel_import as xl
from qicha.core.errors import Invalid, NotFound
from qicha.core.registry import IMPORTS, LedgerImport

from .queries import own_job

router = Router(tags=["导入导出"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger(code: str) -> LedgerImport:
    ledger = IMPORTS.get(code or "")
    if ledger is None:
        message = f"不支持的台账：“{code}”。可选：{'、'.join(IMPORTS)}"
        raise Invalid(message, {"ledger": message})
    return ledger


class ImportStarted(Schema):
    id: int
    job: int
    status: str


@router.get("/imports/template", summary="下载导入模板（.xlsx）")
def import_template(request, ledger: str, campaign: int | None = None):
    data, file_name = _ledger(ledger).template(request.user, campaign)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
    return response


@router.post("/imports", response={202: ImportStarted},
             summary="上传台账文件，后台逐行检查（预览）。ledger=problems 或 clues；clues 另需表单字段 source、"
                     "batch_reference、received_date（交办批次的来源、批次号、交办日期）")
def start_import(request, ledger: str = Form(...), file: UploadedFile = File(...), campaign: int | None = Form(None)):
    chosen = _ledger(ledger)
    if chosen.start is None:
        raise Invalid(chosen.page_hint, {"ledger": chosen.page_hint})
    name = file.name or "导入文件.xlsx"
    xl.check_size(file.size, name)
    extra = {field: request.POST.get(field, "") for field in chosen.form_fields}
    job = chosen.start(request.user, campaign, file.read(), name, **extra)
    return Status(202, {"id": job.pk, "job": job.pk, "status": job.status})


@router.post("/imports/{int:import_id}/confirm", response={202: ImportStarted}, summary="确认导入（全部写入或全部不写入）")
def confirm_import(request, import_id: int):
    job = own_job(request.user, import_id)
    chosen = next((ledger for ledger in IMPORTS.values() if ledger.preview_kind and ledger.preview_kind == job.kind),
                  None)
    if chosen is None or chosen.confirm is None:
        raise NotFound("导入记录不存在或不属于您")
    confirm = chosen.confirm(request.user, import_id)
    return Status(202, {"id": import_id, "job": confirm.pk, "status": confirm.status})
