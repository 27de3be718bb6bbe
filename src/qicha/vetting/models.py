"""Village organisations (R-SEC-4): the county's 村“两委” candidate 联审, the problem-member ledger, the 2019 回头看.

A `VettingRound` (联审批次) asks several departments (`RoundDepartment`, each answered for by named accounts of the
联审部门 role) about a list of `Candidate`s; each department gives one `Opinion` per candidate. A candidate's result is
derived from the opinions (and a reviewed decision, when the county records one), never stored. Identity numbers are
SM4-sealed with a blind index (core.sensitive) and shown masked everywhere.
"""

from django.conf import settings
from django.db import models

from qicha.core.sensitive import SensitiveField, index_field
from qicha.orgs.models import Unit


class RoundStatus(models.TextChoices):
    OPEN = "open", "联审中"
    CLOSED = "closed", "已结束"


class Verdict(models.TextChoices):
    NO_OBJECTION = "none", "无异议"
    OBJECTION = "objection", "有异议"


class Ground(models.TextChoices):
    CRIMINAL = "criminal", "受过刑事处罚"
    GANG = "gang", "涉黑涉恶"
    VILLAGE_BULLY = "bully", "村霸"
    CLAN = "clan", "宗族恶势力"
    DISCIPLINE = "discipline", "违纪违法"
    OTHER = "other", "其他"


class Result(models.TextChoices):
    PENDING = "pending", "待答复"
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"


class VettingRound(models.Model):
    election = models.CharField("换届选举", max_length=100)
    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="联审地区")
    deadline = models.DateField("答复截止日期")
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    prechecked_at = models.DateTimeField("比对时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "联审批次"
        verbose_name_plural = "联审批次"
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.election


class RoundDepartment(models.Model):
    """One department asked in a round; its accounts answer for it and see only this round's candidates."""

    round = models.ForeignKey(VettingRound, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField("部门", max_length=60)
    accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="vetting_departments",
                                      verbose_name="答复账号")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "联审部门"
        verbose_name_plural = "联审部门"
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="vetting_department_once_per_round")]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    round = models.ForeignKey(VettingRound, on_delete=models.CASCADE, related_name="candidates")
    number = models.PositiveIntegerField("序号")
    village = models.CharField("村（社区）", max_length=100)
    name = models.CharField("姓名", max_length=50)
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    post = models.CharField("拟任职务", max_length=60)
    party_member = models.BooleanField("中共党员", default=False)
    serving = models.BooleanField("现任村“两委”成员", default=False)
    # 比对提示 from the registered negative lists: [{"ground", "source"}]; a hint, never a decision.
    precheck_hits = models.JSONField(default=list, blank=True)
    decision = models.CharField("复核决定", max_length=16, choices=[(Result.PASS, "通过"), (Result.FAIL, "不通过")],
                                blank=True)
    decision_reason = models.TextField("复核理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "联审候选人"
        verbose_name_plural = "联审候选人"
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "id_number_index"], name="vetting_candidate_once_per_round"),
            models.UniqueConstraint(fields=["round", "number"], name="vetting_candidate_number"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.name}"


class Opinion(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(RoundDepartment, on_delete=models.CASCADE, related_name="opinions")
    verdict = models.CharField("意见", max_length=16, choices=Verdict.choices)
    ground = models.CharField("异议依据", max_length=16, choices=Ground.choices, blank=True)
    note = models.TextField("备注", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = "部门联审意见"
        verbose_name_plural = "部门联审意见"
        constraints = [models.UniqueConstraint(fields=["candidate", "department"], name="vetting_one_opinion")]

    def __str__(self) -> str:
        return f"{self.department.name}：{self.get_verdict_display()}"

    @property
    def text(self) -> str:
        if self.verdict == Verdict.NO_OBJECTION:
            return "无异议"
        note = f"：{self.note}" if self.note else ""
        return f"有异议（{self.get_ground_display()}）{note}"


class NegativeList(models.Model):
    """An imported negative list (刑事处罚、涉黑涉恶、村霸 …): compared by blind index, no plain number at rest."""

    source = models.CharField("名单来源", max_length=100)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=200, blank=True)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "负面清单"
        verbose_name_plural = "负面清单"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.source


class NegativeListEntry(models.Model):
    list = models.ForeignKey(NegativeList, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField("姓名", max_length=50)
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    ground = models.CharField("依据", max_length=60)

    class Meta:
        verbose_name = "负面清单人员"
        verbose_name_plural = "负面清单人员"

    def __str__(self) -> str:
        return f"{self.list.source} {self.name}"


class MemberSource(models.TextChoices):
    VETTING = "vetting", "联审"
    REVIEW = "review", "回头看"
    REPORT = "report", "举报"
    CASE = "case", "案件"


class MemberAction(models.TextChoices):
    RECALL = "recall", "罢免"
    RESIGN = "resign", "责令辞职"
    PERSUADE = "persuade", "劝退"
    SUSPEND = "suspend", "暂停职务"
    DISQUALIFY = "disqualify", "取消候选人资格"
    OTHER = "other", "其他"


class ProblemMember(models.Model):
    """基层组织问题成员台账: a serving member found with a problem, cleaned out, and the post refilled (补齐配强).
    A row is complete only when the refill is recorded (derived from `refilled_on`)."""

    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属地区")
    village = models.CharField("村（社区）", max_length=100)
    name = models.CharField("姓名", max_length=50)
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    post = models.CharField("职务", max_length=60)
    problem = models.TextField("存在问题")
    ground = models.CharField("问题类别", max_length=16, choices=Ground.choices, blank=True)
    source = models.CharField("来源", max_length=16, choices=MemberSource.choices)
    action = models.CharField("处置方式", max_length=16, choices=MemberAction.choices)
    cleaned_on = models.DateField("清理日期")
    refill_name = models.CharField("补齐人员", max_length=50, blank=True)
    refilled_on = models.DateField("补齐日期", null=True, blank=True)
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="ledger_entry")
    review_member = models.OneToOneField("ReviewMember", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="ledger_entry")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "基层组织问题成员"
        verbose_name_plural = "基层组织问题成员台账"
        ordering = ["-cleaned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.village} {self.name}"

    @property
    def complete(self) -> bool:
        return self.refilled_on is not None


class ReviewDecision(models.TextChoices):
    KEEP = "keep", "维持"
    CLEAR = "clear", "清理"


class ReviewMember(models.Model):
    """回头看: a member vetted in the 2019 round, compared again and kept or cleared."""

    region = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="所属地区")
    term = models.CharField("届次", max_length=20, default="2019")
    village = models.CharField("村（社区）", max_length=100)
    name = models.CharField("姓名", max_length=50)
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    post = models.CharField("职务", max_length=60)
    precheck_hits = models.JSONField(default=list, blank=True)
    prechecked_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField("回头看结论", max_length=8, choices=ReviewDecision.choices, blank=True)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "回头看成员"
        verbose_name_plural = "回头看成员"
        ordering = ["region", "village", "pk"]
        constraints = [models.UniqueConstraint(fields=["term", "id_number_index"], name="vetting_review_once")]

    def __str__(self) -> str:
        return f"{self.village} {self.name}"
