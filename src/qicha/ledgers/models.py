"""Sector rectification ledgers (专项治理台账): definitions the office writes without code, and the rows units fill.

A row's values live in one JSON column (`values`, key → stored value as `columns.py` gives it). What lists filter on
exactly — choices, dates, units, yes/no, plates, links, and the blind indexes of identity numbers and phones — is also
written to `LedgerRowKey`, one narrow indexed row per (row, column, value), so a filter is an index range on any
database. Why not expression indexes on the JSON: see docs/architecture.md (measured in bench/ledger_rows.py).
"""

from django.conf import settings
from django.db import models

from qicha.orgs.models import Unit


class Frequency(models.TextChoices):
    ONCE = "once", "一次性"
    MONTHLY = "monthly", "按月"
    EVENT = "event", "随时（有则报）"


class LedgerDefinition(models.Model):
    """A ledger's definition: its columns are a list of dicts (see columns.py); every change is a new version."""

    key = models.SlugField("标识", max_length=40, unique=True)
    name = models.CharField("台账名称", max_length=100, unique=True)
    check_item = models.PositiveSmallIntegerField("服务的查摆事项（序号 1–7）", null=True, blank=True)
    unit_kinds = models.JSONField("填报单位类型", default=list, blank=True)  # orgs.UnitKind values; empty = any unit
    frequency = models.CharField("填报频次", max_length=10, choices=Frequency.choices, default=Frequency.EVENT)
    description = models.TextField("说明", blank=True)
    columns = models.JSONField("列", default=list)
    unique_columns = models.JSONField("不得重复的列组合", default=list, blank=True)  # column keys, per unit
    builtin = models.BooleanField("内置", default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "台账定义"

    def __str__(self) -> str:
        return self.name

    @property
    def visible_columns(self) -> list[dict]:
        return [column for column in self.columns if not column.get("hidden")]

    def column(self, key: str) -> dict | None:
        return next((column for column in self.columns if column["key"] == key), None)


class LedgerDefinitionVersion(models.Model):
    """The definition as it stood at one version (the columns a row was checked against)."""

    definition = models.ForeignKey(LedgerDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    columns = models.JSONField(default=list)
    unique_columns = models.JSONField(default=list)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["definition", "number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="ledger_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} 第{self.number}版"


class LedgerRow(models.Model):
    definition = models.ForeignKey(LedgerDefinition, on_delete=models.PROTECT, related_name="rows")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_rows", verbose_name="填报单位")
    values = models.JSONField(default=dict)
    definition_version = models.PositiveIntegerField(default=1)
    # SM3 of the canonical values (clear text of sealed ones): an identical re-import finds its rows and adds none.
    content_digest = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The problem this row opened in the problem ledger (整改), if any.
    problem = models.ForeignKey("problems.Problem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The text columns' values, folded (NFKC, lower case), one per line: a text search reads this one plain column
    # instead of extracting every text column from the JSON of every row (bench/ledger_rows.py).
    search_text = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = "台账记录"
        indexes = [
            models.Index(fields=["definition", "unit", "id"], name="ledger_row_def_unit"),
            models.Index(fields=["definition", "id"], name="ledger_row_def_id"),
            models.Index(fields=["definition", "content_digest"], name="ledger_row_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.name} 第{self.pk}条"


class LedgerRowKey(models.Model):
    """One exact-match value of a row's filterable column (a choice, a date, a unit id, a blind index …)."""

    row = models.ForeignKey(LedgerRow, on_delete=models.CASCADE, related_name="keys")
    definition = models.ForeignKey(LedgerDefinition, on_delete=models.CASCADE, related_name="+")
    column = models.CharField(max_length=40)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["definition", "column", "value", "row"], name="ledger_key_lookup")]

    def __str__(self) -> str:
        return f"{self.column}={self.value}"


class LedgerMonthFiling(models.Model):
    """That a unit filled a monthly ledger in a month: it added or edited rows then, or declared 本月无新增 (零报告).
    Written by the row services, so the 工作台's to-do and the units × months table read one narrow indexed row
    instead of the rows' dates."""

    definition = models.ForeignKey(LedgerDefinition, on_delete=models.CASCADE, related_name="filings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")  # the first day of the month (Beijing date)
    added = models.PositiveIntegerField("新增条数", default=0)
    nil = models.BooleanField("零报告", default=False)  # 本月无新增情况, declared by the unit
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    filed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["definition", "month", "unit"]
        verbose_name = "台账月度填报"
        constraints = [models.UniqueConstraint(fields=["definition", "unit", "month"], name="ledger_filing_unique")]
        indexes = [models.Index(fields=["definition", "month", "unit"], name="ledger_filing_month")]

    def __str__(self) -> str:
        return f"{self.definition.name} {self.month:%Y-%m} {self.unit_id}"
