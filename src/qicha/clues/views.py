"""Clue pages: ledger, intake, detail with timeline and actions, repeats, 清仓见底 board, time-limit settings."""

import unicodedata
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core import registry
from qicha.core.attachments import KIND_LABELS, download_response
from qicha.core.audit import history_of
from qicha.core.dates import DateTextError, parse_date_text
from qicha.core.errors import DomainError, Forbidden, Invalid, NotFound
from qicha.core.params import parse_id
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.web import form_errors_from, permission_required
from qicha.core.workflow import given_version
from qicha.orgs.models import Role, User

from . import case_queries, importing, queries, services
from .forms import (
    AssignForm,
    CloseForm,
    ClueForm,
    EvidenceForm,
    FollowUpForm,
    ReasonForm,
    ReplyForm,
    ResultForm,
    RevealForm,
    TimeLimitForm,
)
from .models import DayKind, Domain, Result, Source, Status
from .workflow import CLUE_WORKFLOW

PAGE_SIZE = 20
LEDGER = ("线索核查", "/clues/")
# Which form each action takes; actions not listed need only the version.
ACTION_FORMS = {"assign": AssignForm, "report_result": ResultForm, "record_review": ResultForm,
                "record_follow_up": FollowUpForm, "record_reply": ReplyForm, "return": ReasonForm,
                "close": CloseForm, "escalate": ReasonForm,
                "withdraw_escalation": ReasonForm}


def _assign_choices(user):
    units = list(units_in_scope(user, "clue.assign").order_by("path"))
    # Handlers are people who can verify clues (not leaders reading along, never the 三员 administrators).
    workers = {r.pk for r in Role.objects.all() if "clue.work" in r.permissions}
    people = (User.objects.filter(is_active=True, unit__in=units, roles__in=workers).distinct()
              .select_related("unit").order_by("unit__path", "username"))
    return {"units": units, "people": people}


@permission_required("clue.view")
def clue_list(request):
    filters = queries.ClueFilters.from_params(request.GET)
    campaign = campaign_queries.current_campaign(request.user)
    if filters.errors:
        rows, counts = queries.visible_clues(request.user).none(), {"all": 0, "overdue": 0}
    else:
        rows, counts = queries.clue_list(request.user, filters), queries.status_counts(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    can_assign = has_permission(request.user, "clue.assign")
    return render(request, "clues/list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "status_query": status_query.urlencode(),
        "counts": counts, "statuses": Status.choices, "sources": Source.choices, "domains": Domain.choices,
        "results": Result.choices, "campaign": campaign,
        "units": units_in_scope(request.user, "clue.view").order_by("path"),
        "can_create": has_permission(request.user, "clue.create"),
        "can_import": importing.can_import(request.user),
        "assign_form": AssignForm(**_assign_choices(request.user)) if can_assign else None,
        "reply_rate": queries.reply_rate(request.user, campaign),
        "can_export_reporter": has_permission(request.user, "clue.reveal"),
        "can_set_limits": has_permission(request.user, "clue.settings"),
        "breadcrumbs": [(LEDGER[0], None)],
    })


@permission_required("clue.create")
def clue_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    units = list(units_in_scope(request.user, "clue.create").order_by("path"))
    form = ClueForm(request.POST or None, units=units,
                    initial={"received_date": date.today(), "source": Source.PUBLIC_REPORT})
    if request.method == "POST" and form.is_valid():
        values = form.intake_values(units)
        try:
            clue = services.register_clue(request.user, campaign=campaign, **values)
        except Invalid as exc:
            form.add_service_errors(exc.details) if exc.details else form.add_error(None, exc.message)
        else:
            clue.refresh_from_db()
            note = ""
            if clue.status == Status.ESCALATED:
                note = "该事项曾被核查为不属实或查无实据，本线索已转提级复核。"
            elif queries.visible_repeat_of(request.user, clue):
                note = f"已自动认定为线索 #{clue.repeat_of_id} 的重复举报。"
            elif queries.repeat_candidates(request.user, clue):
                # Only earlier clues the registrant may see are mentioned; others wait for the office unannounced.
                note = "发现疑似重复的在先线索，请在详情页确认。"
            messages.success(request, f"已登记线索 #{clue.pk}。{note}")
            return redirect("clues:detail", pk=clue.pk)
    elif request.method == "POST":
        # The form refused something (say, an impossible date): report the rest of what is wrong in the same round.
        try:
            services.validate_intake(request.user, campaign, form.intake_values(units))
        except Invalid as exc:
            form.add_service_errors(exc.details, keep_existing=True)
    return render(request, "clues/form.html", {
        "form": form, "title": "登记线索", "breadcrumbs": [LEDGER, ("登记线索", None)],
    })


