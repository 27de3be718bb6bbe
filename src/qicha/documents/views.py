"""总结文档 pages: the two summaries with their due dates; editing one's narrative and generating the Word file."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from qicha.campaigns.queries import current_campaign
from qicha.core.errors import Conflict, Invalid
from qicha.core.web import permission_required
from qicha.jobs.queries import own_jobs
from qicha.jobs.web import job_redirect

from . import queries, services
from .forms import BriefingForm, BriefingPeriodForm, SummaryForm, as_of_from, posted_sections
from .models import Kind

HOME = ("总结文档", "/documents/")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERMISSION = queries.PERMISSION


def _campaign(request):
    campaign = current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    return campaign


@permission_required(PERMISSION)
def home(request):
    campaign = current_campaign(request.user)
    today = timezone.localdate()
    rows = []
    if campaign is not None:
        for kind in Kind:
            draft = queries.draft_of(request.user, campaign, kind)
            due = queries.due_date(campaign, kind)
            rows.append({"kind": kind, "draft": draft, "due": due,
                         "days_left": (due - today).days if due else None,
                         "days_late": (today - due).days if due else None})
    jobs = own_jobs(request.user).filter(kind="documents.summary").order_by("-created_at", "-id")[:8]
    return render(request, "documents/home.html", {
        "campaign": campaign, "rows": rows, "jobs": jobs, "breadcrumbs": [(HOME[0], None)],
    })


@permission_required(PERMISSION)
def edit(request, kind):
    kind = queries.get_kind(kind)
    campaign = _campaign(request)
    as_of = services.as_of_for(campaign, kind, as_of_from(request.POST if request.method == "POST" else request.GET))
    content = services.current_content(request.user, campaign, kind, as_of)
    status = 200
    if request.method == "POST":
        form = SummaryForm(request.POST)
        sections = posted_sections(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_draft(request.user, campaign, kind, version=data["version"], title=data["title"],
                                    issuer=data["issuer"], issued_on=data["issued_on"], sections=sections)
            except Conflict as exc:
                form.add_error(None, f"{exc.message}（您的修改尚未保存，可先复制下方内容。）")
                status = 409
            except Invalid as exc:
                for name, message in exc.details.items():
                    if name.startswith("sections."):  # sections.<index>.<part>: name the section as shown
                        message = f"第{int(name.split('.')[1]) + 1}部分：{message}"
                    form.add_error(name if name in form.fields else None, message)
            else:
                if request.POST.get("action") == "generate":
                    messages.success(request, f"已保存{kind.label}，正在生成Word文档。")
                    return job_redirect(request, services.start_generation(request.user, campaign, kind, as_of))
                messages.success(request, f"{kind.label}已保存。")
                return redirect(f"{reverse('documents:edit', kwargs={'kind': kind.value})}?as_of={as_of:%Y-%m-%d}")
        sections = sections or content.sections
    else:
        defaults = request.GET.get("defaults") == "1"
        if defaults:  # the figures' default text, written over the draft only when saved
            fresh = services.default_draft(request.user, campaign, kind, as_of)
            content.title, content.issuer, content.sections = fresh.title, fresh.issuer, fresh.sections
        form = SummaryForm(initial={"title": content.title, "issuer": content.issuer,
                                    "issued_on": content.issued_on, "version": content.version, "as_of": as_of})
        sections = content.sections
    figures = queries.summary_figures(request.user, campaign, as_of)
    return render(request, "documents/edit.html", {
        "campaign": campaign, "kind": kind, "form": form, "sections": [*sections, {"heading": "", "text": ""}],
        "content": content, "draft": queries.draft_of(request.user, campaign, kind),
        "due": queries.due_date(campaign, kind), "figures": figures, "as_of": as_of,
        "default_as_of": queries.default_as_of(campaign, kind), "stage_end": queries.stage_end(campaign),
        "breadcrumbs": [HOME, (kind.label, None)],
    }, status=status)


@require_POST
@permission_required(PERMISSION)
def generate(request, kind):
    kind = queries.get_kind(kind)
    campaign = _campaign(request)
    return job_redirect(request, services.start_generation(request.user, campaign, kind, as_of_from(request.POST)))



BRIEFINGS = ("简报", "/documents/briefings/")


@permission_required(PERMISSION)
def briefing_list(request):
    """简报: the ones issued (each downloadable again), a new one for a period, and the 通报 draft for red units."""
    campaign = _campaign(request)
    today = timezone.localdate()
    period = BriefingPeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    return render(request, "documents/briefings.html", {
        "campaign": campaign, "briefings": queries.visible_briefings(request.user, campaign), "period": period,
        "breadcrumbs": [HOME, (BRIEFINGS[0], None)],
    })


@permission_required(PERMISSION)
def briefing_new(request):
    """The draft for the chosen period, prefilled from the figures and editable; saving gives it its 期号."""
    campaign = _campaign(request)
    status = 200
    if request.method == "POST":
        form = BriefingForm(request.POST)
        sections = posted_sections(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                briefing = services.create_briefing(request.user, campaign, sections=sections, **data)
            except (Invalid, Conflict) as exc:
                for name, message in getattr(exc, "details", {}).items():
                    form.add_error(name if name in form.fields else None, message)
                if not getattr(exc, "details", None):
                    form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, f"已生成{briefing.year}年第{briefing.number}期简报。")
                return redirect(f"{BRIEFINGS[1]}?created={briefing.pk}")
        else:
            status = 400
    else:
        period = BriefingPeriodForm(request.GET)
        if not period.is_valid():
            messages.error(request, "请正确填写统计期间。")
            return redirect(BRIEFINGS[1])
        try:
            content = services.briefing_defaults(request.user, campaign, period.cleaned_data["start"],
                                                 period.cleaned_data["end"])
        except Invalid as exc:
            messages.error(request, "；".join(exc.details.values()))
            return redirect(BRIEFINGS[1])
        form = BriefingForm(initial={
            "period_start": content.period_start, "period_end": content.period_end, "masthead": content.masthead,
            "title": content.title, "issuer": content.issuer, "issued_on": content.issued_on, "lead": content.lead,
            "report_to": content.report_to, "copy_to": content.copy_to, "send_to": content.send_to})
        sections = content.sections
    return render(request, "documents/briefing_edit.html", {
        "campaign": campaign, "form": form, "sections": [*sections, {"heading": "", "text": ""}],
        "breadcrumbs": [HOME, BRIEFINGS, ("编辑简报", None)],
    }, status=status)


@permission_required(PERMISSION)
def briefing_docx(request, briefing_id):
    briefing = queries.get_briefing(request.user, _campaign(request), briefing_id)
    data, name = services.briefing_docx(request.user, briefing)
    return _docx(data, name)


@permission_required(PERMISSION)
def notice_docx(request):
    data, name = services.notice_docx(request.user, _campaign(request))
    return _docx(data, name)


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_MIME)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
