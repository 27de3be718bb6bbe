"""Ledger exports (台账导出): one page route and one API for every ledger list.

`/jobs/export/<ledger>/?<the list's querystring>` checks the ledger's view permission, validates the filters exactly as
the list does (a bad filter sends the user back to the list with its usual message), starts the ledger's export job and
sends the browser to the job's progress page. The job writes exactly the rows the list shows, through the ledger's
`queries.py`, with the owner's data scope. `POST /api/v1/exports` (export_api.py) starts the same jobs.
Each ledger registers itself (`core.registry.register_export`, from its plugins.py); none is imported here.
"""

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from qicha.core.audit import EventType, Outcome, record_event
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.registry import EXPORTS
from qicha.core.scope import has_permission
from qicha.core.templatetags.qicha import filter_label

from .registry import HANDLERS
from .services import start_job
from .web import job_redirect

# Not filters: paging, the form's token, and what export_ledger reads itself.
NOT_FILTERS = {"page", "csrfmiddlewaretoken", "ledger", "reason", "with_reporter"}


def filter_params(params: Mapping) -> dict:
    """The list's filters as a plain dict of strings (the last value of each, as the lists read them)."""
    items = params.items() if hasattr(params, "items") else params
    clean = {}
    for key, value in items:
        if key in NOT_FILTERS or value is None:
            continue
        if isinstance(value, bool):
            value = "1" if value else ""
        clean[str(key)] = str(value)
    return clean


def start_export(actor, ledger: str, params: Mapping, *, with_reporter: bool = False, reason: str = ""):
    """Check and queue one ledger export for `actor`; returns the job. Raises Invalid (unknown ledger, bad filters,
    a reveal without a reason), Forbidden (no view permission on that ledger) or NotFound (a reveal not entitled)."""
    spec = EXPORTS.get(ledger)
    if spec is None:
        raise Invalid("不支持导出该台账", {"ledger": f"应为：{'、'.join(EXPORTS)}"})
    if not has_permission(actor, spec.permission):
        raise Forbidden()
    clean = filter_params(params)
    filters = spec.parse(clean)
    reason = (reason or "").strip()
    if spec.reveals:
        spec.check(actor, filters, with_reporter=with_reporter, reason=reason)
    else:
        spec.check(actor, filters)
    job_params = {"ledger": ledger, "filters": clean}
    if spec.reveals and with_reporter:
        job_params |= {"with_reporter": True, "reason": reason}
    # A filtered export must not pass for the whole ledger in 我的后台任务 either (the sheet states the filters).
    filtered = spec.describe is not None and spec.describe(actor, filters)
    label = f"{HANDLERS[spec.kind].label}（已筛选）" if filtered else ""
    return start_job(actor, spec.kind, job_params, label=label)


def invalid_message(exc: Invalid) -> str:
    """"筛选条件有误：单位应为整数。未导出。" — the list's own wording; other refusals keep their message."""
    if not exc.details:
        return f"{exc.message.rstrip('。')}。未导出。"
    parts = [f"{filter_label(k)}{v}" if filter_label(k) != k else v for k, v in exc.details.items()]
    return f"{exc.message.rstrip('。')}：{'；'.join(parts)}。未导出。"


@login_required
@require_POST
def export_ledger(request, ledger):
    """POST from the list's button, carrying the list's querystring; `reason` asks for reporters in clear.

    POST only: starting work on the user's behalf must not be possible from a link or another site's image tag."""
    spec = EXPORTS.get(ledger)
    if spec is None:
        raise Http404("没有这个台账")
    params = request.GET.copy()
    params.update(request.POST)
    with_reporter = "reason" in request.POST
    try:
        job = start_export(request.user, ledger, params, with_reporter=with_reporter,
                           reason=request.POST.get("reason", ""))
    except Forbidden as exc:
        record_event(EventType.ACCESS_DENIED, actor=request.user, outcome=Outcome.DENIED,
                     object_repr=request.path[:300], detail=f"缺少权限：{spec.permission}")
        raise PermissionDenied from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except Invalid as exc:
        messages.error(request, invalid_message(exc))
        if spec.back is not None:
            return redirect(spec.back(filter_params(params)))
        query = urlencode(filter_params(params))
        return redirect(reverse(spec.list_url) + (f"?{query}" if query else ""))
    return job_redirect(request, job)
