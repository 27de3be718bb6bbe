from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One message in a user's inbox (消息通知): a reminder, a digest, a notice that something needs them.

    `dedupe_key` names the occasion ("overdue-digest:2026-11-26", "report-due:2026-11:3"); one user gets one message per
    occasion, so a rerun of a scheduled reminder delivers nothing twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name="接收人")
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=500, blank=True)
    # A list the message carries, e.g. a digest's problems: [{"text": ..., "link": ...}], shown as links.
    items = models.JSONField("条目", default=list, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "消息通知"
        indexes = [models.Index(fields=["user", "read_at"], name="notify_user_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""),
                                    name="notify_once_per_occasion"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
