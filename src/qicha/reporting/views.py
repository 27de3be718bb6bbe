"""Monthly reporting pages: the units × months matrix, the liaison's 本月报送, one period, one submission."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.campaigns import queries as campaign_queries
from qicha.core import registry
from qicha.core.audit import history_of
from qicha.core.errors import DomainError
from qicha.core.params import parse_id
from qicha.core.scope import can_act_on, has_permission
from qicha.core.web import permission_required
from qicha.core.workflow import given_version
from qicha.jobs.web import job_redirect

from . import queries, services
from .models import Status
from .snapshot import CASE_COLUMNS, CLUE_COLUMNS, PROBLEM_COLUMNS, verify
from .workflow import REASON_ACTIONS, SUBMISSION_WORKFLOW, allowed_actions

PERMISSIONS = queries.VIEW_PERMISSIONS
HOME = ("月度报送", "/reporting/")
TIMELINE_LABELS = {"request_approval": "报领导审核", "submit": "报送", "approve": "审核通过并报送",
                   "reject": "领导退回修改", "return": "扫黑办退回", "accept": "扫黑办接收"}

DONE = {"request_approval": "已报单位领导审核", "submit": "已报送，台账快照已冻结",
        "approve": "已审核通过并报送，台账快照已冻结", "reject": "已退回修改", "return": "已退回", "accept": "已接收"}


def _version(request):
    return parse_id(request.POST.get("version"))


def _own_card(user, campaign, period):
    """本期报送 for a liaison or unit leader of an expected unit: the submission, its state and what they may do."""
    if period is None or not queries.is_reporting_unit(user, campaign):
        return None
    if not (has_permission(user, "report.prepare") or has_permission(user, "report.approve")):
        return None
    submission = queries.own_submission(user, period)
    today = timezone.localdate()
    can_prepare = can_act_on(user, "report.prepare", user.unit) and (
        submission is None or submission.status in (Status.DRAFT, Status.RETURNED))
    return {
        "period": period, "submission": submission, "cell": queries.cell_for(period, submission, today),
        "actions": allowed_actions(user, submission) if submission else [],
        "can_prepare": can_prepare, "locked": services.submissions.locked_for(period, submission, today),
        "lock_message": services.submissions.lock_message(period),
    }


@permission_required(*PERMISSIONS)
def home(request):
    user = request.user
    campaign = campaign_queries.current_campaign(user)
    context = {"campaign": campaign, "breadcrumbs": [(HOME[0], None)],
               "can_review": has_permission(user, "report.review"),
               # Ledgers filled every month (registered by their apps), each with its own units × months table.
               "monthly_duties": registry.monthly_duties(user, timezone.localdate())}
    if campaign is not None:
        current = queries.current_period(user, campaign)
        context |= {
            "matrix": queries.matrix(user, campaign, page_number=request.GET.get("page") or 1), "current": current,
            "own": _own_card(user, campaign, current), "due_day": campaign.report_due_day,
            "has_periods": queries.visible_periods(user, campaign).exists(),
        }
    return render(request, "reporting/home.html", context)


@permission_required(*PERMISSIONS)
def todo_list(request, name):
    """One of the 工作台's reporting to-dos in full (待报送的月报, 待审核的报送, 待接收的报送): the list its figure opens."""
    if name not in queries.TODO_LISTS:
        raise Http404()
    title = queries.TODO_LISTS[name]
    return render(request, "notify/todo_list.html", {
        "item_label": "月报",
        "title": title, "rows": queries.todo_rows(request.user, name),
        "breadcrumbs": [(HOME[0], HOME[1]), (title, None)],
    })


@require_POST
@permission_required("report.review")
def generate(request):
    campaign = campaign_queries.current_campaign(request.user)
    if campaign is None:
        messages.error(request, "当前没有进行中的专项行动。")
        return redirect("reporting:home")
    try:
        if request.POST.get("month"):
            period = services.open_period(
                request.user, campaign, parse_id(request.POST.get("year")) or 0, parse_id(request.POST.get("month")) or 0,
                requires_approval=bool(request.POST.get("requires_approval")),
                lock_after_due=bool(request.POST.get("lock_after_due")))
            messages.success(request, f"已开设{period}报送期（截止 {period.due_date:%Y-%m-%d}）。")
        else:
            created = services.generate_periods(request.user, campaign)
            messages.success(request, f"已生成 {len(created)} 个报送期。" if created else "各月报送期均已存在。")
    except DomainError as exc:
        messages.error(request, " ".join([exc.message, *exc.details.values()]) if exc.details else exc.message)
    return redirect("reporting:home")


