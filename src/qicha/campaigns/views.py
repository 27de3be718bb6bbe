from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission
from qicha.core.web import form_errors_from, permission_required

from . import queries, services
from .forms import CampaignCreateForm, CampaignForm, CheckItemForm, SelfInspectionForm
from .queries import CoverageState


def _crumbs(campaign, *rest):
    return [("专项行动", reverse("campaigns:list")), (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), *rest]


@permission_required("campaign.view")
def campaign_list(request):
    campaigns = queries.visible_campaigns(request.user)
    return render(request, "campaigns/list.html", {"campaigns": campaigns, "breadcrumbs": [("专项行动", None)]})


@permission_required("campaign.view")
def campaign_detail(request, pk):
    campaign = queries.get_campaign(request.user, pk)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "can_manage": has_permission(request.user, "campaign.manage"),
            "unit_count": campaign.participating_units.count(),
            "breadcrumbs": _crumbs(campaign)[:-1] + [(campaign.name, None)],
        },
    )


def _stage_field(key: str) -> str:
    if key.startswith("phase_"):
        kind = key.removeprefix("phase_")
        return f"{kind.removesuffix('_start')}_start_date" if kind.endswith("_start") else f"{kind}_end_date"
    return key


def _stage_errors_at_end_dates(error: Invalid) -> Invalid:
    """The service names a stage whose dates disagree ("phase_rectify": it ends before it starts; "phase_rectify_start":
    it starts before the stage before it ended); on the page the message belongs under the date the user corrects,
    not in the banner above the form."""
    error.details = {_stage_field(key): message for key, message in (error.details or {}).items()}
    return error


