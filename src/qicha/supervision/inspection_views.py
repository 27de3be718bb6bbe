"""Inspection pages (督导检查): list, plan (and the 随机抽查 draw), detail with ratings and findings, risk settings."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core.audit import history_of
from qicha.core.errors import DomainError, Forbidden, Invalid
from qicha.core.scope import has_permission, units_in_scope
from qicha.core.web import form_errors_from, permission_required
from qicha.core.workflow import given_version
from qicha.orgs.models import Role, User
from qicha.problems.numbers import format_problem_no

from .inspection_forms import ActionForm, DrawForm, FindingForm, PlanForm, RandomPlanForm, RatingForm
from .models import InspectionKind, InspectionStatus, InspectionTarget, Rating, RiskWeights
from .queries import inspections as queries
from .services import draw as draw_services
from .services import inspections as services
from .services import risk as risk_services

PAGE_SIZE = 20
LIST = ("检查计划与实施", "/supervision/inspections/")
HOME = ("督导检查", "/supervision/")
TIMELINE_LABELS = {"start": "开始检查", "complete": "完成检查"}


@permission_required("supervision.view")
def inspection_list(request):
    filters = queries.InspectionFilters.from_params(request.GET)
    page = Paginator(queries.inspection_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        shown = {t.pk for t in row.shown_targets}
        row.shown_findings = sum(1 for f in row.findings.all() if f.target_id in shown)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/inspection_list.html", {
        "page": page, "query": query.urlencode(), "filters": filters, "kinds": InspectionKind.choices, "statuses": InspectionStatus.choices,
        "can_manage": has_permission(request.user, "inspection.manage"),
        "breadcrumbs": [HOME, ("检查计划与实施", None)],
    })


def _current_campaign(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    return campaign


@permission_required("inspection.manage")
def inspection_create(request):
    campaign = _current_campaign(request)
    user = request.user
    random_kind = request.GET.get("kind") == InspectionKind.RANDOM
    today = timezone.localdate()
    initial = {"starts_on": today, "ends_on": today + timedelta(days=14)}
    if random_kind:
        candidates = draw_services.eligible_candidates(user, campaign)
        form = RandomPlanForm(request.POST or None, candidates=candidates, initial=initial)
    else:
        units = list(units_in_scope(user, "inspection.manage").order_by("path"))
        form = PlanForm(request.POST or None, units=units, pool=draw_services.inspector_pool(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if random_kind:
                draw = services.plan_random_inspection(
                    user, campaign, title=data["title"], focus=data["focus"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], count=data["count"], per_unit=data["per_unit"],
                    unit_ids=data["candidates"], seed=data["seed"])
                inspection = draw.inspection
            else:
                inspection = services.plan_inspection(
                    user, campaign, kind=data["kind"], title=data["title"], focus=data["focus"],
                    partners=data["partners"], evaluator=data["evaluator"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], unit_ids=data["units"], inspector_ids=data["inspectors"])
        except Invalid as exc:
            form_errors_from(form, _draw_fields(exc))
            if exc.details:
                messages.error(request, exc.message if exc.message != Invalid.default_message else "计划未保存，请按提示修改。")
        else:
            if random_kind:
                messages.success(request, f"已制定随机抽查计划并完成抽签（随机种子 {draw.seed}）。")
            else:
                messages.success(request, f"已制定检查计划“{inspection.title}”。")
            return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    return render(request, "supervision/inspection_form.html", {
        "form": form, "random_kind": random_kind, "formula": draw_services.FORMULA,
        "title": "随机抽查：制定计划并抽签" if random_kind else "制定督导检查计划",
        "breadcrumbs": [HOME, LIST, ("随机抽查" if random_kind else "制定检查计划", None)],
    })


def _draw_fields(exc: Invalid) -> Invalid:
    """The draw names its fields as the service does; the form calls two of them differently."""
    rename = {"units": "candidates", "inspectors_per_unit": "per_unit"}
    details = {rename.get(k, k): v for k, v in exc.details.items()}
    if exc.details and exc.message != Invalid.default_message:
        details["__all__"] = exc.message
    return Invalid(exc.message, details)


def _people_for(targets) -> list[User]:
    """Who a finding's problem may be assigned to: active users of the inspected units (and below) who work problems."""
    if not targets:
        return []
    roles = [r.pk for r in Role.objects.all() if "problem.work" in r.permissions]
    in_units = Q()
    for t in targets:
        in_units |= Q(unit__path__startswith=t.unit.path)
    return list(User.objects.filter(in_units, is_active=True, roles__in=roles).distinct().select_related("unit")
                .order_by("unit__path", "id"))


