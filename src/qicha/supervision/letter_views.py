"""Letter pages: the signing board, recording and correcting a letter, its detail with the scan and the checks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core.attachments import KIND_LABELS, download_response
from qicha.core.audit import history_of
from qicha.core.errors import DomainError, Forbidden
from qicha.core.scope import can_act_on, has_permission
from qicha.core.web import form_errors_from, permission_required
from qicha.problems.numbers import format_problem_no

from .letter_forms import CheckForm, LetterForm
from .models import CheckResult, LetterKind
from .queries import letters as queries
from .services import letters as services

SECTION = ("督导检查", "/supervision/")
BOARD = ("责任书与承诺书", "/supervision/letters/")
TIMELINE_LABELS = {"create": "登记", "update": "修改"}


@permission_required("supervision.view")
def letter_board(request):
    campaign = campaign_queries.current_campaign(request.user)
    kind = request.GET.get("kind") if request.GET.get("kind") in LetterKind.values else LetterKind.RESPONSIBILITY
    status = request.GET.get("status") if request.GET.get("status") in queries.SIGNED_FILTERS else ""
    boards = queries.signing_board(request.user, campaign, status) if campaign else []
    return render(request, "supervision/letters.html", {
        "campaign": campaign, "boards": boards, "kind": kind, "status": status,
        "current": next((b for b in boards if b.kind == kind), None),
        "signed_filters": queries.SIGNED_FILTERS,
        "can_manage": has_permission(request.user, "letter.manage"),
        "breadcrumbs": [SECTION, (BOARD[0], None)],
    })


def _signer_units(user, campaign):
    """Units the user may record a letter for: expected signers of either kind, within letter.manage."""
    units = {}
    for kind in LetterKind.values:
        for unit in queries.expected_signers(user, campaign, kind, permission="letter.manage"):
            units[unit.pk] = unit
    return sorted(units.values(), key=lambda u: u.path)


@permission_required("letter.manage")
def letter_create(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    units = _signer_units(request.user, campaign)
    initial = {"kind": request.GET.get("kind") or LetterKind.RESPONSIBILITY, "signed_on": timezone.localdate()}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    form = LetterForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.record_letter(
                request.user, campaign, data["kind"], next(u for u in units if u.pk == data["unit"]),
                signer=data["signer"], signer_title=data["signer_title"], counterpart=data["counterpart"],
                signed_on=data["signed_on"], scope=data["scope"], scan_upload=data["scan"] or None,
            )
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已登记{letter.unit.name}的{letter.get_kind_display()}。")
            return redirect("supervision:letter_detail", letter_id=letter.pk)
    return render(request, "supervision/letter_form.html", {
        "form": form, "title": "登记责任书、承诺书",
        "breadcrumbs": [SECTION, BOARD, ("登记", None)],
    })


@permission_required("supervision.view")
def letter_edit(request, letter_id):
    letter = queries.get_letter(request.user, letter_id)  # out of scope: 404, as on every record route
    if not can_act_on(request.user, "letter.manage", letter.unit):
        raise PermissionDenied
    initial = {f: getattr(letter, f) for f in ("kind", "signer", "signer_title", "counterpart", "signed_on", "scope")}
    initial |= {"unit": letter.unit_id, "version": letter.version}
    form = LetterForm(request.POST or None, request.FILES or None, units=[letter.unit], initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_letter(request.user, letter, version=data["version"], scan_upload=data["scan"] or None,
                                   **{f: data[f] for f in services.EDITABLE_FIELDS})
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("supervision:letter_detail", letter_id=letter.pk)
    return render(request, "supervision/letter_form.html", {
        "form": form, "title": f"修改{letter.unit.name}{letter.get_kind_display()}", "letter": letter,
        "breadcrumbs": [SECTION, BOARD, (str(letter), reverse("supervision:letter_detail", args=[letter.pk])),
                        ("修改", None)],
    })


def _detail_context(request, letter, check_form=None):
    user = request.user
    can_check = can_act_on(user, "letter.manage", letter.unit)
    return {
        "letter": letter, "checks": list(letter.checks.all()),
        "can_edit": can_check, "can_check": can_check and letter.campaign.is_active,
        "check_form": check_form or CheckForm(initial={"checked_on": timezone.localdate(),
                                                       "person": letter.signer, "person_title": letter.signer_title}),
        "history": history_of(letter).select_related("actor"), "timeline_labels": TIMELINE_LABELS,
        "kind_labels": KIND_LABELS, "results": CheckResult,
        "breadcrumbs": [SECTION, BOARD, (str(letter), None)],
    }


@permission_required("supervision.view")
def letter_detail(request, letter_id):
    letter = queries.get_letter(request.user, letter_id)
    return render(request, "supervision/letter_detail.html", _detail_context(request, letter))


@require_POST
@permission_required("supervision.view")
def letter_check(request, letter_id):
    letter = queries.get_letter(request.user, letter_id)
    if not can_act_on(request.user, "letter.manage", letter.unit):
        raise PermissionDenied
    form = CheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        extra = {}
        if data["result"] == CheckResult.BROKEN:
            extra = {name: data[name] for name in CheckForm.ACCOUNTABILITY_FIELDS}
        try:
            check = services.record_check(
                request.user, letter, checked_on=data["checked_on"], checked_by=data["checked_by"],
                method=data["method"], result=data["result"], findings=data["findings"],
                **{name: data[name] for name in CheckForm.PROBLEM_FIELDS}, **extra,
            )
        except Forbidden as exc:
            messages.error(request, exc.message)
            return redirect("supervision:letter_detail", letter_id=letter.pk)
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            text = "已记录监督检查。"
            if check.problem_id:
                text += f"已登记问题 {format_problem_no(check.problem_id)}（督导检查发现）。"
            if check.result == CheckResult.BROKEN:
                text += "已登记问责记录。"
            messages.success(request, text)
            return redirect("supervision:letter_detail", letter_id=letter.pk)
    letter = queries.get_letter(request.user, letter_id)
    return render(request, "supervision/letter_detail.html", _detail_context(request, letter, check_form=form),
                  status=422)


@permission_required("supervision.view")
def letter_scan(request, letter_id):
    scan = queries.get_scan(request.user, letter_id)
    return download_response(scan)
