"""单位总结 pages: the office's collection (who has handed in, who is late), a unit's own summary to write and
submit, one summary with its file and the office's 接收 / 退回."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.campaigns.queries import current_campaign
from qicha.core.attachments import download_response
from qicha.core.audit import history_of
from qicha.core.errors import DomainError
from qicha.core.params import parse_id
from qicha.core.scope import has_permission
from qicha.core.web import permission_required
from qicha.core.workflow import given_version

from . import queries, unit_services
from .models import Kind, UnitSummaryStatus
from .unit_workflow import REASON_ACTIONS, REVIEW, SUBMIT, UNIT_SUMMARY_WORKFLOW, VIEW

HOME = ("单位总结报送", "/documents/units/")
DONE = {"submit": "已提交局扫黑办", "return": "已退回", "accept": "已接收"}
TIMELINE_LABELS = {"submit": "提交", "return": "退回", "accept": "接收"}


def _campaign(request):
    campaign = current_campaign(request.user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    return campaign


def _own_cards(user, campaign, today):
    """本单位的总结: both kinds, with their state and due dates, for a writer of a participating unit."""
    if not has_permission(user, SUBMIT) or user.unit_id is None:
        return []
    if not campaign.participating_units.filter(pk=user.unit_id).exists():
        return []
    cards = []
    for kind in Kind:
        summary = queries.own_unit_summary(user, campaign, kind)
        row = queries.CollectionRow(user.unit, summary, queries.due_date(campaign, kind), today)
        cards.append({"kind": kind, "row": row})
    return cards


@permission_required(VIEW)
def home(request):
    user = request.user
    campaign = current_campaign(user)
    today = timezone.localdate()
    context = {"campaign": campaign, "breadcrumbs": [(HOME[0], None)], "kinds": list(Kind)}
    if campaign is not None:
        kind = queries.get_kind(request.GET.get("kind") or Kind.STAGE)
        context |= {"kind": kind, "own": _own_cards(user, campaign, today),
                    "collection": queries.collection(user, campaign, kind, today),
                    "can_review": has_permission(user, REVIEW)}
    return render(request, "documents/unit_home.html", context)


@permission_required(VIEW)
def todo_list(request, name):
    """One of the 工作台's 单位总结 to-dos in full, both kinds: the list its figure opens."""
    if name not in queries.SUMMARY_TODOS:
        raise Http404()
    title = queries.SUMMARY_TODOS[name][0]
    lists = queries.summary_todos(request.user, _campaign(request))
    rows = queries.summary_todo_rows(lists[name]) if name in lists else []
    return render(request, "notify/todo_list.html", {
        "item_label": "单位总结", "title": title, "rows": rows,
        "breadcrumbs": [(HOME[0], HOME[1]), (title, None)],
    })


@permission_required(SUBMIT)
def mine(request):
    """Write the unit's summary (?kind=stage|final): typed text, or the unit's .docx / .pdf, or both; save, or save
    and submit. Always the caller's own unit, so the address names no record."""
    kind = queries.get_kind(request.GET.get("kind") or Kind.STAGE)
    campaign = _campaign(request)
    user = request.user
    summary = queries.own_unit_summary(user, campaign, kind)
    errors, text, status = {}, summary.text if summary else "", 200
    if request.method == "POST":
        text = request.POST.get("text", "")
        fields = {"text": text, "upload": request.FILES.get("file"),
                  "remove_file": request.POST.get("remove_file") == "1",
                  "version": parse_id(request.POST.get("version")) or 0}
        submit = request.POST.get("then") == "submit"
        try:
            act = unit_services.save_and_submit if submit else unit_services.save_unit_summary
            summary = act(user, campaign, kind, **fields)
        except DomainError as exc:
            errors = exc.details or {"": exc.message}
            status = 409 if exc.status == 409 else 400
        else:
            messages.success(request, f"本单位{kind.label}" + ("已提交局扫黑办。" if submit else "已保存，尚未提交。"))
            if submit:
                return redirect("documents:unit_summary", pk=summary.pk)
            return redirect(f"{reverse('documents:unit_mine')}?kind={kind.value}")
    editable = summary is None or summary.status in (UnitSummaryStatus.DRAFT, UnitSummaryStatus.RETURNED)
    return render(request, "documents/unit_mine.html", {
        "campaign": campaign, "kind": kind, "summary": summary, "text": text, "errors": errors,
        "editable": editable, "due": queries.due_date(campaign, kind),
        "breadcrumbs": [HOME, (f"本单位{kind.label}", None)],
    }, status=status)


@permission_required(VIEW)
def detail(request, pk):
    user = request.user
    campaign = _campaign(request)
    summary = queries.get_unit_summary(user, campaign, pk)
    due = queries.due_date(campaign, summary.kind)
    return render(request, "documents/unit_summary.html", {
        "summary": summary, "campaign": campaign,
        "row": queries.CollectionRow(summary.unit, summary, due, timezone.localdate()),
        "actions": UNIT_SUMMARY_WORKFLOW.allowed_actions(user, summary), "reason_actions": REASON_ACTIONS,
        "history": history_of(summary).select_related("actor"), "timeline_labels": TIMELINE_LABELS,
        "can_edit": has_permission(user, SUBMIT) and summary.unit_id == user.unit_id,
        "breadcrumbs": [HOME, (str(summary), None)],
    })


@permission_required(VIEW)
def download(request, pk):
    summary = queries.get_unit_summary(request.user, _campaign(request), pk)
    if summary.file is None:
        raise Http404("该总结没有上传文件。")
    return download_response(summary.file)


@require_POST
@permission_required(VIEW)
def action(request, pk, action):
    summary = queries.get_unit_summary(request.user, _campaign(request), pk)
    try:
        summary = UNIT_SUMMARY_WORKFLOW.perform(request.user, summary, action,
                                                version=given_version(parse_id(request.POST.get("version")), summary),
                                                reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, " ".join(exc.details.values()) if exc.details else exc.message)
    else:
        messages.success(request, f"{DONE.get(action, '已完成操作')}：{summary}。")
    return redirect(reverse("documents:unit_summary", kwargs={"pk": summary.pk}))
