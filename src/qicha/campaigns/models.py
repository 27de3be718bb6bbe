from django.conf import settings
from django.db import models

from qicha.orgs.models import Unit


class Campaign(models.Model):
    """A special campaign (专项行动). Every date is configuration: the seed's own dates are placeholders."""

    name = models.CharField("行动名称", max_length=120)
    year = models.PositiveIntegerField("年度")
    document_no = models.CharField("文号", max_length=80, blank=True)
    description = models.TextField("说明", blank=True)
    organiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    participating_units = models.ManyToManyField(Unit, related_name="campaigns", verbose_name="参与单位")
    template_code = models.CharField("查摆模板", max_length=40, blank=True)
    report_due_day = models.PositiveSmallIntegerField("月报截止日", default=21)
    stage_summary_due = models.DateField("阶段总结报送时限", null=True, blank=True)
    clue_clearance_date = models.DateField("线索清仓见底时限", null=True, blank=True)
    final_summary_due = models.DateField("工作总结报送时限", null=True, blank=True)
    is_active = models.BooleanField("进行中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    class Kind(models.TextChoices):
        DEPLOY = "deploy", "安排部署阶段"
        RECTIFY = "rectify", "集中整改阶段"
        CONSOLIDATE = "consolidate", "巩固提升阶段"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=16, choices=Kind.choices)
    ordinal = models.PositiveSmallIntegerField("顺序")
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    tasks = models.TextField("阶段任务", blank=True)

    class Meta:
        ordering = ["campaign", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="phase_once_per_campaign")]

    def __str__(self) -> str:
        return self.get_kind_display()


class CheckItem(models.Model):
    """One of the campaign's check items: what to check (查), what to lay out (摆), and key points."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="check_items")
    ordinal = models.PositiveSmallIntegerField("序号")
    label = models.CharField("编号", max_length=8)
    title = models.CharField("简称", max_length=40)
    check_text = models.TextField("查")
    present_text = models.TextField("摆")
    key_points = models.TextField("工作重点", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["campaign", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["campaign", "ordinal"], name="check_item_ordinal_unique")]

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class SelfInspection(models.Model):
    """A unit's answer to one check item: what it did (摆), or 未发现问题 with the reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="self_inspections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="self_inspections")
    check_item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="self_inspections")
    statement = models.TextField("查摆情况", blank=True)
    no_problem_found = models.BooleanField("未发现问题", default=False)
    reason = models.TextField("未发现问题的理由", blank=True)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filled_at = models.DateTimeField("填报时间", auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "自查填报"
        verbose_name_plural = "自查填报"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "check_item"], name="self_inspection_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.check_item}"
