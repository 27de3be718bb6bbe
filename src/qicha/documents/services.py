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
from .briefing import BriefingContent, build_briefing, build_notice, default_briefing
from .models import Briefing, BriefingKind, SummaryDraft
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
    written = build_document(content, figures, path, progress,
                             quoted=queries.accepted_unit_summaries(actor, campaign, kind))
    draft = queries.draft_of(actor, campaign, kind)
    record_event(EventType.EXPORT, actor=actor, obj=draft, object_type="documents.summarydraft",
                 object_repr=content.title.replace("\n", "")[:300], action="summary_generate",
                 detail=f"生成{kind.label}Word文档：{path.name}（{f'第 {content.version} 版' if draft else '默认内容'}）")
    return {"path": path, "tables": written["tables"], "title": content.title.replace("\n", "")}


# ---- 简报 and 通报 (R-REP-5) ----

BRIEFING_LIMITS = {"masthead": ("刊头", 60), "title": ("标题", 200), "issuer": ("编发单位", 100),
                   "report_to": ("报送范围（报）", 300), "copy_to": ("抄送范围（送）", 300), "send_to": ("发送范围（发）", 300)}
BRIEFING_FIELDS = ["campaign", "kind", "year", "number", "period_start", "period_end", "masthead", "title", "issuer",
                   "issued_on", "lead", "sections", "report_to", "copy_to", "send_to"]


def briefing_defaults(actor, campaign: Campaign, start: date | None, end: date | None):
    """The draft for a period, written from its figures in the actor's scope; a bad period is an Invalid."""
    _require(actor)
    errors = {}
    if not isinstance(start, date):
        errors["period_start"] = "请填写统计起始日（YYYY-MM-DD）。"
    if not isinstance(end, date):
        errors["period_end"] = "请填写统计截止日（YYYY-MM-DD）。"
    if not errors and start > end:
        errors["period_end"] = "统计截止日不能早于起始日。"
    if errors:
        raise Invalid(details=errors)
    return default_briefing(actor, campaign, start, end)


def create_briefing(actor, campaign: Campaign, *, period_start: date, period_end: date, masthead: str, title: str,
                    issuer: str, issued_on: date | None, lead: str, sections: list[dict], report_to: str = "",
                    copy_to: str = "", send_to: str = "") -> Briefing:
    """Save the edited 简报 and give it the year's next 期号 (第X期, counted per year of its date)."""
    _require(actor)
    fields = {"masthead": (masthead or "").strip(), "title": " ".join((title or "").split()),
              "issuer": (issuer or "").strip(), "report_to": (report_to or "").strip(),
              "copy_to": (copy_to or "").strip(), "send_to": (send_to or "").strip()}
    errors = {}
    for name, (label, limit) in BRIEFING_LIMITS.items():
        if not fields[name] and name in ("masthead", "title", "issuer"):
            errors[name] = f"请填写{label}。"
        elif len(fields[name]) > limit:
            errors[name] = f"{label}不超过 {limit} 字。"
    if not isinstance(issued_on, date):
        errors["issued_on"] = "请填写编发日期（YYYY-MM-DD）。"
    if not (isinstance(period_start, date) and isinstance(period_end, date)) or period_start > period_end:
        errors["period_end"] = "统计期间不正确。"
    _, section_errors = _clean("-", "-", issued_on, sections)
    errors |= {k: v for k, v in section_errors.items() if k.startswith("sections")}
    lead = (lead or "").replace("\r\n", "\n").strip()
    if len(lead) > TEXT_LIMIT:
        errors["lead"] = f"导语不超过 {TEXT_LIMIT:,} 字。"
    if errors:
        raise Invalid(details=errors)
    cleaned = _clean("-", "-", issued_on, sections)[0]["sections"]
    for attempt in range(3):
        try:
            with transaction.atomic():
                year = issued_on.year
                last = Briefing.objects.filter(kind=BriefingKind.BRIEFING, year=year).order_by("-number").first()
                briefing = Briefing.objects.create(
                    campaign=campaign, kind=BriefingKind.BRIEFING, year=year, number=(last.number if last else 0) + 1,
                    period_start=period_start, period_end=period_end, issued_on=issued_on, lead=lead,
                    sections=cleaned, created_by=actor, **fields)
                record_event(EventType.CREATE, actor=actor, obj=briefing, after=snapshot(briefing, BRIEFING_FIELDS))
                return briefing
        except IntegrityError:  # two saved at once took the same 期号: take the next one
            if attempt == 2:
                raise Conflict("期号已被占用，请重试。") from None
    raise Conflict()


def briefing_docx(actor, briefing: Briefing) -> tuple[bytes, str]:
    _require(actor)
    content = BriefingContent(
        masthead=briefing.masthead, title=briefing.title, issuer=briefing.issuer, issued_on=briefing.issued_on,
        period_start=briefing.period_start, period_end=briefing.period_end, lead=briefing.lead,
        sections=briefing.sections, report_to=briefing.report_to, copy_to=briefing.copy_to, send_to=briefing.send_to,
        number=briefing.number)
    data = build_briefing(content, briefing.year)
    record_event(EventType.EXPORT, actor=actor, obj=briefing, action="briefing_generate",
                 detail=f"生成简报Word文档：{briefing}")
    return data, f"{briefing.masthead}_{briefing.year}年第{briefing.number}期.docx"


def notice_docx(actor, campaign: Campaign) -> tuple[bytes, str]:
    """The one-page 通报 draft naming the league table's red units."""
    _require(actor)
    data, red = build_notice(actor, campaign)
    record_event(EventType.EXPORT, actor=actor, object_type="documents.notice", object_repr="红灯单位通报",
                 action="notice_generate", detail=f"生成红灯单位通报（{len(red)}个单位）")
    return data, "红灯单位通报（草稿）.docx"
