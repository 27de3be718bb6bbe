"""消息通知: the user's own inbox. Opening a message (or one of its items) marks it read, by POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qicha.core.errors import NotFound

from . import inbox_queries, services

PAGE_SIZE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    rows = inbox_queries.own_notifications(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {
        "breadcrumbs": [("消息通知", None)], "page": page, "unread_only": unread_only,
        "query": "unread=1" if unread_only else "", "unread_total": inbox_queries.unread_count(request.user),
    })


def _mark(request, pk):
    try:
        return services.mark_read(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_POST
def open_notification(request, pk):
    """Mark read and go to the message's link, or to one of its items' (chosen by index: never a free URL)."""
    notification = _mark(request, pk)
    link = notification.link
    item = request.POST.get("item", "")
    if item.isdigit() and int(item) < len(notification.items):
        link = notification.items[int(item)].get("link") or link
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        link = ""  # only this site's pages ("//host" and "/\\host" are other sites to a browser)
    return redirect(link or "notify:inbox")


@login_required
@require_POST
def read_one(request, pk):
    _mark(request, pk)
    return redirect(_back(request))


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect(_back(request))


def _back(request) -> str:
    page = request.POST.get("page", "")
    unread = request.POST.get("unread") == "1"
    query = "&".join(q for q in ("unread=1" if unread else "", f"page={page}" if page.isdigit() else "") if q)
    return reverse("notify:inbox") + (f"?{query}" if query else "")
