from django.conf import settings
from django.db import models


class Status(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """One piece of long work (import, export, document) run by the worker for the user who asked for it.

    The work runs with the owner's data scope, so its result file belongs to the owner alone.
    """

    kind = models.CharField("任务类型", max_length=60)
    label = models.CharField("任务", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_name = models.CharField("结果文件", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The running job's lease: its worker renews it every JOB_HEARTBEAT_SECONDS. A job whose lease is older than
    # JOB_LEASE_SECONDS lost its worker (kill -9, OOM, power cut) and is failed by services.fail_vanished_jobs.
    heartbeat_at = models.DateTimeField("心跳", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "后台任务"

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    @property
    def interrupted(self) -> bool:
        """Failed because its worker stopped mid-way, not because of the work itself: it may be run again."""
        return self.status == Status.FAILED and bool(self.result.get("interrupted"))

    @property
    def has_file(self) -> bool:
        return self.status == Status.DONE and bool(self.result_name)

    @property
    def holds_revealed(self) -> bool:
        """The result shows identities in clear (an exporter reports how many in `result["revealed"]`)."""
        return bool(self.result.get("revealed"))

    @property
    def revealed_expires_at(self):
        from datetime import timedelta

        if not (self.holds_revealed and self.finished_at):
            return None
        return self.finished_at + timedelta(hours=settings.REVEALED_EXPORT_TTL_HOURS)
