"""Clues (线索) and cases (案件): intake, time-limited verification, replies, repeats and re-review, 一案一整治."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core.models import Attachment
from qicha.core.sensitive import SensitiveField, index_field
from qicha.orgs.models import Unit
from qicha.problems.models import Problem


class Source(models.TextChoices):
    CENTRAL_GROUP = "central_group", "中央督导组交办"
    HIGHER_OFFICE = "higher_office", "上级交办"
    LEADER_INSTRUCTION = "leader_instruction", "领导批示"
    PROACTIVE = "proactive", "主动排查"
    PUBLIC_REPORT = "public_report", "群众举报"
    TRANSFER = "transfer", "部门移送"


class Domain(models.TextChoices):
    SOCIAL_ORG = "social_org", "社会组织"
    SUBSISTENCE = "subsistence", "低保"
    FUNERAL = "funeral", "殡葬"
    GRASSROOTS = "grassroots", "基层组织"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "待分办"
    ASSIGNED = "assigned", "已分办"
    VERIFYING = "verifying", "核查中"
    VERIFIED = "verified", "已核查"
    CLOSED = "closed", "已办结"
    ESCALATED = "escalated", "提级复核中"


# Not yet verified: what 清仓见底 counts as left, and what the time limit still binds.
UNVERIFIED_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.VERIFYING, Status.ESCALATED)


class Result(models.TextChoices):
    TRUE = "true", "属实"
    PARTLY_TRUE = "partly_true", "部分属实"
    UNTRUE = "untrue", "不属实"
    UNFOUNDED = "unfounded", "查无实据"


# A matter closed with one of these that keeps being reported goes to 提级复核 (R-CLU-4).
NEGATIVE_RESULTS = (Result.UNTRUE, Result.UNFOUNDED)


class DayKind(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class TimeLimit(models.Model):
    """限时查处: how long a clue of one source may take, counted in calendar or working days."""

    source = models.CharField("线索来源", max_length=24, choices=Source.choices, unique=True)
    days = models.PositiveSmallIntegerField("办理时限（天）")
    day_kind = models.CharField("计算方式", max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)

    class Meta:
        verbose_name = "办理时限"
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.days}{self.get_day_kind_display()}"


class ClueBatch(models.Model):
    """交办批次: a list handed over at once (the central group's Excel list, a higher office's transfer)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="clue_batches")
    source = models.CharField("线索来源", max_length=24, choices=Source.choices)
    reference = models.CharField("批次号", max_length=80)
    received_date = models.DateField("交办日期")
    file_name = models.CharField("导入文件", max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "交办批次"
        ordering = ["-received_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "source", "reference"], name="clue_batch_reference_unique"),
        ]

    def __str__(self) -> str:
        return self.reference


class Clue(models.Model):
    """A clue (线索): received, assigned to a unit, verified within its time limit, answered and closed (销号)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="clues", verbose_name="专项行动")
    source = models.CharField("线索来源", max_length=24, choices=Source.choices)
    reference_no = models.CharField("线索编号", max_length=60, blank=True)
    batch = models.ForeignKey(ClueBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="clues",
                              verbose_name="交办批次")
    received_date = models.DateField("受理日期")
    content = models.TextField("反映内容")
    domain = models.CharField("涉及领域", max_length=16, choices=Domain.choices)
    region = models.CharField("涉及地区", max_length=100, blank=True)
    real_name = models.BooleanField("实名举报", default=False)
    # The reporter (R-CLU-6): encrypted, masked when shown, revealed only with a reason and audited.
    reporter_name = SensitiveField("举报人姓名", kind="name")
    reporter_name_index = index_field()
    reporter_id_number = SensitiveField("举报人身份证号", kind="id_number")
    reporter_id_number_index = index_field()
    reporter_phone = SensitiveField("举报人联系电话", kind="phone")
    reporter_phone_index = index_field()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="clues",
                             verbose_name="承办单位")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="clues", verbose_name="承办人")
    due_date = models.DateField("办理时限")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    result = models.CharField("核查结论", max_length=12, choices=Result.choices, blank=True)
    findings = models.TextField("核查情况", blank=True)
    verified_at = models.DateTimeField("核查完成时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    # Why a clue verified 属实 / 部分属实 closed without any 后续处置 (办结销号 asks for one or the other).
    no_follow_up_reason = models.TextField("未作后续处置的理由", blank=True)
    # The content's informative character bigrams (clues/similarity.py), kept so that intake compares a new
    # report against thousands of earlier ones without re-reading and re-cutting their text.
    match_shingles = models.TextField(blank=True, editable=False)
    repeat_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats",
                                  verbose_name="重复举报原线索")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "线索"
        verbose_name_plural = "线索"
        indexes = [
            models.Index(fields=["status", "due_date", "id"]),
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["campaign", "received_date"]),
            models.Index(fields=["handler", "status"]),
            # 件件有回音: the real-name reports verified or closed, by unit and campaign, counted from the index alone.
            models.Index(fields=["status", "unit", "real_name", "campaign"], name="clue_real_name_idx"),
            # The cockpit's 清仓见底, league table, results and sources: a campaign's clues per unit, status and
            # overdue or not, and per source and result, counted from the index alone.
            models.Index(fields=["campaign", "status", "due_date", "unit", "source", "result"],
                         name="clue_campaign_due_idx"),
            # The probe check at intake: one registrant's clues of the last hour.
            models.Index(fields=["created_by", "created_at"], name="clue_registrant_recent_idx"),
            # The cockpit, each pass streaming in an index's order (no sort, no table row): clues per status (a
            # range each, counted), the overdue ones and the real-name ones due a reply per unit; clues per source
            # and per result, a range each (a district's view reads its units' ranges of them); the real-name ones
            # with the clue id, so that "answered" is a semi-join of two indexes.
            models.Index(fields=["campaign", "status", "unit", "due_date", "real_name"], name="clue_cockpit_unit_idx"),
            models.Index(fields=["campaign", "source", "unit"], name="clue_cockpit_source_idx"),
            models.Index(fields=["campaign", "result", "unit"], name="clue_cockpit_result_idx"),
            models.Index(fields=["campaign", "status", "unit", "id"], condition=Q(real_name=True),
                         name="clue_cockpit_reply_idx"),
        ]
        constraints = [
            # Re-importing the same list finds the clue it already has instead of adding it twice.
            models.UniqueConstraint(fields=["campaign", "source", "reference_no"], condition=~Q(reference_no=""),
                                    name="clue_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"线索 {self.reference_no or '#' + str(self.pk)}"

    @property
    def days_left(self) -> int | None:
        """Days to the time limit while unverified (negative once late); derived, never stored."""
        if self.status not in UNVERIFIED_STATUSES:
            return None
        return (self.due_date - timezone.localdate()).days

    @property
    def overdue(self) -> bool:
        days = self.days_left
        return days is not None and days < 0

    @property
    def needs_reply(self) -> bool:
        return self.real_name and not self.replies.exists()


class SubjectKind(models.TextChoices):
    PERSON = "person", "人员"
    ORGANISATION = "organisation", "组织"


class ClueSubject(models.Model):
    """A person or organisation a clue is about (被反映人 / 被反映组织)."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField("类别", max_length=12, choices=SubjectKind.choices)
    name = models.CharField("名称", max_length=100)
    id_number = SensitiveField("身份证号", kind="id_number")
    id_number_index = index_field()
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)

    class Meta:
        ordering = ["clue", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class MatchKey(models.Model):
    """A keyed digest of one fact used to find repeat reports (identity number, credit code, name + region)."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="match_keys")
    kind = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clue", "kind", "digest"], name="clue_match_key_unique")]
        # Intake looks keys up by digest (and kind) and reads only the clue: an index holding all three answers
        # from the index alone. At 200,000 clues a common name's keys are some 1,200 rows, each otherwise a read
        # of the table (SQLite: 40 → 2 ms for that look-up).
        indexes = [models.Index(fields=["digest", "kind", "clue"], name="clue_match_key_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} of clue {self.clue_id}"


class CandidateDecision(models.TextChoices):
    PENDING = "pending", "待确认"
    LINKED = "linked", "已关联"
    DISMISSED = "dismissed", "非重复"


class RepeatCandidate(models.Model):
    """An earlier clue that may be about the same matter, with why (R-CLU-4)."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="repeat_candidates")
    earlier = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="later_candidates")
    score = models.FloatField("相似度")
    reasons = models.JSONField("依据")
    decision = models.CharField("处理", max_length=10, choices=CandidateDecision.choices,
                                default=CandidateDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["clue", "-score", "earlier_id"]
        constraints = [models.UniqueConstraint(fields=["clue", "earlier"], name="repeat_candidate_unique")]

    def __str__(self) -> str:
        return f"线索 #{self.clue_id} 疑似重复 #{self.earlier_id}"

    @property
    def content_similarity(self) -> float | None:
        """The content similarity the reasons state ("内容相似度 0.41：…"), the one figure the office is shown beside
        them; None when the wording is no reason (a name, a number). `score` only orders the candidates (the
        strongest reason's weight) and is not shown, so that the page never gives two figures for one pair."""
        return next((r["score"] for r in self.reasons if r.get("code") == "content"), None)


class FollowUpKind(models.TextChoices):
    POLICE = "police", "移送公安"
    DISCIPLINE = "discipline", "移送纪检监察"
    CASE_OPENED = "case_opened", "立案"
    RECTIFICATION = "rectification", "整改"
    OTHER = "other", "其他"


class FollowUp(models.Model):
    """后续处置: what was done with a verified clue, each with its date and document number."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField("处置方式", max_length=16, choices=FollowUpKind.choices)
    date = models.DateField("日期")
    document_no = models.CharField("文号", max_length=80)
    note = models.TextField("说明", blank=True)
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, null=True, blank=True, related_name="clue_follow_ups",
                                verbose_name="整改问题")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clue", "date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_no}"


class EvidenceCategory(models.TextChoices):
    VERIFICATION_REPORT = "report", "核查报告"
    INTERVIEW = "interview", "谈话笔录"
    REPLY_LETTER = "reply_letter", "答复函"
    DISPOSAL = "disposal", "处置文书"
    OTHER = "other", "其他材料"


class ClueEvidence(models.Model):
    """A file kept on a clue (核查报告, 谈话笔录, 答复函 …): the bytes are a core Attachment, stored by services."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="evidence")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="clue_evidence")
    category = models.CharField("材料类别", max_length=16, choices=EvidenceCategory.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clue", "created_at", "id"]
        verbose_name = "线索材料"
        verbose_name_plural = "线索材料"

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.attachment.name}"


class ReplyChannel(models.TextChoices):
    IN_PERSON = "in_person", "当面答复"
    PHONE = "phone", "电话答复"
    WRITTEN = "written", "书面答复"
    OTHER = "other", "其他"


class Reply(models.Model):
    """答复: what the reporter (or, after re-review, the family) was told and how they took it."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="replies")
    date = models.DateField("答复日期")
    channel = models.CharField("答复方式", max_length=12, choices=ReplyChannel.choices)
    content = models.TextField("答复内容", blank=True)
    reporter_response = models.TextField("举报人反馈")
    soothing = models.TextField("家属答复及情绪安抚情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clue", "date", "id"]

    def __str__(self) -> str:
        return f"答复 {self.date}"


class ReReview(models.Model):
    """提级复核: a higher office looks again at a matter reported anew after it was judged untrue."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="re_reviews")
    reason = models.TextField("提级理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField("复核结论", max_length=12, choices=Result.choices, blank=True)
    findings = models.TextField("复核情况", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Where the clue was before it was escalated, so that a mistaken escalation can be undone exactly
    # (撤销提级复核): its status, unit and handler; and the repeat link that escalated it, if the rule did.
    prior_status = models.CharField("提级前状态", max_length=12, choices=Status.choices, blank=True)
    prior_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    prior_handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    link = models.ForeignKey("RepeatCandidate", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="re_reviews", verbose_name="引起提级的重复关联")
    withdrawn_reason = models.TextField("撤销理由", blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        ordering = ["clue", "requested_at", "id"]

    def __str__(self) -> str:
        return f"提级复核 线索 #{self.clue_id}"


class CaseSource(models.TextChoices):
    CENTRAL_GROUP = "central_group", "中央督导组交办"
    LEADER_INSTRUCTION = "leader_instruction", "领导批示"
    HIGHER_OFFICE = "higher_office", "上级交办"
    CLUE = "clue", "线索立案"


class CaseStatus(models.TextChoices):
    OPEN = "open", "待办理"
    INVESTIGATING = "investigating", "办理中"
    CONCLUDED = "concluded", "已办结"
    CLOSED = "closed", "已销号"


class Case(models.Model):
    """A case tracked under supervision (跟踪督办) until concluded and closed with its 一案一整治 record."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cases", verbose_name="专项行动")
    name = models.CharField("案件名称", max_length=200)
    source = models.CharField("案件来源", max_length=24, choices=CaseSource.choices)
    reference_no = models.CharField("交办编号", max_length=60, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name="承办单位")
    received_date = models.DateField("交办日期")
    summary = models.TextField("基本案情")
    instruction = models.TextField("领导批示内容", blank=True)
    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                             verbose_name="来源线索")
    conclusion = models.TextField("办理结果", blank=True)
    status = models.CharField("状态", max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-received_date", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.name


class CaseProgress(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="progress_entries")
    text = models.TextField("办理进展")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="case_progress_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class SectorRectification(models.Model):
    """一案一整治 (R-CAS-2): the supervisory gap a case exposed in the bureau's domain and what was done about it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rectification")
    gap = models.TextField("暴露的行业监管漏洞")
    measures = models.TextField("整治措施")
    problems = models.ManyToManyField(Problem, blank=True, related_name="sector_rectifications",
                                      verbose_name="整改问题")
    no_problem_reason = models.TextField("未立整改问题的理由", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"一案一整治 {self.case_id}"
