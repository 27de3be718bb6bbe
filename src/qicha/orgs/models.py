import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice
from treebeard.mp_tree import MP_Node

from qicha.core.scope import DataScope
from qicha.core.sensitive import SensitiveField, index_field


class UnitKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", "市局"
    PARTY_GROUP = "party_group", "局党组"
    CAMPAIGN_OFFICE = "campaign_office", "扫黑办"
    DEPARTMENT = "department", "局机关科室"
    SUBORDINATE = "subordinate", "局属单位"
    DISTRICT_BUREAU = "district_bureau", "区县局"
    DISTRICT_DEPARTMENT = "district_department", "区县局科室"
    DISTRICT_SUBORDINATE = "district_subordinate", "区县局属单位"


class Unit(MP_Node):
    """A unit (单位) in the tree; `path` makes "this unit and below" one indexed prefix match."""

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("单位类型", max_length=32, choices=UnitKind.choices)
    code = models.CharField("单位代码", max_length=32, unique=True, null=True, blank=True)
    # 行政区划代码 (GB/T 2260 + the statistics bureau's village codes): six digits for a county, twelve for a
    # village. Data comparison routes a beneficiary's case to the unit whose code is the beneficiary's county.
    region_code = models.CharField("行政区划代码", max_length=12, blank=True, default="", db_index=True)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Role(models.Model):
    code = models.SlugField("角色代码", max_length=40, unique=True)
    name = models.CharField("角色名称", max_length=60, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    permissions = models.JSONField("权限", default=list, blank=True)
    scope = models.CharField("数据权限", max_length=16, choices=DataScope.choices, default=DataScope.UNIT)
    custom_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="自定单位")
    is_builtin = models.BooleanField("内置", default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def custom_unit_ids(self) -> list[int]:
        if self.scope != DataScope.CUSTOM:
            return []
        cached = getattr(self, "_custom_unit_ids", None)
        if cached is None:
            cached = self._custom_unit_ids = [u.pk for u in self.custom_units.all()]
        return cached


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="users", verbose_name="所属单位")
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name="角色")
    phone = SensitiveField("联系电话", kind="phone")
    phone_index = index_field()
    must_change_password = models.BooleanField("首次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)
    version = models.PositiveIntegerField(default=1)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def cached_roles(self) -> list[Role]:
        """Roles (with custom units) loaded once per request object."""
        cached = getattr(self, "_cached_roles", None)
        if cached is None:
            cached = self._cached_roles = list(self.roles.prefetch_related("custom_units"))
        return cached

    def permission_codes(self) -> set[str]:
        return {code for role in self.cached_roles() for code in role.permissions}


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key_hash[:8]}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last N cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class SealedTOTPDevice(TOTPDevice):
    """django-otp's TOTP device with the seed sealed at rest: `key` holds the SM4-GCM ciphertext of the raw seed
    (core.crypto, the same key ring as the sensitive fields), never the hex seed a database reader could enrol.
    Every device the application creates or verifies goes through this class."""

    PURPOSE = "totp_seed"

    class Meta:
        proxy = True
        verbose_name = "动态口令设备"

    @property
    def bin_key(self) -> bytes:
        from qicha.core.crypto import decrypt_bytes

        return decrypt_bytes(self.key, self.PURPOSE)

    def save(self, *args, **kwargs):
        if is_plain_seed(self.key):
            self.key = seal_seed(self.key)
        super().save(*args, **kwargs)


def is_plain_seed(key: str) -> bool:
    return ":" not in key  # django-otp's own format is bare hex; sealed values carry "<key id>:"


def seal_seed(hex_key: str) -> str:
    from binascii import unhexlify

    from qicha.core.crypto import encrypt_bytes

    return encrypt_bytes(unhexlify(hex_key.encode()), SealedTOTPDevice.PURPOSE)


class PasswordReset(models.Model):
    """A password reset under 三员 dual control (docs/security.md, “重置密码”).

    The 系统管理员's reset makes the old password unusable and yields the first half of an activation code; the
    安全管理员 releases the second half. Only the user, holding both halves, sets a new password — neither
    administrator alone ever holds a usable credential. Only hashes of the halves are kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待安全管理员发放"
        RELEASED = "released", "待本人激活"
        USED = "used", "已激活"
        CANCELLED = "cancelled", "已作废"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_resets", verbose_name="账号")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="重置人")
    requested_at = models.DateTimeField("重置时间", auto_now_add=True)
    released_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="发放人")
    released_at = models.DateTimeField("发放时间", null=True, blank=True)
    finished_at = models.DateTimeField("激活或作废时间", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至")
    first_half = models.CharField(max_length=128)
    second_half = models.CharField(max_length=128, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "密码重置"
        verbose_name_plural = "密码重置"

    def __str__(self) -> str:
        return f"{self.user} 的密码重置"
