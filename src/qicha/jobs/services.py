"""Starting and running jobs. `start_job` is the one way work reaches the worker; `run_job` is what the worker does."""

import logging
import shutil
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from qicha.core.errors import Conflict, DomainError, Invalid, NotFound

from .lease import Lease
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


def confirm_preview_once(actor, preview_id: int, *, preview_kind: str, confirm_kind: str, noun: str,
                         label: str) -> Job:
    """Confirm an import's finished preview without errors, once: a second confirm (double click, the page and the
    API) is a Conflict naming the first, never a second job. `noun` says what is written (条记录, 条线索)."""
    from .queries import own_job, own_jobs

    preview = own_job(actor, preview_id)
    if preview.kind != preview_kind:
        raise NotFound()
    if preview.status != "done":
        raise Invalid("文件检查尚未完成或未通过，不能确认导入。")
    if not preview.result.get("can_confirm"):
        raise Invalid(f"预览中有错误或没有可导入的{noun[1:]}，不能确认导入。请改正后重新上传。")
    with transaction.atomic():
        # The preview's row is the lock two confirms of it queue on (SQLite transactions are IMMEDIATE already).
        Job.objects.select_for_update().filter(pk=preview.pk).first()
        earlier = (own_jobs(actor).filter(kind=confirm_kind, params__preview_job=preview.pk)
                   .exclude(status=Status.FAILED).first())
        if earlier is not None:
            if earlier.status == Status.DONE:
                raise Conflict(f"已导入：新增 {(earlier.result or {}).get('created', 0)} {noun}。同一文件不能重复导入。")
            raise Conflict(f"正在导入：该文件已确认导入，正在写入{noun[1:]}。")
        return start_job(actor, confirm_kind, {**preview.params, "preview_job": preview.pk},
                         label=f"{label}：写入“{preview.params.get('file_name', '')[:80]}”")


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
VANISHED_MESSAGE = "后台进程中断，任务未完成，可重试"
INTERRUPTED = {"interrupted": True}  # the job's `result`: the work itself did not fail, it may be run again


def fail_interrupted_jobs() -> int:
    """Jobs left "running" by a worker that was killed (power cut, OOM, kill -9) end failed, visibly.

    Run before the worker starts (deploy/systemd/qicha-worker.service, ExecStartPre): only one worker runs, so at
    that moment nothing can really be running. A job writes in one transaction, so a killed one wrote nothing.
    With several workers, or without a restart, the lease does it (fail_vanished_jobs)."""
    return Job.objects.filter(status=Status.RUNNING).update(
        status=Status.FAILED, message=INTERRUPTED_MESSAGE, result=INTERRUPTED, finished_at=timezone.now())


def fail_vanished_jobs(jobs=None, now=None) -> int:
    """Running jobs whose lease ran out — their worker stopped renewing it (kill -9, OOM, a lost machine) — end
    failed with the reason, and may be retried. `jobs` narrows the sweep (a page sweeps the jobs it shows); the
    periodic task sweeps all. A killed job wrote nothing: its handler writes in one transaction, rolled back when
    the worker's connection died.

    Reads first, so the usual case (nothing stale) writes nothing. On SQLite the update does not wait for the
    write lock: a job still writing its one transaction holds it (and cannot renew its lease meanwhile), so the
    lock being held is a sign of life and the next sweep tries again."""
    cut_off = (now or timezone.now()) - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    stale = Job.objects.filter(status=Status.RUNNING).filter(
        Q(heartbeat_at__lt=cut_off) | Q(heartbeat_at__isnull=True, started_at__lt=cut_off))
    if jobs is not None:
        stale = stale.filter(pk__in=[job.pk for job in jobs])
    ids = list(stale.values_list("pk", flat=True))
    if not ids or not _may_write_without_waiting():
        return 0
    # The lease is checked again by the update itself: a beat may have come in meanwhile.
    failed = stale.filter(pk__in=ids).update(
        status=Status.FAILED, message=VANISHED_MESSAGE, result=INTERRUPTED, finished_at=timezone.now())
    if failed:
        log.warning("jobs %s: the worker vanished (lease older than %s s); marked failed", ids,
                    settings.JOB_LEASE_SECONDS)
    return failed


def _may_write_without_waiting() -> bool:
    """On SQLite, False while another connection holds the write lock (probed with a zero busy timeout); elsewhere
    True (PostgreSQL locks rows, and a killed worker's locks go with its connection)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return True
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        waited = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
            return True
        except OperationalError:
            return False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def retry_job(actor, job) -> Job:
    """Start an interrupted job again for its owner with the same parameters (an import confirm reads the same
    stashed file again: the killed attempt wrote nothing). A job is retried once; the new job names the one it
    retries in params["retry_of"]. The handler checks again, as it runs, what it always checks (scope, rights)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk, owner=actor).first()
        if locked is None:
            raise NotFound("任务不存在或不属于您")
        if not locked.interrupted:
            raise Invalid("只有因后台进程中断而失败的任务可以重试；其他失败请按提示改正后重新提交。")
        again = retry_of(locked)
        if again is not None:
            raise Conflict(f"该任务已重试（任务 {again.pk}），请查看该任务。")
        return start_job(actor, locked.kind, {**locked.params, "retry_of": locked.pk}, label=locked.label)


def retry_of(job) -> Job | None:
    """The job started to retry `job`, if any."""
    return Job.objects.filter(owner_id=job.owner_id, params__retry_of=job.pk).first()


def run_job(job_id: int, *, lease: bool = True) -> None:
    """Claim and run one queued job. With `lease` (the worker), a thread renews the job's lease while it runs;
    without (jobs run inside the request, QICHA_JOBS_IMMEDIATE), progress is written as it is reported."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now, message="正在处理…")
    if not claimed:
        return  # already run (a retried delivery) or gone
    job = Job.objects.select_related("owner", "owner__unit").get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise Invalid(f"未知的任务类型：{job.kind}")
        if lease:
            with Lease(job_id) as renewing:
                output = handler.run(JobContext(job, renewing.report))
        else:
            output = handler.run(JobContext(job, _report_now(job_id)))
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


def _report_now(job_id: int):
    def report(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(progress=percent, message=message[:500])

    return report


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
