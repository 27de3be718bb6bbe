from django.conf import settings
from django.db import models
from django.utils import timezone

from qicha.campaigns.models import Campaign, CheckItem, SelfInspection
from qicha.core.models import Attachment
from qicha.core.sensitive import SensitiveField
from qicha.orgs.models import Unit

from .numbers import format_problem_no


class Status(models.TextChoices):
    OPEN = "open", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted", "申请销号"
    CLOSED = "closed", "已销号"
    VOIDED = "voided", "已作废"


# Statuses in which a deadline still binds (overdue and due-soon are derived from these).
ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.SUBMITTED)


class RectificationType(models.TextChoices):
    IMMEDIATE = "immediate", "立即整改"
    DEADLINE = "deadline", "限期整改"
    LONG_TERM = "long_term", "长期整改"


class Source(models.TextChoices):
    SELF_INSPECTION = "self_inspection", "自查发现"
    INSPECTION = "inspection", "督导检查发现"
    GROUP_FEEDBACK = "group_feedback", "督导组反馈"
    CASE_ANALYSIS = "case_analysis", "案件剖析"
    PUBLIC_REPORT = "public_report", "群众反映"
    ASSIGNED = "assigned", "上级交办"


class FeedbackAspect(models.Model):
    """One aspect (方面) of the inspection group's feedback: "X个方面X个问题" (R-SUP-1)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="feedback_aspects")
    ordinal = models.PositiveSmallIntegerField("序号")
    title = models.CharField("方面", max_length=200)

    class Meta:
        ordering = ["campaign", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["campaign", "ordinal"], name="aspect_ordinal_unique")]

    def __str__(self) -> str:
        return self.title


class Problem(models.Model):
    """A problem found (查摆问题), rectified by a named owner before a deadline and closed only with evidence."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="problems", verbose_name="专项行动")
    check_item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, null=True, blank=True, related_name="problems", verbose_name="查摆事项")
    self_inspection = models.ForeignKey(SelfInspection, on_delete=models.PROTECT, null=True, blank=True, related_name="problems")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="problems", verbose_name="责任单位")
    source = models.CharField("问题来源", max_length=20, choices=Source.choices)
    aspect = models.ForeignKey(FeedbackAspect, on_delete=models.PROTECT, null=True, blank=True, related_name="problems", verbose_name="反馈方面")
    description = models.TextField("问题描述")
    category = models.CharField("问题类别", max_length=60, blank=True)
    rectification_type = models.CharField("整改类型", max_length=12, choices=RectificationType.choices)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限")
    responsible_leader = models.CharField("责任领导", max_length=50, blank=True)
    responsible_department = models.CharField("责任部门", max_length=100, blank=True)
    # 责任人 is a name (anyone named in the ledger, with or without an account), with an optional post and phone.
    responsible_person_name = models.CharField("责任人", max_length=50, blank=True)
    responsible_person_post = models.CharField("责任人职务", max_length=50, blank=True)
    responsible_person_phone = SensitiveField("责任人电话", kind="phone")
    # The account the name matched (an active user of the problem's unit, or of a unit below it), if any: that user
    # gets the to-dos, the 工作台's "mine" figures and the reminders.
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="problems",
        verbose_name="责任人账号"
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    return_reason = models.TextField("退回理由", blank=True)  # set by 退回, cleared by the next 申请销号
    void_reason = models.TextField("作废理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "查摆问题"
        verbose_name_plural = "查摆问题"
        # The ledger sorts by deadline and filters by status: these keep its first page an index walk.
        indexes = [
            models.Index(fields=["status", "deadline", "id"]),
            models.Index(fields=["deadline", "id"]),
            # Also the cockpit's overdue problems per unit and check item, from the index alone.
            models.Index(fields=["campaign", "status", "deadline", "unit", "check_item"], name="problem_campaign_due_idx"),
            # Covers a unit's counters, overdue and 待落实责任人 counts (the 工作台 counts index ranges, core.workbench).
            models.Index(fields=["unit", "status", "deadline", "responsible_person_name"], name="problem_unit_counts_idx"),
            # Someone's own problems (分配给我的). Partial: most problems name an owner who has no account (NULL), and
            # with them in the index SQLite's statistics rate an owner as ~half the table and scan the viewer's units.
            models.Index(fields=["responsible_person", "status"], condition=models.Q(responsible_person__isnull=False),
                         name="problem_owned_idx"),
            # A person's (or nobody's) problems in deadline order: the 工作台's first rows without sorting them all.
            models.Index(fields=["responsible_person", "deadline", "status"], name="problem_owner_deadline_idx"),
            # 被退回的: few rows, asked for on every 工作台 (listed in deadline order, counted by status and unit).
            models.Index(fields=["deadline", "id"], condition=~models.Q(return_reason=""), name="problem_returned_idx"),
            models.Index(fields=["status", "unit"], condition=~models.Q(return_reason=""),
                         name="problem_returned_unit_idx"),
            # 待落实责任人: problems that arrived without an owner (few), counted per status and unit on every 工作台.
            models.Index(fields=["status", "unit", "responsible_person_name"],
                         condition=models.Q(responsible_person_name=""), name="problem_no_owner_idx"),
            # The coverage cells: does this unit have a live problem under this item (one probe per cell); and the
            # cockpit's one pass per (unit, check item): found, closed, voided, overdue and per 整改类型, streaming in
            # the index's order and answered from it alone (a district's view reads its units' ranges).
            models.Index(fields=["campaign", "unit", "check_item", "status", "deadline", "rectification_type"],
                         name="problem_cell_idx"),
            # The cockpit's 整改类型 per unit (streaming in the index's order; a district's view reads its units'
            # ranges) and its weekly trend (the problems registered in each week: a range of the second index per
            # week, no per-row test of twelve week ends; for a district, a range per unit of the third), counted from
            # the indexes alone.
            models.Index(fields=["campaign", "unit", "rectification_type"], name="problem_cockpit_type_idx"),
            models.Index(fields=["campaign", "created_at", "status", "unit"], name="problem_cockpit_created_idx"),
            models.Index(fields=["campaign", "unit", "created_at", "status"], name="problem_cockpit_unit_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{format_problem_no(self.pk) if self.pk else '新问题'} {self.description[:30]}"

    @property
    def responsible_person_label(self) -> str:
        """The 责任人 as shown: name, with the post when given."""
        name = self.responsible_person_name
        return f"{name}（{self.responsible_person_post}）" if name and self.responsible_person_post else name

    @property
    def days_left(self) -> int | None:
        """Days to the deadline (negative once overdue); derived on read, never stored."""
        if self.status not in ACTIVE_STATUSES:
            return None
        return (self.deadline - timezone.localdate()).days

    @property
    def overdue(self) -> bool:
        days = self.days_left
        return days is not None and days < 0


class Milestone(models.Model):
    """A step of a 限期整改 backward schedule or a 长期整改 plan."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="milestones")
    ordinal = models.PositiveSmallIntegerField()
    title = models.CharField("节点", max_length=200)
    due_date = models.DateField("完成时限")
    done = models.BooleanField("已完成", default=False)

    class Meta:
        ordering = ["problem", "ordinal"]

    def __str__(self) -> str:
        return self.title


class ProgressEntry(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="progress_entries")
    text = models.TextField("整改进展")
    percent = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="progress_entries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["problem", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


SIX_CHECKS = {
    "facts_clear": "问题查清",
    "rectified": "整改到位",
    "responsibility_fixed": "责任落实",
    "public_satisfied": "群众满意",
    "loophole_closed": "漏洞堵住",
    "weakness_fixed": "短板补齐",
}


class SignOff(models.Model):
    """销号: the office's sign-off with the six 不放过 answered. One per problem (the database enforces it)."""

    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="sign_off")
    checks = models.JSONField("六个不放过")
    opinion = models.TextField("销号意见")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="sign_offs")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"销号 {self.problem_id}"


class LastingRule(models.Model):
    """制度成果 (R-PRB-6): a rule or norm the campaign produced, with the problems it closes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="lasting_rules")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="lasting_rules", verbose_name="制定单位")
    title = models.CharField("制度名称", max_length=200)
    document_no = models.CharField("文号", max_length=80, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    summary = models.TextField("主要内容", blank=True)
    problems = models.ManyToManyField(Problem, blank=True, related_name="lasting_rules", verbose_name="对应问题")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title
