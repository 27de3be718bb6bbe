"""Huey tasks (djhuey discovers this module). The queue is a SQLite file under var/ by default, Redis in production
(QICHA_REDIS_URL); see settings.HUEY."""

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import services

__all__ = ["HUEY", "run_job_task"]


# Retried: a claim refused by a momentary lock (SQLite answers "locked" at once where the queries of another
# connection hold the table) would otherwise leave the job queued for good. Safe to repeat: the claim is a
# compare-and-set on "queued", and whatever fails after it is caught in run_job and marks the job failed.
@db_task(retries=3, retry_delay=1)
def run_job_task(job_id: int) -> None:
    # Run inside the request (QICHA_JOBS_IMMEDIATE, the tests), the job needs no lease: nothing can vanish under it.
    services.run_job(job_id, lease=not HUEY.immediate)


@db_periodic_task(crontab(minute="*"))
def fail_vanished_jobs() -> None:
    # Every minute: a job whose worker vanished ends failed within JOB_LEASE_SECONDS and a minute, pages or not.
    services.fail_vanished_jobs()


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_old_results() -> None:
    services.purge_old_results()


@db_periodic_task(crontab(minute="7"))
def purge_revealed_results() -> None:
    # Hourly, so a revealed export never outlives its time limit by more than an hour.
    services.purge_revealed_results()