def _detail_context(request, inspection, **forms):
    user = request.user
    targets = queries.visible_targets(user, inspection)
    in_progress = inspection.status == InspectionStatus.IN_PROGRESS
    workable = [t for t in targets if services.may_work(user, t)] if in_progress else []
    draw = queries.draw_of(inspection)
    manage = services.may_manage(user, inspection)
    verify = None
    if draw is not None and request.GET.get("verify"):
        verify = draw_services.verify_draw(draw)
    rating_forms = forms.get("rating_forms") or {}
    for t in workable:
        rating_forms.setdefault(t.pk, RatingForm(prefix=f"t{t.pk}", initial={"rating": t.rating, "notes": t.notes}))
    for t in targets:
        t.rating_form = rating_forms.get(t.pk)
    finding_form = forms.get("finding_form")
    if finding_form is None and workable:
        finding_form = FindingForm(prefix="finding", targets=workable, people=_people_for(workable),
                                   initial={"deadline": timezone.localdate() + timedelta(days=7)})
    draw_form = forms.get("draw_form")
    can_draw = (manage and inspection.kind == InspectionKind.RANDOM and draw is None
                and inspection.status == InspectionStatus.PLANNED)
    if can_draw and draw_form is None:
        draw_form = DrawForm(prefix="draw", candidates=draw_services.eligible_candidates(user, inspection.campaign))
    return {
        "inspection": inspection, "targets": targets, "team": queries.team(inspection),
        "findings": queries.visible_findings(user, inspection, targets),
        "draw": queries.draw_view(user, draw) if draw else None, "verify": verify, "formula": draw_services.FORMULA,
        "factor_labels": draw_services.FACTOR_LABELS,
        "actions": services.INSPECTION_WORKFLOW.allowed_actions(user, inspection),
        "action_form": forms.get("action_form"), "failed_action": forms.get("failed_action"),
        "finding_form": finding_form, "can_draw": can_draw, "draw_form": draw_form,
        "history": sorted([*history_of(inspection).select_related("actor"),
                           *(history_of(draw).select_related("actor") if draw else [])], key=lambda e: e.seq),
        "timeline_labels": TIMELINE_LABELS,
        "breadcrumbs": [HOME, LIST, (inspection.title, None)],
    }


def _render_detail(request, inspection_id, status=422, **forms):
    inspection = queries.get_inspection(request.user, inspection_id)
    return render(request, "supervision/inspection_detail.html", _detail_context(request, inspection, **forms),
                  status=status)


@permission_required("supervision.view")
def inspection_detail(request, inspection_id):
    inspection = queries.get_inspection(request.user, inspection_id)
    return render(request, "supervision/inspection_detail.html", _detail_context(request, inspection))


@require_POST
@permission_required("inspection.manage")
def inspection_draw(request, inspection_id):
    inspection = queries.get_inspection(request.user, inspection_id)
    form = DrawForm(request.POST, prefix="draw",
                    candidates=draw_services.eligible_candidates(request.user, inspection.campaign))
    if form.is_valid():
        data = form.cleaned_data
        try:
            draw = draw_services.draw_inspection(request.user, inspection, count=data["count"],
                                                 per_unit=data["per_unit"], unit_ids=data["candidates"],
                                                 seed=data["seed"])
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_errors_from(form, _draw_fields(exc) if isinstance(exc, Invalid) else exc)
            if exc.details:  # the form shows the message itself otherwise; say it once
                messages.error(request, "未保存，请按下方提示修改。")
        else:
            messages.success(request, f"抽签完成（随机种子 {draw.seed}）。")
            return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    return _render_detail(request, inspection_id, draw_form=form)


def _target(inspection, target_id) -> InspectionTarget:
    target = InspectionTarget.objects.select_related("unit", "inspection").filter(
        inspection=inspection, pk=target_id).first()
    if target is None:
        raise Http404
    return target