def _needs_follow_up_reason(clue) -> bool:
    return clue.result in (Result.TRUE, Result.PARTLY_TRUE) and not clue.follow_ups.all()


def _detail_context(request, clue, *, failed_action=None, failed_form=None, revealed=None, reveal_form=None,
                    evidence_form=None):
    user = request.user
    actions = CLUE_WORKFLOW.allowed_actions(user, clue)
    forms = {}
    for t in actions:
        form_class = ACTION_FORMS.get(t.action)
        if form_class is None:
            continue
        if t.action == failed_action and failed_form is not None:
            forms[t.action] = failed_form
        elif form_class is AssignForm:
            forms[t.action] = AssignForm(initial={"unit": clue.unit_id, "handler": clue.handler_id, "version": clue.version},
                                         **_assign_choices(user))
        else:
            forms[t.action] = form_class(initial={"version": clue.version, "date": date.today()})
        if t.action == "close" and not _needs_follow_up_reason(clue):
            forms[t.action].fields.pop("no_follow_up_reason", None)
    can_review = CLUE_WORKFLOW.permits(user, clue, "clue.review")
    return {
        "clue": clue, "actions": [(t, forms.get(t.action)) for t in actions], "failed_action": failed_action,
        "candidates": queries.repeat_candidates(user, clue),
        "same_matter": queries.same_matter(user, clue), "repeat_count": queries.repeat_count(user, clue),
        "same_subject": queries.same_subject(user, clue),
        "repeat_of": queries.visible_repeat_of(user, clue),
        "can_decide": can_review,
        "can_reveal": services.may_reveal_reporter(user, clue) and bool(clue.reporter_name),
        "cases": list(case_queries.visible_cases(user).filter(clue=clue)),
        "linked_records": registry.linked_records(user, "clue", clue.pk),  # e.g. sector ledger rows naming it
        "can_open_case": (clue.unit_id is not None and clue.result in (Result.TRUE, Result.PARTLY_TRUE)
                          and can_act_on(user, "case.manage", clue.unit)),
        "reveal_form": reveal_form or RevealForm(), "revealed": revealed,
        "can_add_evidence": services.may_add_evidence(user, clue),
        "evidence_form": evidence_form or EvidenceForm(), "kind_labels": KIND_LABELS,
        "history": [(e, _event_label(e)) for e in history_of(clue).select_related("actor")],
        "breadcrumbs": [LEDGER, (f"线索 #{clue.pk}", None)],
    }


EVENT_LABELS = {"create": "登记线索", "add_evidence": "上传线索材料", "link_repeat": "认定重复举报", "dismiss_repeat": "排除疑似重复",
                "record_follow_up": "登记后续处置", "record_reply": "登记答复", "reporter_name": "查看举报人明文",
                "unlink_repeat": "取消重复关联", "merge_matters": "合并事项"}


def _event_label(event) -> str:
    if event.event_type == "transition":
        return CLUE_WORKFLOW.get(event.action).label
    if event.event_type == "reveal":
        return "查看举报人明文" if event.outcome == "success" else "查看举报人明文（被拒绝）"
    return EVENT_LABELS.get(event.action) or EVENT_LABELS.get(event.event_type) or event.get_event_type_display()


@permission_required("clue.view")
def clue_detail(request, pk):
    clue = queries.get_clue(request.user, pk)
    return render(request, "clues/detail.html", _detail_context(request, clue))


def _action_data(action: str, form, choices) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    if action == "assign":
        data["unit"] = next((u for u in choices["units"] if u.pk == data.get("unit")), None)
        data["handler"] = next((p for p in choices["people"] if p.pk == data.get("handler")), None)
    return data


