"""Data comparison: the registers the office imports, the runs, and what a run found (per beneficiary, with its
pieces of evidence), reviewed by the unit that owns the beneficiary's county."""

from django.conf import settings
from django.db import models

from qicha.core.sensitive import SensitiveField, index_field


class RegisterKind(models.TextChoices):
    BENEFICIARIES = "beneficiaries", "低保对象"
    CADRES = "cadres", "村干部"
    CADRE_RELATIVES = "cadre_relatives", "村干部近亲属"
    DEATHS = "deaths", "死亡人员"
    VEHICLES = "vehicles", "车辆登记"
    COMPANIES = "companies", "工商登记人员"
    STATE_STAFF = "state_staff", "财政供养人员"
    NEGATIVE_LIST = "negative_list", "负面清单"


class Register(models.Model):
    """One imported register file. The bulk file is deleted after the run that reads it unless the office keeps
    it (`keep_file`); a negative list is also kept as blind-indexed entries (NegativeEntry) for the village 联审."""

    kind = models.CharField("名册类型", max_length=20, choices=RegisterKind.choices)
    file_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=200, blank=True)   # under var/screening/registers/, "" once deleted
    size = models.BigIntegerField("大小（字节）", default=0)
    digest = models.CharField("SHA-256", max_length=64)
    source = models.CharField("来源单位", max_length=100, blank=True)
    keep_file = models.BooleanField("比对后保留文件", default=False)
    rows = models.BigIntegerField("行数", null=True, blank=True)
    bad = models.BigIntegerField("问题行数", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_deleted_at = models.DateTimeField("文件删除时间", null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "比对名册"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file_name}"


class NegativeEntry(models.Model):
    """A row of a negative list, kept as the keyed SM3 digest of the identity number (never the number)."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="negative_entries")
    id_index = models.CharField(max_length=64, db_index=True)
    ground = models.CharField("事由", max_length=200, blank=True)

    def __str__(self) -> str:
        return f"负面清单条目 {self.pk}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "比对中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Run(models.Model):
    """One comparison: its inputs (files, digests, rows, bad rows), rules and parameters, engine and timings."""

    payment_month = models.CharField("发放月份", max_length=7)
    rules = models.JSONField("比对规则", default=list)
    params = models.JSONField("规则参数", default=dict)
    engine = models.CharField("比对引擎", max_length=10, default="duckdb")
    registers = models.ManyToManyField(Register, related_name="runs", verbose_name="名册")
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    message = models.CharField("说明", max_length=500, blank=True)
    inputs = models.JSONField("输入", default=dict)           # kind → {file, digest, rows, bad, bad_rows}
    seconds = models.JSONField("各阶段用时（秒）", default=dict)
    hits_per_rule = models.JSONField(default=dict)
    hits_per_county = models.JSONField(default=dict)
    beneficiaries_flagged = models.PositiveIntegerField("命中对象数", default=0)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")  # the office that ran it
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "比对批次"

    def __str__(self) -> str:
        return f"数据比对第 {self.pk} 批（{self.payment_month}）"


class HitStatus(models.TextChoices):
    NEW = "new", "待核查"
    VERIFYING = "verifying", "待核实"
    CONFIRMED = "confirmed", "属实"
    REJECTED = "rejected", "不属实"


class Hit(models.Model):
    """A beneficiary a run flagged (its evidence rows below), routed to the unit owning the county."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="hits")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="核查单位")
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    name = models.CharField("姓名", max_length=50)
    household_id = models.CharField("户编号", max_length=50, blank=True)
    county_code = models.CharField("区县代码", max_length=12, blank=True, db_index=True)
    village_code = models.CharField("村（社区）代码", max_length=12, blank=True)
    monthly_amount = models.DecimalField("月保障金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    rules = models.JSONField("命中规则", default=list)
    status = models.CharField("核查结论", max_length=10, choices=HitStatus.choices, default=HitStatus.NEW)
    reason = models.CharField("说明", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The one-click results of a confirmed hit; the row and the clue name the hit in their text (the way back).
    ledger_row = models.ForeignKey("ledgers.LedgerRow", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="低保台账记录")
    clue = models.ForeignKey("clues.Clue", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="线索")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["county_code", "id"]
        verbose_name = "比对命中"
        indexes = [models.Index(fields=["status", "id"]), models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"比对命中 {self.pk}"


class Evidence(models.Model):
    """One piece of evidence (one hit row of the engine) for a flagged beneficiary."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="evidence")
    rule = models.CharField("规则", max_length=4, db_index=True)
    ev1 = models.CharField(max_length=200, blank=True)
    ev2 = models.CharField(max_length=200, blank=True)
    ev3 = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rule", "id"]

    def __str__(self) -> str:
        return f"{self.rule} 证据 {self.pk}"
