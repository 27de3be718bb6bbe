"""总结文档 (R-REP-3): the narrative of the stage summary and the final summary, kept between edits.

The figures and tables are not stored: they are read from the ledgers each time the document is generated.
"""

from django.conf import settings
from django.db import models

from qicha.campaigns.models import Campaign


class Kind(models.TextChoices):
    STAGE = "stage", "阶段性总结"
    FINAL = "final", "工作总结"


class SummaryDraft(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="summary_drafts",
                                 verbose_name="专项行动")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("署名（发文机关）", max_length=100)
    issued_on = models.DateField("成文日期")
    # [{"heading": "工作开展情况", "text": "…"}]: the 一、二、… numbering is added when the document is built.
    sections = models.JSONField("正文各部分", default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "总结文稿"
        verbose_name_plural = "总结文稿"
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="summary_draft_once_per_kind")]

    def __str__(self) -> str:
        return self.title


class BriefingKind(models.TextChoices):
    BRIEFING = "briefing", "简报"
    NOTICE = "notice", "通报"


class Briefing(models.Model):
    """A 简报 (or a 通报) issued from the figures of a period: its 期号 runs per year (第X期), the text is what the
    office edited before generating; the .docx is built from it on each download."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="briefings", verbose_name="专项行动")
    kind = models.CharField("类别", max_length=10, choices=BriefingKind.choices, default=BriefingKind.BRIEFING)
    year = models.PositiveIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    period_start = models.DateField("统计起始日")
    period_end = models.DateField("统计截止日")
    masthead = models.CharField("刊头", max_length=60)
    title = models.CharField("标题", max_length=200)
    issuer = models.CharField("编发单位", max_length=100)
    issued_on = models.DateField("编发日期")
    lead = models.TextField("导语", blank=True)
    sections = models.JSONField("正文各部分", default=list)  # [{"heading", "text"}], numbered 一、二、… when built
    report_to = models.CharField("报", max_length=300, blank=True)
    copy_to = models.CharField("送", max_length=300, blank=True)
    send_to = models.CharField("发", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "简报"
        verbose_name_plural = "简报"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "number"], name="briefing_number_per_year")]

    def __str__(self) -> str:
        return f"{self.masthead}（{self.year}年第{self.number}期）"


class UnitSummaryStatus(models.TextChoices):
    DRAFT = "draft", "未提交"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已接收"


# A unit has handed its summary in (what the office's collection counts as 已报).
HANDED_IN = (UnitSummaryStatus.SUBMITTED, UnitSummaryStatus.ACCEPTED)


class UnitSummary(models.Model):
    """A unit's own 阶段性总结 or 工作总结, written by its liaison and handed to the office, collected like the monthly
    reports: 未提交 → 已提交 → 已接收, or 已退回 with a reason and submitted again. The text is typed, or the unit's
    own .docx / .pdf is attached (or both). On time and late are derived from the campaign's due dates."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="unit_summaries",
                                 verbose_name="专项行动")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="summaries", verbose_name="报送单位")
    status = models.CharField("状态", max_length=12, choices=UnitSummaryStatus.choices,
                              default=UnitSummaryStatus.DRAFT, db_index=True)
    text = models.TextField("总结正文", blank=True)
    file = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="总结文件")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField("撰写时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField("接收/退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "单位总结"
        verbose_name_plural = "单位总结"
        ordering = ["campaign", "kind", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "unit"], name="unit_summary_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.get_kind_display()}"
