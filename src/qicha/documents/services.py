"""Writing the summaries: saving the narrative (compare-and-set on `version`) and generating the Word document.

Only holders of `summary.edit` (the office) write summaries; anyone else is told there is nothing here (404).
"""

from datetime import date

from django.db import IntegrityError, transaction

from qicha.campaigns.models import Campaign
from qicha.campaigns.queries import get_campaign
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import has_permission
from qicha.core.versioning import claim_version
from qicha.jobs.services import start_job

from . import queries
from .models import SummaryDraft
from .summary import DraftContent, build_document, default_content, file_name

PERMISSION = queries.PERMISSION
FIELDS = ["campaign", "kind", "title", "issuer", "issued_on", "sections"]
MAX_SECTIONS = 10
LIMITS = {"title": ("标题", 200), "issuer": ("署名", 100)}
HEADING_LIMIT = 40
TEXT_LIMIT = 20_000


def _require(actor) -> None:
    if not has_permission(actor, PERMISSION):
        raise NotFound()


def as_of_for(campaign: Campaign, kind: str, as_of: date | None) -> date:
    """The day the figures are counted at: the one chosen, else the stage's end (stage summary) or today."""
    return as_of or queries.default_as_of(campaign, kind)


def current_content(actor, campaign: Campaign, kind: str, as_of: date | None = None) -> DraftContent:
    """The saved draft, or the defaults written from the figures in the actor's scope as of `as_of`."""
    _require(actor)
    draft = queries.draft_of(actor, campaign, kind)
    if draft is not None:
        return DraftContent(title=draft.title, issuer=draft.issuer, issued_on=draft.issued_on,
                            sections=draft.sections, version=draft.version)
    return default_content(campaign, kind, queries.summary_figures(actor, campaign, as_of_for(campaign, kind, as_of)))


def default_draft(actor, campaign: Campaign, kind: str, as_of: date | None = None) -> DraftContent:
    """The default text, written from the figures as of `as_of` in the actor's scope (to start over from)."""
    _require(actor)
    kind = queries.get_kind(kind)
    return default_content(campaign, kind, queries.summary_figures(actor, campaign, as_of_for(campaign, kind, as_of)))


def _clean(title, issuer, issued_on, sections) -> tuple[dict, dict]:
    errors = {}
    title = "\n".join(line.strip() for line in (title or "").splitlines() if line.strip())  # browsers post \r\n
    fields = {"title": title, "issuer": (issuer or "").strip(), "issued_on": issued_on}
    for name, (label, limit) in LIMITS.items():
        if not fields[name]:
            errors[name] = f"请填写{label}。"
        elif len(fields[name]) > limit:
            errors[name] = f"{label}不超过 {limit} 字。"
    if not isinstance(issued_on, date):
        errors["issued_on"] = "请填写成文日期（YYYY-MM-DD）。"
    cleaned = []
    for i, section in enumerate(sections or []):
        heading = str(section.get("heading") or "").strip()
        text = str(section.get("text") or "").replace("\r\n", "\n").strip()
        if not heading and not text:
            continue  # an emptied section is dropped
        if not heading:
            errors[f"sections.{i}.heading"] = "请填写该部分的标题。"
        elif len(heading) > HEADING_LIMIT:
            errors[f"sections.{i}.heading"] = f"标题不超过 {HEADING_LIMIT} 字。"
        if len(text) > TEXT_LIMIT:
            errors[f"sections.{i}.text"] = f"每部分正文不超过 {TEXT_LIMIT:,} 字。"
        cleaned.append({"heading": heading, "text": text})
    if not cleaned:
        errors["sections"] = "正文至少应有一个部分。"
    elif len(cleaned) > MAX_SECTIONS:
        errors["sections"] = f"正文最多 {MAX_SECTIONS} 个部分。"
    fields["sections"] = cleaned
    return fields, errors


def save_draft(actor, campaign: Campaign, kind: str, *, version: int | None, title: str, issuer: str,
               issued_on: date | None, sections: list[dict]) -> SummaryDraft:
    """Save the narrative. `version` is the one the editor started from (0 for the never-saved defaults);
    if someone saved in between, nothing is written and the editor is told to reload (409)."""
    _require(actor)
    kind = queries.get_kind(kind)
    fields, errors = _clean(title, issuer, issued_on, sections)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        draft = SummaryDraft.objects.filter(campaign=campaign, kind=kind).first()
        if draft is None:
            if version not in (0, None):
                raise Conflict("该总结已被他人删除或尚未保存，请刷新页面后重试。")
            try:
                with transaction.atomic():
                    draft = SummaryDraft.objects.create(campaign=campaign, kind=kind, updated_by=actor, **fields)
            except IntegrityError as exc:  # two first saves at once: the second is the stale one
                raise Conflict() from exc
            record_event(EventType.CREATE, actor=actor, obj=draft, after=snapshot(draft, FIELDS))
            return draft
        if version in (0, None):
            raise Conflict()  # edited from the defaults while someone else saved the first version
        before = snapshot(draft, FIELDS)
        claim_version(draft, version)
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.updated_by = actor
        draft.save(update_fields=[*fields, "updated_by", "updated_at"])
        record_event(EventType.UPDATE, actor=actor, obj=draft, before=before, after=snapshot(draft, FIELDS))
    return draft


def start_generation(actor, campaign: Campaign, kind: str, as_of: date | None = None):
    """Queue the Word document; the job page shows its progress and offers the file."""
    _require(actor)
    kind = queries.get_kind(kind)
    as_of = as_of_for(campaign, kind, as_of)
    return start_job(actor, "documents.summary", {"campaign": campaign.pk, "kind": kind.value, "as_of": as_of.isoformat()},
                     label=f"生成{kind.label}（Word，截至{as_of:%Y-%m-%d}）")


def generate_document(actor, campaign_id: int, kind: str, output_path_for, progress, as_of: date | None = None) -> dict:
    """What the job does: figures in the actor's scope + the saved narrative → a GB/T 9704 .docx; audited."""
    _require(actor)
    kind = queries.get_kind(kind)
    campaign = get_campaign(actor, campaign_id)
    progress(10, "正在汇总问题、线索、案件、问责等数据…")
    as_of = as_of_for(campaign, kind, as_of)
    figures = queries.summary_figures(actor, campaign, as_of)
    content = current_content(actor, campaign, kind, as_of)
    path = output_path_for(file_name(kind, campaign))
    written = build_document(content, figures, path, progress)
    draft = queries.draft_of(actor, campaign, kind)
    record_event(EventType.EXPORT, actor=actor, obj=draft, object_type="documents.summarydraft",
                 object_repr=content.title.replace("\n", "")[:300], action="summary_generate",
                 detail=f"生成{kind.label}Word文档：{path.name}（{f'第 {content.version} 版' if draft else '默认内容'}）")
    return {"path": path, "tables": written["tables"], "title": content.title.replace("\n", "")}
