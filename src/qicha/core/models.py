from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One act in the system: append-only, never edited or deleted through the app.

    Business timelines are read from here, so history has one source.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    class EventType(models.TextChoices):
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKOUT = "lockout", "账户锁定"
        PASSWORD_CHANGE = "password_change", "修改密码"
        TOKEN_ISSUED = "token_issued", "签发令牌"
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        TRANSITION = "transition", "流转"
        VOID = "void", "作废"
        IMPORT = "import", "导入"
        EXPORT = "export", "导出"
        PERMISSION_CHANGE = "permission_change", "权限变更"
        SETTING_CHANGE = "setting_change", "设置变更"
        REVEAL = "reveal", "查看明文"
        ACCESS_DENIED = "access_denied", "越权访问"

    # The hash chain: seq numbers every event; hash = HMAC-SM3(key, prev_hash | canonical event).
    seq = models.PositiveBigIntegerField(unique=True, null=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Names are copied so the record stays readable whatever later happens to the user or unit.
    actor_username = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(max_length=200, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    event_type = models.CharField(max_length=32, choices=EventType.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_event_type_display()}"


class AuditEventObject(models.Model):
    """A record one batch event is about, besides the event's own object: an import that registers 100,000
    problems is ONE chained event (its `after` lists every id, so the chain covers them); these rows only index
    it, so each problem's timeline finds its registration."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} in event {self.event_id}"


class AuditChainHead(models.Model):
    """The chain's tip (one row). Every audit write locks it, so events are chained in one line."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    # After old events are archived and purged, verification starts from this anchor.
    anchor_seq = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, blank=True)
    # HMAC-SM3 over the four values above: rewinding the head or moving the anchor needs the key.
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"audit head {self.seq}"


class Attachment(models.Model):
    """An uploaded file. The bytes live once per content hash under var/files; the row keeps who and what."""

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    name = models.CharField("文件名", max_length=160)
    kind = models.CharField("类型", max_length=8)  # pdf, jpg, png, docx, xlsx, doc, xls
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name

    @property
    def size_display(self) -> str:
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / 1024 / 1024:.1f} MB"
