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