@permission_required(*PERMISSIONS)
def period_detail(request, period_id):
    user = request.user
    period = queries.get_period(user, period_id)
    today = timezone.localdate()
    rows = [(row, queries.cell_for(period, row.submission, today)) for row in queries.period_rows(user, period)]
    return render(request, "reporting/period.html", {
        "period": period, "rows": rows, "own": _own_card(user, period.campaign, period),
        "can_review": has_permission(user, "report.review"),
        "reported": sum(c.reported for _, c in rows), "timely": sum(c.timely for _, c in rows),
        "breadcrumbs": [HOME, (f"{period}报送", None)],
    })


@require_POST
@permission_required("report.prepare")
def period_prepare(request, period_id):
    """Save the note (准备报送), and with `then=submit` go on to 报送 / 报领导审核 in the same click."""
    period = queries.get_period(request.user, period_id)
    try:
        submission = services.prepare_submission(request.user, period, request.POST.get("note", ""),
                                                 version=_version(request))
        if request.POST.get("then") == "submit":
            action = "request_approval" if period.requires_approval else "submit"
            submission = SUBMISSION_WORKFLOW.perform(request.user, submission, action, version=submission.version)
            messages.success(request, "已报单位领导审核。" if action == "request_approval" else
                             f"已报送{period}台账，台账快照已冻结。")
        else:
            messages.success(request, "已保存报送草稿。")
    except DomainError as exc:
        messages.error(request, " ".join(exc.details.values()) if exc.details else exc.message)
    return redirect(request.POST.get("next") if request.POST.get("next") == "/reporting/" else
                    reverse("reporting:period", args=[period.pk]))


@require_POST
@permission_required("report.review")
def period_settings(request, period_id):
    period = queries.get_period(request.user, period_id)
    try:
        services.update_period(request.user, period, version=_version(request),
                               requires_approval=bool(request.POST.get("requires_approval")),
                               lock_after_due=bool(request.POST.get("lock_after_due")))
        messages.success(request, "已保存报送期设置。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:period", period_id=period.pk)


@require_POST
@permission_required(*PERMISSIONS)
def period_rollup(request, period_id):
    """全市汇总台账: the office's (report.review); anyone else gets a 404 before any job is started."""
    period = queries.get_period(request.user, period_id)
    job = services.start_rollup(request.user, period)
    return job_redirect(request, job)


@permission_required(*PERMISSIONS)
def submission_detail(request, submission_id):
    user = request.user
    submission = queries.get_submission(user, submission_id)
    snapshot = submission.snapshot or {}
    return render(request, "reporting/submission.html", {
        "submission": submission, "period": submission.period,
        "cell": queries.cell_for(submission.period, submission, timezone.localdate()),
        "actions": allowed_actions(user, submission), "reason_actions": REASON_ACTIONS,
        "verified": verify(submission), "snap": snapshot, "counts": snapshot.get("counts"),
        "returned_versions": [(v, verify(v)) for v in submission.returned_versions.select_related("returned_by")],
        "problem_columns": PROBLEM_COLUMNS, "clue_columns": CLUE_COLUMNS, "case_columns": CASE_COLUMNS,
        "history": history_of(submission).select_related("actor"), "timeline_labels": TIMELINE_LABELS,
        "breadcrumbs": [HOME, (f"{submission.period}报送", reverse("reporting:period", args=[submission.period_id])),
                        (submission.unit.name, None)],
    })


@require_POST
@permission_required(*PERMISSIONS)
def submission_action(request, submission_id, action):
    submission = queries.get_submission(request.user, submission_id)
    try:
        submission = SUBMISSION_WORKFLOW.perform(request.user, submission, action,
                                                 version=given_version(_version(request), submission),
                                                 reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, " ".join(exc.details.values()) if exc.details else exc.message)
    else:
        messages.success(request, f"{DONE.get(action, '已完成操作')}：{submission.unit.name}{submission.period}。")
    return redirect("reporting:submission", submission_id=submission.pk)