@require_POST
@permission_required("clue.view")
def perform_action(request, pk, action):
    clue = queries.get_clue(request.user, pk)
    form_class = ACTION_FORMS.get(action, ReasonForm)
    choices = _assign_choices(request.user) if action == "assign" else {}
    form = form_class(request.POST, **choices)
    valid = form.is_valid()
    try:
        CLUE_WORKFLOW.check_transition(request.user, clue, action)
        if not valid:
            raise Invalid()
        CLUE_WORKFLOW.perform(request.user, clue, action, version=given_version(form.cleaned_data.get("version"), clue),
                              **_action_data(action, form, choices))
    except Forbidden as exc:
        messages.error(request, exc.message)
        return redirect("clues:detail", pk=clue.pk)
    except DomainError as exc:
        if exc.details or not form.errors:
            form_errors_from(form, exc)
        if not exc.details and not form.errors:
            messages.error(request, exc.message)  # otherwise the form beside the button says it, once
        clue = queries.get_clue(request.user, pk)
        return render(request, "clues/detail.html",
                      _detail_context(request, clue, failed_action=action, failed_form=form), status=422)
    messages.success(request, f"已{CLUE_WORKFLOW.get(action).label}。")
    return redirect("clues:detail", pk=clue.pk)


@require_POST
@permission_required("clue.review")
def decide_candidate(request, pk, candidate_id, decision):
    if decision not in ("link", "dismiss"):
        raise Http404
    clue = queries.get_clue(request.user, pk)
    try:
        services.decide_candidate(request.user, clue, candidate_id, link=decision == "link")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        clue.refresh_from_db()
        if decision != "link":
            messages.success(request, "已认定为不同事项。")
        elif clue.status == Status.ESCALATED:
            messages.success(request, "已关联为重复举报；该事项曾核查为不属实或查无实据，本线索已转提级复核。")
        else:
            messages.success(request, "已关联为重复举报。")
    return redirect("clues:detail", pk=clue.pk)


@require_POST
@permission_required("clue.review")
def unlink_repeat(request, pk):
    clue = queries.get_clue(request.user, pk)
    escalated = clue.status == Status.ESCALATED
    try:
        services.unlink_repeat(request.user, clue)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        clue.refresh_from_db()
        undone = escalated and clue.status != Status.ESCALATED
        messages.success(request, "已取消重复关联。" + (
            f"该关联引起的提级复核已撤销，线索恢复为“{clue.get_status_display()}”。" if undone else ""))
    return redirect("clues:detail", pk=clue.pk)


@require_POST
@permission_required("clue.review")
def merge_matter(request, pk):
    clue = queries.get_clue(request.user, pk)
    typed = unicodedata.normalize("NFKC", str(request.POST.get("other") or "")).strip().lstrip("#").strip()
    other = parse_id(typed)
    if other is None:
        messages.error(request, f"线索编号“{typed}”有误：请填写另一事项中任一线索的编号（数字）。" if typed
                       else "请填写另一事项中任一线索的编号。")
        return redirect("clues:detail", pk=clue.pk)
    if other == clue.pk:
        messages.error(request, "请填写另一条线索的编号，不能是本线索。")
        return redirect("clues:detail", pk=clue.pk)
    try:
        other_clue = queries.get_clue(request.user, other)
        before = {c.pk: c.status for c in (clue, other_clue)}
        keep = services.merge_matters(request.user, clue, other_clue)
    except NotFound:
        messages.error(request, f"未找到线索 #{other}，或该线索不在您的查看范围内。")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        for c in (clue, other_clue):
            c.refresh_from_db(fields=["status"])
        escalated = any(c.status == Status.ESCALATED != before[c.pk] for c in (clue, other_clue))
        messages.success(request, f"已认定为同一事项，以线索 #{keep.pk} 为首次举报。" + (
            "该事项曾核查为不属实或查无实据，新的举报已转提级复核。" if escalated else ""))
    return redirect("clues:detail", pk=clue.pk)