@require_POST
@permission_required("supervision.view")
def inspection_rate(request, inspection_id, target_id):
    inspection = queries.get_inspection(request.user, inspection_id)
    if target_id not in {t.pk for t in queries.visible_targets(request.user, inspection)}:
        raise Http404
    target = _target(inspection, target_id)
    form = RatingForm(request.POST, prefix=f"t{target.pk}")
    if form.is_valid():
        try:
            services.rate_target(request.user, target, form.cleaned_data["rating"], form.cleaned_data["notes"])
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_errors_from(form, exc)
            if exc.details:  # the form shows the message itself otherwise; say it once
                messages.error(request, "未保存，请按下方提示修改。")
        else:
            messages.success(request, f"已记录“{target.unit.name}”的评价：{Rating(target.rating).label}。")
            return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    return _render_detail(request, inspection_id, rating_forms={target.pk: form})


@require_POST
@permission_required("supervision.view")
def inspection_finding(request, inspection_id):
    inspection = queries.get_inspection(request.user, inspection_id)
    targets = queries.visible_targets(request.user, inspection)
    workable = [t for t in targets if services.may_work(request.user, t)]
    if not workable:
        raise PermissionDenied("您不是本次检查的检查人员，不能登记发现的问题。")
    form = FindingForm(request.POST, prefix="finding", targets=workable, people=_people_for(workable))
    if form.is_valid():
        data = form.cleaned_data
        target = next(t for t in workable if t.pk == data["target"])
        person = User.objects.filter(pk=data["responsible_person"]).select_related("unit").first() \
            if data["responsible_person"] else None
        try:
            finding = services.record_finding(request.user, inspection, target, data["description"],
                                              data["measures"], data["deadline"], responsible_person=person)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_errors_from(form, exc)
            if exc.details:  # the form shows the message itself otherwise; say it once
                messages.error(request, "未保存，请按下方提示修改。")
        else:
            messages.success(request, f"已登记发现的问题，并转入问题整改台账（问题 {format_problem_no(finding.problem_id)}，"
                                      f"责任单位{target.unit.name}）。")
            return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    return _render_detail(request, inspection_id, finding_form=form)


@require_POST
@permission_required("supervision.view")
def inspection_action(request, inspection_id, action):
    inspection = queries.get_inspection(request.user, inspection_id)
    form = ActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.INSPECTION_WORKFLOW.perform(request.user, inspection, action,
                                             version=given_version(data.get("version"), inspection),
                                             summary=data.get("summary", ""))
    except Forbidden as exc:
        messages.error(request, exc.message)
        return redirect("supervision:inspection_detail", inspection_id=inspection.pk)
    except DomainError as exc:
        form_errors_from(form, exc)
        messages.error(request, exc.message)
        return _render_detail(request, inspection_id, action_form=form, failed_action=action)
    messages.success(request, f"已{services.INSPECTION_WORKFLOW.get(action).label}。")
    return redirect("supervision:inspection_detail", inspection_id=inspection.pk)


@permission_required("inspection.manage")
def risk_settings(request):
    campaign = _current_campaign(request)
    user = request.user
    rows = queries.risk_table(user, campaign)
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("part") == "weights":
                risk_services.save_weights(user, campaign, {f: request.POST.get(f, "") for f in risk_services.WEIGHT_FIELDS})
                messages.success(request, "抽查权重已保存。")
            else:
                risk_services.save_profiles(user, [
                    (row["unit"], {f: request.POST.get(f"{row['unit'].pk}-{f}", "")
                                   for f in risk_services.PROFILE_FIELDS})
                    for row in rows if f"{row['unit'].pk}-service_coverage" in request.POST
                ])
                messages.success(request, "风险因素已保存。")
        except Forbidden as exc:
            messages.error(request, exc.message)
        except Invalid as exc:
            errors = exc.details
            messages.error(request, exc.message)
        else:
            return redirect("supervision:inspection_risk")
    weights = draw_services.weights_for(campaign)
    posted = request.POST if errors else None
    weight_rows = [(f, RiskWeights._meta.get_field(f).verbose_name,
                    posted.get(f) if posted else getattr(weights, f), errors.get(f))
                   for f in risk_services.WEIGHT_FIELDS]
    for row in rows:
        unit_id = row["unit"].pk
        row["values"] = {f: posted.get(f"{unit_id}-{f}") if posted else getattr(row["profile"], f)
                         for f in risk_services.PROFILE_FIELDS}
        row["errors"] = [v for k, v in errors.items() if k.startswith(f"{unit_id}.")]
    return render(request, "supervision/inspection_risk.html", {
        "campaign": campaign, "rows": rows, "weight_rows": weight_rows, "formula": draw_services.FORMULA,
        "profile_fields": risk_services.PROFILE_FIELDS,
        "breadcrumbs": [HOME, LIST, ("风险因素与抽查权重", None)],
    })
