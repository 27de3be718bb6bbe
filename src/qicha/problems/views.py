from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core.attachments import KIND_LABELS, download_response
from qicha.core.audit import history_of
from qicha.core.errors import Conflict, DomainError, Forbidden, Invalid
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.web import KnownCountPaginator, form_errors_from, permission_required
from qicha.core.workflow import given_version
from qicha.orgs.models import Unit, User

from . import queries, services
from .forms import ProblemForm, ProgressForm, ReasonForm, RuleForm, SignOffForm
from .importing import format_problem_no
from .models import SIX_CHECKS, RectificationType, Source, Status
from .workflow import PROBLEM_WORKFLOW

PAGE_SIZE = 20


LEDGER = ("问题整改", "/problems/")


@permission_required("problem.view")
def problem_list(request):
    filters = queries.ProblemFilters.from_params(request.GET)
    campaign = campaign_queries.current_campaign(request.user)
    rows = queries.problem_list(request.user, filters) if not filters.errors else queries.visible_problems(request.user).none()
    counts = queries.status_counts(request.user, filters)
    page = KnownCountPaginator(rows, PAGE_SIZE, known_count=queries.count_for(filters, counts)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    return render(request, "problems/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "status_query": status_query.urlencode(),
        "counts": counts, "statuses": Status.choices,
        "types": RectificationType.choices, "sources": Source.choices, "campaign": campaign,
        "check_items": campaign.check_items.all() if campaign else [],
        "units": units_in_scope(request.user, "problem.view").order_by("path"),
        "can_create": has_permission(request.user, "problem.create"),
        "breadcrumbs": [(LEDGER[0], None)],
    })


def _form_choices(user, campaign):
    units = list(units_in_scope(user, "problem.create").order_by("path"))
    people = list(User.objects.filter(is_active=True, unit__in=units).select_related("unit")
                  .order_by("unit__path", "username"))
    # Each suggestion names the units it belongs under (its own and those above it), so the page offers the chosen
    # unit's people (Unit paths grow by a fixed step: a few dictionary look-ups a person).
    by_path, step = {u.path: u.pk for u in units}, Unit.steplen
    for person in people:
        path = person.unit.path
        person.unit_ids = " ".join(str(by_path[path[:end]]) for end in range(step, len(path) + 1, step)
                                   if path[:end] in by_path)
    return {"units": units, "check_items": campaign.check_items.all(), "aspects": campaign.feedback_aspects.all(),
            "people": people}


def _plan_values(data, choices) -> dict:
    units = {u.pk: u for u in choices["units"]}
    items = {i.pk: i for i in choices["check_items"]}
    aspects = {a.pk: a for a in choices["aspects"]}
    return {
        "unit": units.get(data["unit"]), "check_item": items.get(data["check_item"]), "source": data["source"],
        "aspect": aspects.get(data["aspect"]), "description": data["description"], "category": data["category"],
        "rectification_type": data["rectification_type"], "measures": data["measures"], "deadline": data["deadline"],
        "responsible_leader": data["responsible_leader"], "responsible_department": data["responsible_department"],
        "responsible_person_name": data["responsible_person_name"],
        "responsible_person_post": data["responsible_person_post"],
        "responsible_person_phone": data["responsible_person_phone"],
    }


@permission_required("problem.create")
def problem_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    self_inspection = None
    initial = {"source": Source.SELF_INSPECTION, "rectification_type": RectificationType.DEADLINE}
    if request.GET.get("self_inspection"):
        self_inspection = campaign_queries.visible_self_inspections(request.user, campaign).filter(
            pk=request.GET["self_inspection"]).first()
        if self_inspection is None:
            raise Http404
        initial.update(unit=self_inspection.unit_id, check_item=self_inspection.check_item_id)
    elif request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    choices = _form_choices(request.user, campaign)
    form = ProblemForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        values = _plan_values(form.cleaned_data, choices)
        try:
            problem = services.register_problem(
                request.user, campaign=campaign, milestones=form.cleaned_data["milestones"],
                self_inspection=self_inspection, **{k: v for k, v in values.items() if k != "unit"}, unit=values["unit"],
            )
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已登记问题 {format_problem_no(problem.pk)}。")
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/form.html", {
        "form": form, "title": "登记问题", "self_inspection": self_inspection,
        "breadcrumbs": [LEDGER, ("登记问题", None)],
    })


