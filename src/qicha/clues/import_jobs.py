"""The clue batch import over the API (`POST /api/v1/imports`, ledger=clues): the same checks and write path as the
import page (`importing.preview` / `importing.confirm_import`), run as a preview job and a confirm job like the
problem import. The batch's source, number and date come as form fields beside the file."""

from datetime import date

from qicha.campaigns import queries as campaign_queries
from qicha.core import excel_import as xl
from qicha.core.errors import Invalid
from qicha.jobs.services import confirm_preview_once

from . import importing

PREVIEW_JOB, CONFIRM_JOB = "clues.import_preview", "clues.import_confirm"
FORM_FIELDS = ("source", "batch_reference", "received_date")


def _campaign(actor, campaign_id):
    if campaign_id:
        return campaign_queries.get_campaign(actor, campaign_id)
    campaign = campaign_queries.current_campaign(actor)
    if campaign is None:
        raise Invalid("当前没有进行中的专项行动，请指定 campaign。", {"campaign": "请指定专项行动"})
    return campaign


def _day(value) -> date | None:
    if isinstance(value, date) or not value:
        return value or None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(details={"received_date": f"交办日期应写成 YYYY-MM-DD，且须是真实存在的日期：{value}"}) from None


def _arguments(params: dict) -> dict:
    return {"source": params["source"], "batch_reference": params["batch_reference"],
            "received_date": _day(params["received_date"]), "file_name": params.get("file_name", "")}


def start_preview(actor, campaign_id, data: bytes, file_name: str, *, source: str = "", batch_reference: str = "",
                  received_date: str = ""):
    """Quick checks now (batch fields, file type: Invalid), then the row-by-row check as a job."""
    from qicha.jobs.services import start_job

    importing.check_allowed(actor)
    campaign = _campaign(actor, campaign_id)
    day = _day(received_date)
    reference = importing.check_batch_inputs(source, batch_reference, day)
    xl.check_upload(data, file_name)
    params = {"campaign": campaign.pk, "source": source, "batch_reference": reference,
              "received_date": day.isoformat(), "file_name": file_name}
    token = xl.stash(actor, data, file_name, kind=importing.KIND, params=params)
    return start_job(actor, PREVIEW_JOB, {**params, "token": token}, label=f"导入线索清单：检查“{file_name[:80]}”")


def run_preview(actor, params: dict) -> dict:
    stashed = xl.load_stashed(actor, params.get("token", ""), kind=importing.KIND)
    campaign = _campaign(actor, params.get("campaign"))
    preview = importing.preview(actor, campaign, stashed.path, **_arguments(params))
    return {"rows_ok": len(preview.rows_ok), "rows_existing": len(preview.rows_existing), "rows_changed": 0,
            "errors": preview.errors, "can_confirm": preview.can_confirm and bool(preview.rows_ok),
            "file_name": preview.file_name, "sheet": preview.sheet}


def run_confirm(actor, params: dict) -> dict:
    token = params.get("token", "")
    stashed = xl.load_stashed(actor, token, kind=importing.KIND)
    campaign = _campaign(actor, params.get("campaign"))
    outcome = importing.confirm_import(actor, campaign, stashed.path, **_arguments(params))
    xl.discard(token)
    return {"created": outcome.created, "skipped": outcome.skipped, "batch": outcome.batch.pk,
            "message": f"已导入 {outcome.created} 条线索（跳过 {outcome.skipped} 条已导入）"}


def start_confirm(actor, import_id: int):
    """Confirm a finished preview without errors, once: a second confirm is a Conflict, never a second job."""
    importing.check_allowed(actor)
    return confirm_preview_once(actor, import_id, preview_kind=PREVIEW_JOB, confirm_kind=CONFIRM_JOB, noun="条线索",
                                label="导入线索清单")
