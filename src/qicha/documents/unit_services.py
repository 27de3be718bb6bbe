"""Writes of the units' own summaries: the liaison writes (text, or the unit's .docx / .pdf) and submits; the office
accepts or returns with a reason. Every status change is a named act on UNIT_SUMMARY_WORKFLOW.

A summary is taken after its due date too (it then shows as 逾期 in the office's collection): the office still
needs it for its own summary.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core.attachments import store_upload
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission
from qicha.core.versioning import claim_version

from . import queries
from .models import UnitSummary
from .models import UnitSummaryStatus as S
from .unit_workflow import SUBMIT, UNIT_SUMMARY_WORKFLOW

W = UNIT_SUMMARY_WORKFLOW
TEXT_LIMIT = 20_000
FILE_KINDS = ("docx", "pdf")
FIELDS = ["campaign", "kind", "unit", "status", "text", "file"]
EDITABLE = (S.DRAFT, S.RETURNED)
NO_CONTENT = "请填写总结正文，或上传本单位的总结文件（.docx 或 .pdf）。"


def _own_unit(actor, campaign: Campaign):
    """The actor's unit, when they may write its summary and it takes part in the campaign; else nothing here."""
    unit = actor.unit
    if not has_permission(actor, SUBMIT) or unit is None or not can_act_on(actor, SUBMIT, unit):
        raise NotFound()
    if not campaign.participating_units.filter(pk=unit.pk).exists():
        raise Invalid(f"“{unit.name}”不是本专项行动的参与单位，无须报送总结。")
    return unit


def _clean_text(text) -> str:
    text = (text or "").replace("\r\n", "\n").strip() if isinstance(text, str) else ""
    if len(text) > TEXT_LIMIT:
        raise Invalid(details={"text": f"总结正文不超过 {TEXT_LIMIT:,} 字。"})
    return text


def _stored_file(actor, upload):
    if upload is None:
        return None
    attachment = store_upload(actor, upload)
    if attachment.kind not in FILE_KINDS:
        raise Invalid(details={"file": f"总结文件应为 Word（.docx）或 PDF，“{attachment.name}”不是。"})
    return attachment


def save_unit_summary(actor, campaign: Campaign, kind: str, *, text: str = "", upload=None,
                      remove_file: bool = False, version: int | None = None) -> UnitSummary:
    """Write (or rewrite, while 未提交 or 已退回) the actor's unit's summary; `version` is the one the form showed
    (0 or None for a first save)."""
    kind = queries.get_kind(kind)
    unit = _own_unit(actor, campaign)
    text = _clean_text(text)
    existing = UnitSummary.objects.filter(campaign=campaign, kind=kind, unit=unit).first()
    if existing is not None and existing.status not in EDITABLE:
        raise Invalid(f"本单位{kind.label}当前状态为“{existing.get_status_display()}”，不能再修改。")
    with transaction.atomic():
        # Stored inside the transaction: a refused save leaves the file unlinked (never on a summary).
        file = _stored_file(actor, upload)
        if file is None and not remove_file and existing is not None:
            file = existing.file
        if not text and file is None:
            raise Invalid(details={"text": NO_CONTENT})
        if existing is None:
            if version not in (0, None):
                raise Conflict("本单位的总结刚刚已被他人删除或改动，请刷新页面。")
            try:
                with transaction.atomic():
                    summary = UnitSummary.objects.create(campaign=campaign, kind=kind, unit=unit, text=text,
                                                         file=file, prepared_by=actor)
            except IntegrityError as exc:  # two first saves at once: the later one is stale
                raise Conflict(f"“{unit.name}”的{kind.label}刚刚已由他人保存，请刷新页面。") from exc
            record_event(EventType.CREATE, actor=actor, obj=summary, after=snapshot(summary, FIELDS))
            return summary
        if version in (0, None):
            raise Conflict(f"“{unit.name}”的{kind.label}刚刚已由他人保存，请刷新页面。")
        before = snapshot(existing, FIELDS)
        claim_version(existing, version, status__in=EDITABLE)
        existing.text, existing.file, existing.prepared_by = text, file, actor
        existing.save(update_fields=["text", "file", "prepared_by", "updated_at"])
        record_event(EventType.UPDATE, actor=actor, obj=existing, before=before, after=snapshot(existing, FIELDS))
    return existing


@W.act("submit")
def submit_unit_summary(actor, summary: UnitSummary, *, version: int) -> UnitSummary:
    """提交 to the office (again after a return): the writer becomes its 提交人."""
    step = W.begin(actor, summary, "submit")
    if not summary.text and summary.file_id is None:
        raise Invalid(details={"text": NO_CONTENT})
    step.apply(version=version, fields={"submitted_by": actor, "submitted_at": timezone.now(), "return_reason": ""})
    return summary


@W.act("return")
def return_unit_summary(actor, summary: UnitSummary, *, version: int, reason: str = "") -> UnitSummary:
    """退回 by the office, with the reason the unit reads."""
    step = W.begin(actor, summary, "return")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写退回理由。", {"reason": "请填写退回理由"})
    step.apply(version=version, detail=reason,
               fields={"return_reason": reason, "reviewed_by": actor, "reviewed_at": timezone.now()})
    return summary


@W.act("accept")
def accept_unit_summary(actor, summary: UnitSummary, *, version: int) -> UnitSummary:
    """接收 by the office: the summary can now be quoted in the office's own."""
    step = W.begin(actor, summary, "accept")
    step.apply(version=version, fields={"reviewed_by": actor, "reviewed_at": timezone.now()})
    return summary


def save_and_submit(actor, campaign: Campaign, kind: str, *, text: str = "", upload=None, remove_file: bool = False,
                    version: int | None = None) -> UnitSummary:
    """The page's 保存并提交: one transaction, so a refused submission keeps nothing of the save either."""
    with transaction.atomic():
        summary = save_unit_summary(actor, campaign, kind, text=text, upload=upload, remove_file=remove_file,
                                    version=version)
        return submit_unit_summary(actor, summary, version=summary.version)