@permission_required("problem.create")
def problem_edit(request, pk):
    problem = queries.get_problem(request.user, pk)
    choices = _form_choices(request.user, problem.campaign)
    initial = {
        "unit": problem.unit_id, "check_item": problem.check_item_id, "source": problem.source, "aspect": problem.aspect_id,
        "description": problem.description, "category": problem.category, "rectification_type": problem.rectification_type,
        "measures": problem.measures, "deadline": problem.deadline, "responsible_leader": problem.responsible_leader,
        "responsible_department": problem.responsible_department,
        "responsible_person_name": problem.responsible_person_name,
        "responsible_person_post": problem.responsible_person_post,
        "responsible_person_phone": str(problem.responsible_person_phone),  # masked: left as shown, it is kept
        "milestones": "\n".join(f"{'√ ' if m.done else ''}{m.due_date:%Y-%m-%d} {m.title}" for m in problem.milestones.all()),
        "version": problem.version,
    }
    form = ProblemForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        values = _plan_values(form.cleaned_data, choices)
        if values["responsible_person_phone"] == initial["responsible_person_phone"]:
            del values["responsible_person_phone"]  # the masked number came back unchanged
        try:
            services.update_problem(request.user, problem, version=form.cleaned_data["version"],
                                    milestones=form.cleaned_data["milestones"], **values)
        except (Conflict, Invalid) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "整改方案已保存。")
            return redirect("problems:detail", pk=problem.pk)
    return render(request, "problems/form.html", {
        "form": form, "title": f"修改问题 {format_problem_no(problem.pk)}", "problem": problem,
        "breadcrumbs": [LEDGER, (f"问题 {format_problem_no(problem.pk)}", reverse("problems:detail", args=[problem.pk])), ("修改", None)],
    })


def _unnamed_refused(problem, form: SignOffForm) -> SignOffForm:
    """“责任落实” cannot be ticked while the problem names no 责任人 (the service refuses it too)."""
    if not problem.responsible_person_name:
        field = form.fields["check_responsibility_fixed"]
        field.disabled = True
        field.help_text = "尚未明确责任人：请先在整改方案中填写责任人。"
    return form


def _detail_context(request, problem, **forms):
    user = request.user
    actions = PROBLEM_WORKFLOW.allowed_actions(user, problem)
    can_work = can_act_on(user, "problem.work", problem.unit, owner_id=problem.responsible_person_id)
    return {
        "problem": problem, "actions": actions, "action_codes": {a.action for a in actions},
        "can_edit": problem.status in (Status.OPEN, Status.IN_PROGRESS) and can_act_on(user, "problem.create", problem.unit),
        "can_progress": can_work and problem.status in (Status.OPEN, Status.IN_PROGRESS),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(initial={"version": problem.version}),
        "sign_off_form": _unnamed_refused(problem, forms.get("sign_off_form")
                                          or SignOffForm(initial={"version": problem.version})),
        "failed_action": forms.get("failed_action"),
        # An import's one event lists every row it registered: the timeline needs its label, not that list.
        "history": history_of(problem).select_related("actor").defer("before", "after"),
        "six_checks": SIX_CHECKS, "kind_labels": KIND_LABELS,
        "breadcrumbs": [LEDGER, (f"问题 {format_problem_no(problem.pk)}", None)],
    }


@permission_required("problem.view")
def problem_detail(request, pk):
    problem = queries.get_problem(request.user, pk)
    return render(request, "problems/detail.html", _detail_context(request, problem))


