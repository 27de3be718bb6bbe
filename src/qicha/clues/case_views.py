"""Case pages: ledger, registration, detail with progress, actions and the 一案一整治 record."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core.attachments import KIND_LABELS, download_response
from qicha.core.audit import history_of
from qicha.core.errors import DomainError, Forbidden, Invalid
from qicha.core.params import parse_id
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.web import KnownCountPaginator, form_errors_from, permission_required
from qicha.core.workflow import given_version
from qicha.problems.numbers import format_problem_no

from . import case_queries as queries
from . import queries as clue_queries
from .case_forms import (
    CaseActionForm,
    CaseForm,
    CaseProgressForm,
    RectificationForm,
    RectificationProblemForm,
)
from .models import CaseSource, CaseStatus
from .services import cases as services
from .workflow import CASE_WORKFLOW

PAGE_SIZE = 20
LEDGER = ("案件督办", "/cases/")
TIMELINE_LABELS = {
    "create": "登记案件", "add_progress": "填报办理进展", "start": "开始办理", "conclude": "办结", "return": "退回",
    "close": "销号", "save_rectification": "填写“一案一整治”记录", "open_problem": "立整改问题",
}




@permission_required("case.view")
def case_list(request):
    filters = queries.CaseFilters.from_params(request.GET)
    counts = queries.status_counts(request.user, filters)
    rows = queries.case_list(request.user, filters)
    page = KnownCountPaginator(rows, PAGE_SIZE, known_count=queries.count_for(filters, counts)).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    return render(request, "cases/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "status_query": status_query.urlencode(),
        "counts": counts, "statuses": CaseStatus.choices, "sources": CaseSource.choices,
        "units": units_in_scope(request.user, "case.view").order_by("path"),
        "can_create": has_permission(request.user, "case.manage"),
        "breadcrumbs": [(LEDGER[0], None)],
    })


@permission_required("case.manage")
def case_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    units = list(units_in_scope(request.user, "case.manage").order_by("path"))
    clue = None
    initial = {"source": CaseSource.CENTRAL_GROUP}
    if request.GET.get("clue"):
        # 线索立案: a clue verified as true becomes a case under supervision, linked back to it.
        clue_id = parse_id(request.GET["clue"])
        clue = clue_queries.visible_clues(request.user).filter(pk=clue_id).select_related("unit").first() if clue_id else None
        if clue is None:
            raise Http404
        initial = {"source": CaseSource.CLUE, "unit": clue.unit_id, "summary": clue.content,
                   "reference_no": clue.reference_no, "received_date": timezone.localdate()}
    form = CaseForm(request.POST or None, units=units, initial=initial, from_clue=clue is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.register_case(
                request.user, campaign, next(u for u in units if u.pk == data["unit"]), name=data["name"],
                source=data["source"], reference_no=data["reference_no"], received_date=data["received_date"],
                summary=data["summary"], instruction=data["instruction"], clue=clue,
            )
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已登记案件“{case.name}”。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/form.html", {
        "form": form, "title": f"线索 #{clue.pk} 立案督办" if clue else "登记督办案件",
        "breadcrumbs": [LEDGER, ("登记案件", None)],
    })


def _detail_context(request, case, **forms):
    user = request.user
    actions = CASE_WORKFLOW.allowed_actions(user, case)
    can_work = can_act_on(user, "case.work", case.unit)
    record = queries.rectification_of(user, case)
    editable = can_work and case.status in services.RECTIFICATION_STATUSES
    rect_form = forms.get("rect_form")
    if rect_form is None and editable:
        initial = {"version": record.version if record else 0}
        if record:
            initial |= {"gap": record.gap, "measures": record.measures, "no_problem_reason": record.no_problem_reason,
                        "problems": [p.pk for p in record.problems.all()]}
        rect_form = RectificationForm(prefix="rect", initial=initial,
                                      problems=_linkable(user, case))
    missing = services.missing_for_close(record)
    last_return = None
    history = list(history_of(case).select_related("actor"))
    if case.status == CaseStatus.INVESTIGATING:
        transitions = [e for e in history if e.event_type == "transition"]
        if transitions and transitions[-1].action == "return":
            last_return = transitions[-1].detail
    return {
        # The source clue is shown only to those who may see it (a case can be wider than its clue's audience).
        "source_clue": clue_queries.visible_clues(user).filter(pk=case.clue_id).first() if case.clue_id else None,
        "case": case, "actions": actions, "record": record,
        "missing": missing if case.status == CaseStatus.CONCLUDED else [], "record_complete": not missing,
        "can_progress": can_work and case.status in services.PROGRESS_STATUSES,
        "can_edit_record": editable,
        "can_open_problem": editable and can_act_on(user, "problem.create", case.unit),
        "progress_form": forms.get("progress_form") or CaseProgressForm(),
        "action_form": forms.get("action_form"), "failed_action": forms.get("failed_action"),
        "rect_form": rect_form,
        "problem_form": forms.get("problem_form") or RectificationProblemForm(prefix="problem"),
        "history": history, "timeline_labels": TIMELINE_LABELS, "kind_labels": KIND_LABELS, "last_return": last_return,
        "breadcrumbs": [LEDGER, (case.name, None)],
    }


def _linkable(user, case):
    return list(services.linkable_problems(user, case).select_related("unit").order_by("-id")[:500])


def _render_detail(request, pk, status=422, **forms):
    case = queries.get_case(request.user, pk)
    return render(request, "cases/detail.html", _detail_context(request, case, **forms), status=status)


@permission_required("case.view")
def case_detail(request, pk):
    case = queries.get_case(request.user, pk)
    return render(request, "cases/detail.html", _detail_context(request, case))


@require_POST
@permission_required("case.view")
def add_progress(request, pk):
    case = queries.get_case(request.user, pk)
    form = CaseProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_case_progress(request.user, case, form.cleaned_data["text"], files=form.cleaned_data["files"])
        except Forbidden as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", pk=case.pk)
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "办理进展已保存。")
            return redirect("cases:detail", pk=case.pk)
    return _render_detail(request, pk, progress_form=form)


@require_POST
@permission_required("case.view")
def save_rectification(request, pk):
    case = queries.get_case(request.user, pk)
    form = RectificationForm(request.POST, prefix="rect", problems=_linkable(request.user, case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_rectification(request.user, case, data["version"], data["gap"], data["measures"],
                                        data["no_problem_reason"], data["problems"])
        except Forbidden as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", pk=case.pk)
        except DomainError as exc:
            form_errors_from(form, exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, "“一案一整治”记录已保存。")
            return redirect("cases:detail", pk=case.pk)
    return _render_detail(request, pk, rect_form=form)


@require_POST
@permission_required("case.view")
def open_problem(request, pk):
    case = queries.get_case(request.user, pk)
    form = RectificationProblemForm(request.POST, prefix="problem")
    if form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.open_rectification_problem(request.user, case, data["description"], data["measures"],
                                                           data["deadline"])
        except Forbidden as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", pk=case.pk)
        except DomainError as exc:
            form_errors_from(form, exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已立整改问题 {format_problem_no(problem.pk)}，并关联到本案“一案一整治”记录。")
            return redirect("cases:detail", pk=case.pk)
    return _render_detail(request, pk, problem_form=form)


@require_POST
@permission_required("case.view")
def perform_action(request, pk, action):
    case = queries.get_case(request.user, pk)
    form = CaseActionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        CASE_WORKFLOW.perform(request.user, case, action, version=given_version(data.get("version"), case),
                              reason=data.get("reason", ""), conclusion=data.get("conclusion", ""))
    except Forbidden as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", pk=case.pk)
    except DomainError as exc:
        form_errors_from(form, exc)
        messages.error(request, exc.message)
        return _render_detail(request, pk, action_form=form, failed_action=action)
    messages.success(request, f"已{CASE_WORKFLOW.get(action).label}。")
    return redirect("cases:detail", pk=case.pk)


@permission_required("case.view")
def download_attachment(request, attachment_id):
    attachment = queries.get_attachment(request.user, attachment_id)
    return download_response(attachment)
