"""Supervision (R-SUP-2..4): responsibility and commitment letters and the checks on them, inspections with a
reproducible random draw, and accountability for units and people who fail."""

from django.conf import settings
from django.db import models

from qicha.campaigns.models import Campaign
from qicha.clues.models import Clue
from qicha.core.models import Attachment
from qicha.orgs.models import Unit, UnitKind
from qicha.problems.models import Problem


class LetterKind(models.TextChoices):
    RESPONSIBILITY = "responsibility", "目标责任书"
    COMMITMENT = "commitment", "落实领导责任和无涉黑涉恶问题承诺书"


# Who must sign which letter (the work plan, item 二): 局党组 ↔ 局属单位 for the responsibility letter; district
# bureaus, the bureau's departments and its subordinate units for the commitment letter.
EXPECTED_SIGNERS = {
    LetterKind.RESPONSIBILITY: (UnitKind.SUBORDINATE,),
    LetterKind.COMMITMENT: (UnitKind.DISTRICT_BUREAU, UnitKind.DEPARTMENT, UnitKind.SUBORDINATE),
}


class Letter(models.Model):
    """A signed letter: who signed for which unit, when, what it covers, and the scanned copy."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letters", verbose_name="专项行动")
    kind = models.CharField("类别", max_length=16, choices=LetterKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="letters", verbose_name="签订单位")
    signer = models.CharField("签订人", max_length=50)
    signer_title = models.CharField("职务", max_length=50, blank=True)
    counterpart = models.CharField("签订对象", max_length=100, blank=True)
    signed_on = models.DateField("签订日期")
    scope = models.TextField("责任或承诺事项")
    scan = models.ForeignKey(Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="letters",
                             verbose_name="扫描件")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "责任书承诺书"
        verbose_name_plural = "责任书承诺书"
        ordering = ["kind", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "unit"], name="letter_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"


class CheckResult(models.TextChoices):
    FULFILLED = "fulfilled", "履行到位"
    PROBLEM = "problem", "发现问题"
    BROKEN = "broken", "违反承诺"


class CommitmentCheck(models.Model):
    """A supervision check on a letter: when, who, how, what was found. Problems found open a linked problem;
    a broken commitment also an accountability record."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField("检查日期")
    checked_by = models.CharField("检查人", max_length=100)
    method = models.CharField("检查方式", max_length=100)
    result = models.CharField("检查结果", max_length=12, choices=CheckResult.choices)
    findings = models.TextField("检查情况")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, null=True, blank=True, related_name="commitment_checks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.letter} {self.checked_on}"


class InspectionKind(models.TextChoices):
    SPECIAL = "special", "专项督查"
    JOINT = "joint", "联合督查"
    RANDOM = "random", "随机抽查"
    THIRD_PARTY = "third_party", "第三方评估"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    IN_PROGRESS = "in_progress", "实施中"
    COMPLETED = "completed", "已完成"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "好"
    GOOD = "good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class Inspection(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections", verbose_name="专项行动")
    kind = models.CharField("检查方式", max_length=12, choices=InspectionKind.choices)
    title = models.CharField("名称", max_length=200)
    focus = models.TextField("检查重点", blank=True)
    partners = models.CharField("联合部门", max_length=200, blank=True)
    evaluator = models.CharField("第三方评估机构", max_length=200, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED)
    summary = models.TextField("总体评价", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "督导检查"
        verbose_name_plural = "督导检查"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectionTarget(models.Model):
    """One inspected unit, with its rating once inspected."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_targets", verbose_name="被检查单位")
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    notes = models.TextField("检查情况", blank=True)

    class Meta:
        ordering = ["inspection", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["inspection", "unit"], name="inspection_target_once")]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.unit}"


class InspectionInspector(models.Model):
    """An inspector on an inspection, optionally for one target (a random draw pairs them)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspectors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspections",
                             verbose_name="检查人员")
    target = models.ForeignKey(InspectionTarget, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="inspectors")

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "user", "target"], name="inspector_once")]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.user}"


class RiskProfile(models.Model):
    """A unit's risk factors for the random draw, kept by the office (open overdue problems are read live)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="risk_profile")
    service_coverage = models.PositiveIntegerField("服务对象（人）", default=0)
    funds = models.DecimalField("监管资金（万元）", max_digits=14, decimal_places=2, default=0)
    special_groups = models.PositiveIntegerField("特殊群体（人）", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.unit} 风险因素"


class RiskWeights(models.Model):
    """How much each factor counts in the draw; one row per campaign."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="risk_weights")
    service_coverage = models.DecimalField("服务对象权重", max_digits=6, decimal_places=2, default=1)
    funds = models.DecimalField("监管资金权重", max_digits=6, decimal_places=2, default=1)
    special_groups = models.DecimalField("特殊群体权重", max_digits=6, decimal_places=2, default=1)
    overdue_problems = models.DecimalField("逾期问题权重", max_digits=6, decimal_places=2, default=1)

    def __str__(self) -> str:
        return f"{self.campaign} 抽查权重"


class Draw(models.Model):
    """随机抽查的抽签: the seed and every input are kept, so anyone can run it again and get the same result."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="draw")
    seed = models.CharField("随机种子", max_length=64)
    algorithm = models.CharField("算法", max_length=40)
    inputs = models.JSONField("抽签输入")
    result = models.JSONField("抽签结果")
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.inspection} 抽签"


class Finding(models.Model):
    """A finding of an inspection at one unit; it becomes a problem with source `inspection`."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    target = models.ForeignKey(InspectionTarget, on_delete=models.PROTECT, related_name="findings")
    description = models.TextField("发现的问题")
    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="inspection_finding")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.description[:30]


class Failing(models.TextChoices):
    NEGLECT = "neglect", "不履行职责"
    INACTION = "inaction", "不作为"
    SLOW = "slow", "慢作为"
    DERELICTION = "dereliction", "失职失责"
    POOR_PROGRESS = "poor_progress", "工作推动不力"
    BROKEN_COMMITMENT = "broken_commitment", "违反承诺"
    OTHER = "other", "其他"


class AccountabilityForm(models.TextChoices):
    CRITICISM = "criticism", "通报批评"
    TALK = "talk", "约谈"
    ADMONITION = "admonition", "诫勉谈话"
    SELF_EXAMINATION = "self_examination", "责令检查"
    ORGANISATIONAL = "organisational", "组织处理"
    DISCIPLINARY = "disciplinary", "党纪政务处分"
    REFERRAL = "referral", "移送纪检监察"


class Accountability(models.Model):
    """问责: the unit (and, where a person is held to account, who), the failing, the form, the decision, and
    the problems, clues or commitment check behind it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="accountabilities",
                                 verbose_name="专项行动")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accountabilities", verbose_name="被问责单位")
    person = models.CharField("被问责人", max_length=50, blank=True)
    person_title = models.CharField("职务", max_length=50, blank=True)
    failing = models.CharField("问责情形", max_length=20, choices=Failing.choices)
    form = models.CharField("问责方式", max_length=20, choices=AccountabilityForm.choices)
    decision_no = models.CharField("决定文号", max_length=80)
    decided_on = models.DateField("决定日期")
    facts = models.TextField("问责事由")
    problems = models.ManyToManyField(Problem, blank=True, related_name="accountabilities", verbose_name="相关问题")
    clues = models.ManyToManyField(Clue, blank=True, related_name="accountabilities", verbose_name="相关线索")
    commitment_check = models.ForeignKey(CommitmentCheck, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="accountabilities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_form_display()}"