@require_POST
@permission_required("problem.view")
def add_progress(request, pk):
    problem = queries.get_problem(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_progress(request.user, problem, text=form.cleaned_data["text"],
                                  percent=form.cleaned_data["percent"], files=form.cleaned_data["files"])
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "整改进展已保存。")
            return redirect("problems:detail", pk=problem.pk)
    problem = queries.get_problem(request.user, pk)
    return render(request, "problems/detail.html", _detail_context(request, problem, progress_form=form), status=422)


@require_POST
@permission_required("problem.view")
def perform_action(request, pk, action):
    problem = queries.get_problem(request.user, pk)
    form_class = SignOffForm if action == "sign_off" else ReasonForm
    form = form_class(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        PROBLEM_WORKFLOW.perform(
            request.user, problem, action, version=given_version(data.get("version"), problem), reason=data.get("reason", ""),
            checks=form.checks() if action == "sign_off" else None, opinion=data.get("opinion", ""),
        )
    except Forbidden as exc:
        messages.error(request, exc.message)
        return redirect("problems:detail", pk=problem.pk)
    except DomainError as exc:
        form.errors.clear()
        form_errors_from(form, exc)
        messages.error(request, exc.message)
        problem = queries.get_problem(request.user, pk)
        key = "sign_off_form" if action == "sign_off" else "reason_form"
        return render(request, "problems/detail.html",
                      _detail_context(request, problem, failed_action=action, **{key: form}), status=422)
    label = PROBLEM_WORKFLOW.get(action).label
    messages.success(request, f"已{label}。")
    return redirect("problems:detail", pk=problem.pk)


@permission_required("problem.view")
def download_attachment(request, attachment_id):
    attachment = queries.get_attachment(request.user, attachment_id)
    return download_response(attachment)


@permission_required("problem.view")
def feedback(request):  # GET: the "X个方面X个问题" view; POST (office): add an aspect
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404
    can_manage = has_permission(request.user, "campaign.manage")
    error = ""
    if request.method == "POST" and can_manage:
        try:
            aspect = services.add_feedback_aspect(request.user, campaign, title=request.POST.get("title", ""))
        except Invalid as exc:
            error = next(iter(exc.details.values()), exc.message)
        else:
            messages.success(request, f"已添加反馈方面“{aspect.title}”。")
            return redirect("problems:feedback")
    aspects = queries.feedback_aspects(request.user, campaign)
    total = sum(a.total for a in aspects)
    return render(request, "problems/feedback.html", {
        "campaign": campaign, "aspects": aspects, "total": total, "closed": sum(a.closed for a in aspects),
        "open_count": total - sum(a.closed for a in aspects), "can_manage": can_manage, "error": error,
        "breadcrumbs": [LEDGER, ("督导组反馈问题", None)],
    })


@permission_required("problem.view")
def rules(request):
    campaign = campaign_queries.current_campaign(request.user)
    return render(request, "problems/rules.html", {
        "rules": queries.visible_rules(request.user, campaign), "can_manage": has_permission(request.user, "rule.manage"),
        "breadcrumbs": [LEDGER, ("制度成果", None)],
    })


@permission_required("rule.manage")
def rule_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404
    units = list(units_in_scope(request.user, "rule.manage").order_by("path"))
    problems = list(queries.visible_problems(request.user).filter(campaign=campaign).select_related("unit").order_by("-id")[:500])
    form = RuleForm(request.POST or None, units=units, problems=problems)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_lasting_rule(
                request.user, campaign=campaign, unit=next(u for u in units if u.pk == data["unit"]), title=data["title"],
                document_no=data["document_no"], issued_on=data["issued_on"], summary=data["summary"],
                problems=[p for p in problems if p.pk in set(data["problems"])],
            )
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "制度成果已登记。")
            return redirect("problems:rules")
    return render(request, "problems/form.html", {
        "form": form, "title": "登记制度成果",
        "breadcrumbs": [LEDGER, ("制度成果", reverse("problems:rules")), ("登记", None)],
    })
