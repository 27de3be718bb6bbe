"""Accountability pages: the list with its summary by unit and form and the 工作推动不力 panel, recording, detail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from qicha.campaigns import queries as campaign_queries
from qicha.clues.queries import visible_clues
from qicha.core.audit import history_of
from qicha.core.errors import DomainError
from qicha.core.scope import has_permission, units_in_scope
from qicha.core.web import form_errors_from, permission_required
from qicha.problems.queries import visible_problems

from .letter_forms import AccountabilityRecordForm
from .models import AccountabilityForm, Failing
from .queries import accountability as queries
from .services import accountability as services

PAGE_SIZE = 20
SECTION = ("督导检查", "/supervision/")
LEDGER = ("问责追责", "/supervision/accountability/")
CHOICE_LIMIT = 500


@permission_required("supervision.view")
def accountability_list(request):
    filters = queries.AccountabilityFilters.from_params(request.GET)
    campaign = campaign_queries.current_campaign(request.user)
    page = Paginator(queries.accountability_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_manage = has_permission(request.user, "accountability.manage")
    return render(request, "supervision/accountability.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "campaign": campaign,
        "summary": queries.summary(request.user, filters),
        "lagging": queries.lagging_units(request.user, campaign) if campaign else [],
        "failings": Failing.choices, "forms": AccountabilityForm.choices,
        "units": units_in_scope(request.user, "supervision.view").order_by("path"),
        "can_manage": can_manage, "today": timezone.localdate(),
        "breadcrumbs": [SECTION, (LEDGER[0], None)],
    })


def _ids(values) -> list[int]:
    """Ids from ?problems=1&problems=2 or ?problems=1,2 (the panel's button)."""
    ids = []
    for value in values:
        for part in str(value).split(","):
            if part.strip().isdigit():
                ids.append(int(part))
    return ids


def _prefill(request, units) -> dict:
    params = request.GET
    initial = {"decided_on": timezone.localdate()}
    if params.get("unit", "").isdigit() and any(u.pk == int(params["unit"]) for u in units):
        initial["unit"] = int(params["unit"])
    if params.get("failing") in Failing.values:
        initial["failing"] = params["failing"]
    if params.get("form") in AccountabilityForm.values:
        initial["form"] = params["form"]
    problem_ids = _ids(params.getlist("problems"))
    if problem_ids:
        initial["problems"] = problem_ids
    if initial.get("failing") == Failing.POOR_PROGRESS and "unit" in initial:
        unit = next(u for u in units if u.pk == initial["unit"])
        initial["facts"] = (f"截至{timezone.localdate():%Y年%m月%d日}，{unit.name}有 {len(problem_ids)} 个查摆问题逾期未完成整改，"
                            "整改工作推动不力。")
    return initial


@permission_required("accountability.manage")
def accountability_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    units = list(units_in_scope(request.user, "accountability.manage").order_by("path"))
    initial = _prefill(request, units) if request.method == "GET" else {}
    wanted = set(initial.get("problems", []))
    problems = visible_problems(request.user).filter(campaign=campaign).select_related("unit")
    problems = list(problems.filter(pk__in=wanted)) + list(problems.exclude(pk__in=wanted).order_by("-id")[:CHOICE_LIMIT])
    clues = list(visible_clues(request.user).filter(campaign=campaign).select_related("unit").order_by("-id")[:CHOICE_LIMIT])
    form = AccountabilityRecordForm(request.POST or None, initial=initial, units=units, problems=problems, clues=clues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_accountability(
                request.user, campaign, next(u for u in units if u.pk == data["unit"]), person=data["person"],
                person_title=data["person_title"], failing=data["failing"], form=data["form"],
                decision_no=data["decision_no"], decided_on=data["decided_on"], facts=data["facts"],
                problem_ids=data["problems"], clue_ids=data["clues"],
            )
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已登记对{record.unit.name}的问责（{record.get_form_display()}）。")
            return redirect("supervision:accountability_detail", accountability_id=record.pk)
    return render(request, "supervision/accountability_form.html", {
        "form": form, "title": "登记问责",
        "breadcrumbs": [SECTION, LEDGER, ("登记问责", None)],
    })


@permission_required("supervision.view")
def accountability_detail(request, accountability_id):
    record = queries.get_accountability(request.user, accountability_id)
    return render(request, "supervision/accountability_detail.html", {
        "record": record, "history": history_of(record).select_related("actor"),
        "breadcrumbs": [SECTION, LEDGER, (f"{record.unit.name} {record.get_form_display()}", None)],
    })
