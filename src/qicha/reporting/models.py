"""Monthly reporting (月度报送, R-REP-1), modelled on DHIS2's periodic data sets.

A `ReportingPeriod` is one month of a campaign: the seed says each unit reports its ledgers "于每月21日前报局扫黑办".
We read it the way the office files them: the report named for month M is due on M月21日 (the campaign's
`report_due_day`), and covers the ledgers as they stand on the day of submission; its statistical window runs from
the previous month's 21st to M月20日. A `Submission` is one expected unit's report for one period, carrying a frozen
snapshot of the unit's ledgers and the SM3 digest of its canonical JSON. On time, late, rates: derived, never stored.
"""

from django.conf import settings
from django.db import models

from qicha.campaigns.models import Campaign
from qicha.orgs.models import Unit


class ReportingPeriod(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reporting_periods")
    year = models.PositiveIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    start = models.DateField("统计起始日")
    end = models.DateField("统计截止日")
    due_date = models.DateField("报送截止日")
    requires_approval = models.BooleanField("须经单位领导审核", default=True)
    lock_after_due = models.BooleanField("逾期后锁定（不再接收报送）", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "报送期"
        verbose_name_plural = "报送期"
        ordering = ["campaign", "year", "month"]
        constraints = [models.UniqueConstraint(fields=["campaign", "year", "month"], name="period_once_per_month")]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def report_name(self) -> str:
        """"2026年12月报": a report is named for the month it is due in, not the month it covers."""
        return f"{self.year}年{self.month}月报"

    @property
    def schedule(self) -> str:
        """"12月21日截止，统计11月21日至12月20日", said with every name of the period so none is ambiguous."""
        start = f"{self.start.year}年" if self.start.year != self.due_date.year else ""
        return (f"{self.due_date.month}月{self.due_date.day}日截止，"
                f"统计{start}{self.start.month}月{self.start.day}日至{self.end.month}月{self.end.day}日")


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING_APPROVAL = "pending_approval", "待领导审核"
    SUBMITTED = "submitted", "已报送（待接收）"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已接收"


# Statuses in which the unit has reported (the snapshot is frozen): what 完整率 counts.
REPORTED_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)


class Submission(models.Model):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_submissions")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    note = models.TextField("报送说明", blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField("准备时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField("接收/退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    snapshot = models.JSONField("台账快照", null=True, blank=True)
    digest = models.CharField("快照摘要（SM3）", max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "月度报送"
        verbose_name_plural = "月度报送"
        ordering = ["period", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="submission_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.period}月度报送"


class ReturnedVersion(models.Model):
    """A report the office returned, kept whole: a resubmission never erases what was first reported."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="returned_versions")
    snapshot = models.JSONField("台账快照")
    digest = models.CharField("快照摘要（SM3）", max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField("退回时间")
    reason = models.TextField("退回理由")

    class Meta:
        ordering = ["returned_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} 退回于 {self.returned_at:%Y-%m-%d}"
