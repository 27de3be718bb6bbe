"""Starting and running jobs. `start_job` is the one way work reaches the worker; `run_job` is what the worker does."""

import logging
import shutil
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from qicha.core.errors import DomainError, Invalid

from .models import Job, Status
from .registry import HANDLERS, JobContext, result_dir

log = logging.getLogger(__name__)

FAILED_MESSAGE = "任务执行出错，请稍后重试；仍然出错请联系系统管理员（错误已记录在日志中）。"
RESULT_DAYS = 7  # result files are kept this long, then purged by a daily task


def start_job(actor, kind: str, params: dict | None = None, *, label: str = "") -> Job:
    """Queue `kind` for `actor`. The caller has already checked that the actor may ask for this work."""
    handler = HANDLERS.get(kind)
    if handler is None:
        raise Invalid(f"未知的任务类型：{kind}")
    job = Job.objects.create(kind=kind, label=label or handler.label, owner=actor, params=params or {})
    from . import tasks

    if tasks.HUEY.immediate:
        tasks.run_job_task.call_local(job.pk)
        job.refresh_from_db()
    else:
        # The worker must see the committed row.
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


QUEUE_DOWN_MESSAGE = "后台任务队列暂时不可用（Redis 无法连接），任务没有开始。请稍后重新提交；仍然如此请联系系统管理员。"


def _enqueue(job_id: int) -> None:
    """Hand the job to the queue. If the queue cannot be reached (Redis down), the job fails visibly at once —
    its page says why — instead of waiting forever as "queued" or turning the request into an error page."""
    from . import tasks

    try:
        tasks.run_job_task(job_id)
    except Exception:
        log.exception("job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED, message=QUEUE_DOWN_MESSAGE, finished_at=timezone.now())


INTERRUPTED_MESSAGE = "后台进程在执行中被停止，任务没有完成，也没有写入任何结果。请重新提交。"


def fail_interrupted_jobs() -> int:
    """Jobs left "running" by a worker that was killed (power cut, OOM, kill -9) end failed, visibly.

    Run before the worker starts (deploy/systemd/qicha-worker.service, ExecStartPre): only one worker runs, so at
    that moment nothing can really be running. A job writes in one transaction, so a killed one wrote nothing."""
    return Job.objects.filter(status=Status.RUNNING).update(
        status=Status.FAILED, message=INTERRUPTED_MESSAGE, finished_at=timezone.now())


def _report(job_id: int):
    def report(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(progress=percent, message=message[:500])

    return report


def run_job(job_id: int) -> None:
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), message="正在处理…")
    if not claimed:
        return  # already run (a retried delivery) or gone
    job = Job.objects.select_related("owner", "owner__unit").get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise Invalid(f"未知的任务类型：{job.kind}")
        output = handler.run(JobContext(job, _report(job_id)))
    except DomainError as exc:
        Job.objects.filter(pk=job_id).update(status=Status.FAILED, message=exc.message[:500],
                                             result={"error": exc.code, "details": exc.details},
                                             finished_at=timezone.now())
        return
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        if not connection.in_atomic_block:
            # Whatever broke may have left this connection unusable (an open cursor, a failed transaction): the
            # job must still be marked failed, never left "running".
            connection.close()
        Job.objects.filter(pk=job_id).update(status=Status.FAILED, message=FAILED_MESSAGE, finished_at=timezone.now())
        return
    Job.objects.filter(pk=job_id).update(
        status=Status.DONE, progress=100, message=output.result.get("message", "已完成")[:500],
        result=output.result, result_name=output.file_name, finished_at=timezone.now())


REVEALED_GONE = "含明文的结果文件已在下载后删除；如需再次下载，请重新导出"
REVEALED_EXPIRED = "含明文的结果文件已超过保存时限并删除；如需下载，请重新导出"


def open_result(job):
    """The result file, open for reading, or None when there is none. A file with identities in clear is handed out
    once: it is removed as it is opened (the open handle still reads it to the end) and the job says so."""
    if not job.has_file:
        return None
    path = result_dir(job.pk) / job.result_name
    if not path.exists():
        return None
    handle = path.open("rb")
    if job.holds_revealed:
        shutil.rmtree(result_dir(job.pk), ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(result_name="", message=f"{job.message}；{REVEALED_GONE}"[:500])
    return handle


def purge_revealed_results(now=None) -> int:
    """Delete result files with identities in clear that were not downloaded within REVEALED_EXPORT_TTL_HOURS."""
    from django.conf import settings

    cut_off = (now or timezone.now()) - timedelta(hours=settings.REVEALED_EXPORT_TTL_HOURS)
    purged = 0
    for job in Job.objects.filter(finished_at__lt=cut_off).exclude(result_name=""):
        if job.holds_revealed:
            shutil.rmtree(result_dir(job.pk), ignore_errors=True)
            Job.objects.filter(pk=job.pk).update(result_name="", message=f"{job.message}；{REVEALED_EXPIRED}"[:500])
            purged += 1
    return purged


def purge_old_results(now=None) -> int:
    """Delete result files older than RESULT_DAYS; the job rows stay as a record of who exported what."""
    cut_off = (now or timezone.now()) - timedelta(days=RESULT_DAYS)
    purged = 0
    for job in Job.objects.filter(finished_at__lt=cut_off).exclude(result_name=""):
        shutil.rmtree(result_dir(job.pk), ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(result_name="", message="结果文件已超过保存期限并清理，请重新生成")
        purged += 1
    return purged