@require_POST
@permission_required("clue.view")  # the office, or the handler / liaisons of a real-name clue (services decide)
def reveal_reporter(request, pk):
    clue = queries.get_clue(request.user, pk)
    form = RevealForm(request.POST)
    revealed = None
    if form.is_valid():
        try:
            revealed = services.reveal_reporter(request.user, clue, form.cleaned_data["reason"])
        except services.SecondFactorRequired as exc:
            messages.info(request, exc.message)
            return redirect(f"{reverse('otp_verify')}?next={reverse('clues:detail', args=[clue.pk])}")
        except Invalid as exc:
            form_errors_from(form, exc)
    # Shown once on this response; nothing clear is kept in the session or the page's address.
    return render(request, "clues/detail.html", _detail_context(request, clue, revealed=revealed, reveal_form=form),
                  status=200 if revealed else 422)


@require_POST
@permission_required("clue.view")
def add_evidence(request, pk):
    clue = queries.get_clue(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = services.add_clue_evidence(request.user, clue, category=form.cleaned_data["category"],
                                              note=form.cleaned_data["note"], files=form.cleaned_data["files"] or [])
        except Forbidden as exc:
            messages.error(request, exc.message)
            return redirect("clues:detail", pk=clue.pk)
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已上传 {len(rows)} 个文件。")
            return redirect("clues:detail", pk=clue.pk)
    clue = queries.get_clue(request.user, pk)
    return render(request, "clues/detail.html", _detail_context(request, clue, evidence_form=form), status=422)


@permission_required("clue.view")
def download_evidence(request, attachment_id):
    return download_response(queries.get_evidence_attachment(request.user, attachment_id))


@require_POST
@permission_required("clue.assign")
def bulk_assign(request):
    choices = _assign_choices(request.user)
    form = AssignForm(request.POST, **choices)
    ids = [i for i in map(parse_id, request.POST.getlist("clue")) if i is not None]
    back = request.POST.get("next") or reverse("clues:list")
    if not back.startswith("/clues/"):
        back = reverse("clues:list")
    if not ids:
        messages.error(request, "请先勾选要分办的线索。")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "请选择承办单位（可同时指定承办人）。")
        return redirect(back)
    data = _action_data("assign", form, choices)
    done, failed = 0, []
    for clue in queries.visible_clues(request.user).filter(pk__in=ids).select_related("unit"):
        try:
            services.assign_clue(request.user, clue, version=clue.version, unit=data["unit"], handler=data["handler"])
            done += 1
        except DomainError as exc:
            failed.append(f"#{clue.pk}：{'；'.join(exc.details.values()) or exc.message}")
    if done:
        messages.success(request, f"已将 {done} 条线索分办至{data['unit'].name}。")
    if failed:
        messages.error(request, "以下线索未能分办：" + "；".join(failed[:10]))
    return redirect(back)


@permission_required("clue.view")
def board(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    cut_off, error = services.board_cut_off(campaign), ""
    if request.GET.get("cut_off"):
        try:
            cut_off = parse_date_text(request.GET["cut_off"])
        except DateTextError as exc:
            error = f"清仓见底日期：{exc.message}"
    data = queries.clearance_board(request.user, campaign, cut_off)
    unit_key = request.GET.get("unit")
    open_rows = list(queries.open_before_cut_off(request.user, campaign, cut_off,
                                                 unit_id=None if unit_key is None else (parse_id(unit_key) or ""))[:200])
    return render(request, "clues/board.html", {
        "board": data, "campaign": campaign, "error": error, "target": services.cut_off_for(campaign), "open_rows": open_rows, "unit_key": unit_key,
        "reply_rate": queries.reply_rate(request.user, campaign, received_by=cut_off),
        "can_set_limits": has_permission(request.user, "clue.settings"),
        "breadcrumbs": [LEDGER, ("清仓见底", None)],
    })


@permission_required("clue.settings")
def time_limits(request):
    if request.method == "POST":
        form = TimeLimitForm(request.POST)
        if form.is_valid():
            try:
                changed = services.set_time_limit(request.user, form.cleaned_data["source"], days=form.cleaned_data["days"],
                                                  day_kind=form.cleaned_data["day_kind"])
            except Invalid as exc:
                messages.error(request, "；".join(exc.details.values()) or exc.message)
            else:
                messages.success(request, f"办理时限已保存，{changed} 条未核查线索的时限已重新计算。")
            return redirect("clues:time_limits")
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("clues:time_limits")
    return render(request, "clues/time_limits.html", {
        "rows": services.all_limits(), "day_kinds": DayKind.choices, "breadcrumbs": [LEDGER, ("办理时限", None)],
    })
