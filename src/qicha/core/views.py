from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from qicha.campaigns import queries as campaign_queries
from qicha.core.forms import StyledFormMixin
from qicha.core.scope import has_permission

from .models import AuditEvent
from .navigation import UPCOMING_SECTIONS
from .queries import visible_audit_events
from .web import permission_required


@login_required
def home(request):
    """工作台: the current campaign, my unit's self-inspection progress, and the coverage at a glance."""
    user = request.user
    context = {"breadcrumbs": [("工作台", None)]}
    campaign = campaign_queries.current_campaign(user)
    if campaign is not None:
        context["campaign"] = campaign
        if user.unit_id and campaign.participating_units.filter(pk=user.unit_id).exists() and has_permission(
            user, "selfinspection.view"
        ):
            context["my_answers"] = campaign_queries.unit_answers(user, campaign, user.unit)
        if has_permission(user, "coverage.view"):
            context["coverage"] = campaign_queries.coverage(user, campaign)
    context["is_admin_only"] = not has_permission(user, "campaign.view")
    return render(request, "core/home.html", context)


@permission_required("campaign.view")
def section(request, slug):
    if slug not in UPCOMING_SECTIONS:
        raise Http404
    title, description = UPCOMING_SECTIONS[slug]
    return render(
        request,
        "core/section_empty.html",
        {"title": title, "description": description, "breadcrumbs": [(title, None)]},
    )


class AuditFilterForm(StyledFormMixin, forms.Form):
    event_type = forms.ChoiceField(label="事件类型", required=False, choices=[("", "全部")] + AuditEvent.EventType.choices)
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部")] + AuditEvent.Outcome.choices)
    username = forms.CharField(label="用户名", required=False)
    date_from = forms.DateField(label="起始日期", required=False)
    date_to = forms.DateField(label="截止日期", required=False)


@permission_required("audit.view")
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = visible_audit_events(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {"form": form, "page": page, "query": query.urlencode(), "breadcrumbs": [("审计日志", None)]},
    )