@permission_required("campaign.manage")
def campaign_edit(request, pk):
    campaign = queries.get_campaign(request.user, pk)
    phases = list(campaign.phases.all())
    initial = {"participating_units": campaign.participating_units.all(), "version": campaign.version}
    form = CampaignForm(request.POST or None, instance=campaign, initial=initial, phases=phases)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            # The form mutated `campaign` while validating; hand the service a fresh copy.
            services.update_campaign(
                request.user, queries.get_campaign(request.user, pk), version=form.cleaned_data["version"],
                phases=form.phase_values(), participating_units=form.cleaned_data["participating_units"], **changes,
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
        except Invalid as exc:
            form_errors_from(form, _stage_errors_at_end_dates(exc))
        else:
            messages.success(request, "专项行动设置已保存。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/edit.html",
        {"campaign": campaign, "form": form, "breadcrumbs": _crumbs(campaign, ("修改设置", None))},
    )


@permission_required("campaign.manage")
def campaign_new(request):
    """The office starts its campaign: from the 七查七摆 template or as a copy of an earlier one."""
    earlier = list(queries.visible_campaigns(request.user))
    copy = next((c for c in earlier if str(c.pk) == request.GET.get("copy")), None)
    # The first year without a campaign: in December, with this year's running, the office is setting up next year's.
    taken = {c.year for c in earlier}
    year = timezone.localdate().year
    while year in taken:
        year += 1
    plan = services.default_plan(year, copy)
    units = queries.manageable_units(request.user)
    initial = {
        **CampaignCreateForm.initial_from(plan), "source": str(copy.pk) if copy else "template", "year": year,
        "name": f"{year}年“七查七摆”专项行动", "organiser": units.filter(pk=request.user.unit_id).first(),
    }
    if copy is not None:
        initial |= {"description": copy.description, "participating_units": copy.participating_units.all()}
    form = CampaignCreateForm(request.POST or None, initial=initial, units=units, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy_from = form.copy_from()
        try:
            campaign = services.create_campaign(
                request.user, name=data["name"], year=data["year"], document_no=data["document_no"],
                description=data["description"], organiser=data["organiser"],
                participating_units=data["participating_units"],
                phases=form.phase_values(services.default_plan(data["year"], copy_from)), copy_from=copy_from,
                report_due_day=data["report_due_day"], stage_summary_due=data["stage_summary_due"],
                clue_clearance_date=data["clue_clearance_date"], final_summary_due=data["final_summary_due"],
            )
        except Invalid as exc:
            form_errors_from(form, _stage_errors_at_end_dates(exc))
        else:
            messages.success(request, f"专项行动“{campaign.name}”已创建。请核对查摆事项，把“区县X局”“第X督导组”等改为真实名称。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/new.html", {
        "form": form, "breadcrumbs": [("专项行动", reverse("campaigns:list")), ("新建专项行动", None)],
    })


@permission_required("campaign.manage")
def check_item_edit(request, pk, ordinal):
    campaign = queries.get_campaign(request.user, pk)
    item = campaign.check_items.filter(ordinal=ordinal).first()
    if item is None:
        raise Http404
    initial = {"title": item.title, "check_text": item.check_text, "present_text": item.present_text,
               "key_points": item.key_points, "version": item.version}
    form = CheckItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_check_item(request.user, item, version=data["version"], title=data["title"],
                                       check_text=data["check_text"], present_text=data["present_text"],
                                       key_points=data["key_points"])
        except Conflict as exc:
            form.add_error(None, exc.message)
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"查摆事项{item.label}{item.title}已保存。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/check_item_edit.html", {
        "campaign": campaign, "item": item, "form": form, "closed": not campaign.is_active,
        "breadcrumbs": _crumbs(campaign, (f"修改查摆事项{item.label}", None)),
    })


def _current_or_404(user):
    campaign = queries.current_campaign(user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    return campaign


@permission_required("selfinspection.view")
def self_inspection_home(request):
    campaign = queries.current_campaign(request.user)
    if campaign is None:
        return render(request, "core/section_empty.html", {"title": "自查填报", "description": "当前没有进行中的专项行动。", "breadcrumbs": [("自查填报", None)]})
    units = queries.participating_units_in_scope(request.user, campaign)
    user_unit = units.filter(pk=request.user.unit_id).first()
    target = user_unit or units.first()
    if target is None:
        return render(request, "core/section_empty.html", {"title": "自查填报", "description": "您的数据权限范围内没有参与本次专项行动的单位。", "breadcrumbs": [("自查填报", None)]})
    return redirect("campaigns:self_inspection_unit", pk=campaign.pk, unit_id=target.pk)


@permission_required("selfinspection.view")
def self_inspection_unit(request, pk, unit_id):
    campaign = queries.get_campaign(request.user, pk)
    unit = queries.get_unit_in_scope(request.user, campaign, unit_id)
    answers = queries.unit_answers(request.user, campaign, unit)
    problems = queries.unit_cell_problems(request.user, campaign, unit)
    return render(
        request,
        "campaigns/self_inspection_unit.html",
        {
            "campaign": campaign,
            "unit": unit,
            "answers": answers,
            # Each item with what its coverage cell counts: the problems of the unit and its 股/科 under that item.
            "cards": [(item, entry, problems.get(item.pk, [])) for item, entry in answers.entries],
            "can_see_ledger": has_permission(request.user, "problem.view"),
            "units": queries.participating_units_in_scope(request.user, campaign),
            "can_edit": campaign.is_active and can_act_on(request.user, "selfinspection.edit", unit),
            "can_register": campaign.is_active and can_act_on(request.user, "problem.create", unit),
            "breadcrumbs": _crumbs(campaign, ("自查填报", None), (unit.name, None)),
        },
    )


@permission_required("selfinspection.view", "selfinspection.edit")
def self_inspection_item(request, pk, unit_id, ordinal):
    campaign = queries.get_campaign(request.user, pk)
    unit = queries.get_unit_in_scope(request.user, campaign, unit_id)
    item = campaign.check_items.filter(ordinal=ordinal).first()
    if item is None:
        raise Http404
    entry = queries.visible_self_inspections(request.user, campaign).filter(unit=unit, check_item=item).first()
    can_edit = campaign.is_active and can_act_on(request.user, "selfinspection.edit", unit)
    initial = {"version": entry.version if entry else None}
    if entry:
        initial.update(statement=entry.statement, no_problem_found=entry.no_problem_found, reason=entry.reason)
    form = SelfInspectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_self_inspection(
                    request.user, campaign=campaign, unit=unit, check_item=item,
                    statement=data["statement"], no_problem_found=data["no_problem_found"],
                    reason=data["reason"], version=data["version"],
                )
            except Conflict as exc:
                form.add_error(None, exc.message)
            except Invalid as exc:
                form_errors_from(form, exc)
            except NotFound as exc:
                raise Http404 from exc
            else:
                messages.success(request, f"{item.label}{item.title}的查摆情况已保存。")
                return redirect("campaigns:self_inspection_unit", pk=campaign.pk, unit_id=unit.pk)
    return render(
        request,
        "campaigns/self_inspection_item.html",
        {
            "campaign": campaign, "unit": unit, "item": item, "entry": entry, "form": form, "can_edit": can_edit,
            "problems": queries.unit_cell_problems(request.user, campaign, unit, item).get(item.pk, []),
            "can_see_ledger": has_permission(request.user, "problem.view"),
            "breadcrumbs": _crumbs(
                campaign, ("自查填报", None),
                (unit.name, reverse("campaigns:self_inspection_unit", args=[campaign.pk, unit.pk])),
                (f"{item.label}{item.title}", None),
            ),
        },
    )


@permission_required("coverage.view")
def coverage_home(request):
    campaign = queries.current_campaign(request.user)
    if campaign is None:
        return render(request, "core/section_empty.html", {"title": "查摆覆盖情况", "description": "当前没有进行中的专项行动。", "breadcrumbs": [("查摆覆盖情况", None)]})
    return redirect("campaigns:coverage", pk=campaign.pk)


@permission_required("coverage.view")
def coverage(request, pk):
    campaign = queries.get_campaign(request.user, pk)
    # The same filters the export (自查自纠台账) reads; a malformed one is ignored here, refused there.
    filters = queries.CoverageFilters.from_params(request.GET)
    under = queries.coverage_under(request.user, campaign, filters.under)
    matrix = queries.coverage(request.user, campaign, under=under)
    state = "" if "state" in filters.errors else filters.state
    rows = queries.coverage_rows(matrix, state)
    export_query = {"campaign": campaign.pk} | {k: request.GET[k] for k in ("under", "state") if request.GET.get(k)}
    return render(
        request,
        "campaigns/coverage.html",
        {
            "campaign": campaign, "matrix": matrix, "rows": rows, "state": state, "under": under,
            "export_query": urlencode(export_query),
            "states": CoverageState.LABELS,
            "units": queries.participating_units_in_scope(request.user, campaign, "coverage.view"),
            "breadcrumbs": _crumbs(campaign, ("查摆覆盖情况", None)),
        },
    )


@permission_required("coverage.view")
def coverage_item(request, pk, ordinal):
    """Drill-down by column: every unit's answer to one check item."""
    campaign = queries.get_campaign(request.user, pk)
    item = campaign.check_items.filter(ordinal=ordinal).first()
    if item is None:
        raise Http404
    matrix = queries.coverage(request.user, campaign)
    column = [(row.unit, *row.cells[item.ordinal - 1][1:]) for row in matrix.rows]
    return render(
        request,
        "campaigns/coverage_item.html",
        {
            "campaign": campaign, "item": item, "column": column, "states": CoverageState.LABELS,
            "breadcrumbs": _crumbs(campaign, ("查摆覆盖情况", reverse("campaigns:coverage", args=[campaign.pk])), (f"{item.label}{item.title}", None)),
        },
    )
