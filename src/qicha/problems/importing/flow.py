"""The import's life: the upload checked and stashed, the preview job (check every row, write nothing), the
confirm job (check again and write, all or none); what the preview page may still offer."""

from django.db import transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl
from qicha.core.errors import Conflict, Invalid, NotFound

from .access import campaign_for, check_allowed
from .checking import evaluate
from .columns import Choices
from .preview import preview_result
from .writing import KIND, write_file

PREVIEW_JOB, CONFIRM_JOB = "problems.import_preview", "problems.import_confirm"


def check_file(actor, campaign: Campaign, data: bytes, file_name: str) -> None:
    """The quick checks made before a job is queued: type, size, header, at least one row."""
    check_allowed(actor)
    xl.check_upload(data, file_name, allow_xls=True)
    xl.check_header(data, file_name, Choices.for_actor(actor, campaign).columns())


def stash_upload(actor, campaign: Campaign, data: bytes, file_name: str) -> str:
    check_file(actor, campaign, data, file_name)
    return xl.stash(actor, data, file_name, kind=KIND, params={"campaign": campaign.pk})


def run_preview(actor, params: dict, progress=None) -> dict:
    stashed = xl.load_stashed(actor, params.get("token", ""), kind=KIND)
    campaign = campaign_for(actor, params.get("campaign"))
    evaluation = evaluate(actor, campaign, stashed.read(), stashed.file_name, progress, share=(0, 95),
                          keep_rows=False)
    return preview_result(evaluation)


def run_confirm(actor, params: dict, progress=None) -> dict:
    """Re-read and re-check the stashed file; only if every row is good, register all new problems in ONE
    transaction (all or none) with one import event. The stash is discarded afterwards."""
    token = params.get("token", "")
    stashed = xl.load_stashed(actor, token, kind=KIND)
    campaign = campaign_for(actor, params.get("campaign"))
    evaluation, numbers = write_file(actor, campaign, stashed.read(), stashed.file_name, progress)
    created = evaluation.count("ok")
    skipped = evaluation.total - created
    xl.discard(token)
    return {"created": created, "skipped": skipped, "file_name": stashed.file_name, "numbers": numbers,
            "message": f"已导入 {created:,} 个问题，跳过 {skipped:,} 行（已导入或已存在）"}


# ---------------------------------------------------------------------------------------------------------------
# Starting the jobs (pages and API)

PREVIEW_JOB, CONFIRM_JOB = "problems.import_preview", "problems.import_confirm"


def start_preview(actor, campaign: Campaign, data: bytes, file_name: str):
    """Quick checks now (wrong type, no header: Invalid), then the row-by-row check as a job."""
    from qicha.jobs.services import start_job

    token = stash_upload(actor, campaign, data, file_name)
    return start_job(actor, PREVIEW_JOB, {"token": token, "campaign": campaign.pk, "file_name": file_name},
                     label=f"导入问题整改台账：检查“{file_name[:80]}”")


def preview_job(actor, job_id):
    """The actor's own finished-or-not preview job (anyone else's, or another kind: NotFound)."""
    from qicha.jobs.queries import own_job

    job = own_job(actor, job_id)
    if job.kind != PREVIEW_JOB:
        raise NotFound()
    return job


def _confirm_jobs(actor, preview):
    """The confirm jobs started from this preview: a confirm job names its preview in params["preview_job"]."""
    from qicha.jobs.queries import own_jobs

    return own_jobs(actor).filter(kind=CONFIRM_JOB, params__preview_job=preview.pk).order_by("-created_at", "-id")


def confirm_of(actor, preview):
    """The confirm job that took this preview's file (queued, running or done), or None. A failed confirm wrote
    nothing, so it does not count: the preview may be confirmed again while its upload is still stashed."""
    return _confirm_jobs(actor, preview).exclude(status="failed").first()


def confirmed_message(confirm) -> str:
    """"已导入：新增 5 个问题（2026-11-26 10:15）", or that the file is still being written."""
    if confirm.status == "done":
        when = f"（{timezone.localtime(confirm.finished_at):%Y-%m-%d %H:%M}）" if confirm.finished_at else ""
        return f"已导入：新增 {confirm.result.get('created', 0):,} 个问题{when}"
    return "正在导入：该文件已确认导入，正在写入问题"


def preview_state(actor, job) -> dict:
    """What the preview page may still offer: once confirmed it is history (the confirm job and its outcome);
    otherwise it can be confirmed only while the upload is still stashed (not cancelled, not expired)."""
    confirm = confirm_of(actor, job)
    stashed = False
    if confirm is None:
        try:
            xl.load_stashed(actor, job.params.get("token", ""), kind=KIND)
            stashed = True
        except NotFound:
            pass
    return {
        "confirm": confirm, "imported": confirm is not None and confirm.status == "done",
        # Excel row → the number its problem got, for the rows the page lists (JSON keeps keys as text).
        "numbers": {int(row): number for row, number in ((confirm.result or {}) if confirm else {}).get(
            "numbers", {}).items()},
        "confirmed_message": confirmed_message(confirm) if confirm else "",
        "failed": None if confirm else _confirm_jobs(actor, job).filter(status="failed").first(),
        "expired": confirm is None and not stashed,
        "can_confirm": bool(job.status == "done" and job.result.get("can_confirm") and stashed),
    }


def start_confirm(actor, job):
    """Confirm a finished preview without errors: the same stashed file is checked again and written, as a job.
    A preview is confirmed once: a second confirm (double click, the page and the API) is a Conflict naming the
    first, never a second job."""
    from qicha.jobs.models import Job
    from qicha.jobs.services import start_job

    check_allowed(actor)
    if job.status != "done":
        raise Invalid("文件检查尚未完成或未通过，不能确认导入。")
    if not job.result.get("can_confirm"):
        raise Invalid("预览中有错误或没有可导入的问题，不能确认导入。请改正后重新上传。")
    with transaction.atomic():
        # The preview's row is the lock two confirms of it queue on (SQLite transactions are IMMEDIATE already).
        Job.objects.select_for_update().filter(pk=job.pk).first()
        confirm = confirm_of(actor, job)
        if confirm is not None:
            raise Conflict(f"{confirmed_message(confirm)}。同一文件不能重复导入。")
        try:
            xl.load_stashed(actor, job.params.get("token", ""), kind=KIND)
        except NotFound:
            raise Invalid("上传的文件已过期或已导入，请重新上传。") from None
        return start_job(actor, CONFIRM_JOB, {**job.params, "preview_job": job.pk},
                         label=f"导入问题整改台账：写入“{job.params.get('file_name', '')[:80]}”")


def discard_preview(actor, job) -> None:
    xl.discard(job.params.get("token", ""))
