"""A ledger's Excel import over the API (`POST /api/v1/imports`, ledger=ledgers, form field `definition` = the
ledger's key): the same checks and write path as the import page (`services.import_rows`), run as a preview job (the
check alone) and a confirm job (the check again and the write: every row or none)."""


from qicha.core import excel_import as xl
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.jobs.services import confirm_preview_once

from . import queries, services

PREVIEW_JOB, CONFIRM_JOB = "ledgers.import_preview", "ledgers.import_confirm"
FORM_FIELDS = ("definition",)
KIND = "ledgers.import"
EDIT = "ledger.edit"
PAGE_HINT = "也可在页面“专项治理台账 → 某台账 → 导入”中导入。"


def _definition(actor, key: str):
    if not key:
        message = "请用表单字段 definition 指明导入哪一本台账（台账标识，如 dibao）。"
        raise Invalid(message, {"definition": message})
    return queries.get_definition(actor, key)


def template(actor, campaign_id=None):
    message = "台账模板因台账而异：请用 GET /api/v1/ledgers/{key}/template 下载该台账的模板。"
    raise Invalid(message, {"ledger": message})


def start_preview(actor, campaign_id, data: bytes, file_name: str, *, definition: str = ""):
    """Quick checks now (which ledger, may the actor fill it, the file's type), then the rows as a job."""
    from qicha.jobs.services import start_job

    if not has_permission(actor, EDIT):
        raise NotFound()
    chosen = _definition(actor, definition.strip())
    xl.check_upload(data, file_name)
    params = {"definition": chosen.key, "file_name": file_name}
    token = xl.stash(actor, data, file_name, kind=KIND, params=params)
    return start_job(actor, PREVIEW_JOB, {**params, "token": token}, label=f"导入{chosen.name}：检查“{file_name[:80]}”")


def run_preview(actor, params: dict) -> dict:
    stashed = xl.load_stashed(actor, params.get("token", ""), kind=KIND)
    definition = _definition(actor, params.get("definition", ""))
    result = services.import_rows(actor, definition, stashed.path.read_bytes(), stashed.file_name, write=False)
    return {"rows_ok": result["rows_ok"], "rows_existing": result["skipped"], "rows_changed": 0,
            "errors": result["errors"], "error_count": result["error_count"],
            "can_confirm": not result["errors"] and bool(result["rows_ok"]), "file_name": stashed.file_name,
            "definition": definition.key}


def run_confirm(actor, params: dict) -> dict:
    token = params.get("token", "")
    stashed = xl.load_stashed(actor, token, kind=KIND)
    definition = _definition(actor, params.get("definition", ""))
    result = services.import_rows(actor, definition, stashed.path.read_bytes(), stashed.file_name)
    if not result["errors"]:
        xl.discard(token)
    message = (f"已导入 {result['created']} 条（与已有记录相同而跳过 {result['skipped']} 条）" if not result["errors"]
               else f"文件有 {result['error_count']} 处错误，未导入任何记录")
    return {**result, "message": message}


def start_confirm(actor, import_id: int):
    """Confirm a finished preview without errors, once: a second confirm is a Conflict, never a second job."""
    return confirm_preview_once(actor, import_id, preview_kind=PREVIEW_JOB, confirm_kind=CONFIRM_JOB, noun="条记录",
                                label="导入台账")
