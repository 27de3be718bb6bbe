"""A running job's lease: while the worker runs a job, a thread of its own renews `Job.heartbeat_at` every
JOB_HEARTBEAT_SECONDS, so a job whose worker vanished (kill -9, OOM, power cut) is recognised by its stale lease
(services.fail_vanished_jobs) instead of showing "进行中" forever.

The thread writes on its own database connection (Django's connections are per thread). That is also how progress
reported from inside the handler's transaction reaches the page: an import writes all its rows in ONE transaction,
and a progress update made on that transaction's connection would stay invisible until the commit — on PostgreSQL it
would even lock the job row against the lease. Progress reported outside a transaction is written at once.
"""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from .models import Job, Status

log = logging.getLogger(__name__)
MIN_GAP = 0.5  # seconds between two writes of the lease thread: progress may be reported far more often


class Lease:
    def __init__(self, job_id: int):
        self.job_id = job_id
        self._pending: tuple[int, str] | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"qicha-job-{job_id}-lease", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._wake.set()
        # On SQLite the thread may be waiting for the handler's write lock; it is free again by now.
        self._thread.join(timeout=settings.JOB_LEASE_SECONDS)
        return False

    def report(self, percent: int, message: str) -> None:
        if not connection.in_atomic_block:
            try:
                Job.objects.filter(pk=self.job_id, status=Status.RUNNING).update(
                    progress=percent, message=message[:500], heartbeat_at=timezone.now())
                return
            except DatabaseError:
                # Progress is advisory: a write that meets a lock (or a passing outage) must not fail the job.
                # The lease thread writes it on its next beat.
                log.warning("job %s: progress not written at once", self.job_id, exc_info=True)
        with self._lock:
            self._pending = (percent, message)
        self._wake.set()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self._wake.wait(settings.JOB_HEARTBEAT_SECONDS)
                self._wake.clear()
                if self._stop.is_set():
                    break
                self._beat()
                self._stop.wait(MIN_GAP)
        finally:
            connections.close_all()  # this thread's own connection

    def _beat(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, None
        fields = {"heartbeat_at": timezone.now()}
        if pending:
            fields |= {"progress": pending[0], "message": pending[1][:500]}
        try:
            Job.objects.filter(pk=self.job_id, status=Status.RUNNING).update(**fields)
        except DatabaseError:
            # A passing database outage: the next beat tries again (the lease is long enough for several misses).
            log.warning("job %s: lease not renewed", self.job_id, exc_info=True)
            with self._lock:
                self._pending = self._pending or pending
            connections.close_all()
