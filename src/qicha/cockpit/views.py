from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from qicha.core.errors import NotFound
from qicha.core.excel_export import XLSX_MIME
from qicha.core.scope import has_permission
from qicha.core.workbench import Viewer

from . import exporting, queries, tables, workbench
from .focus import PERMISSION

REFRESH_SECONDS = 300  # the big screen reloads itself every five minutes


def _cockpit(request):
    try:
        return queries.cockpit(request.user, request.GET)
    except NotFound as exc:
        raise Http404(exc.message) from exc  # no dashboard permission, or a unit out of scope: nothing is there


@login_required
def dashboard(request):
    """统计看板 (R-REP-4/5): the campaign at a glance, every figure opening the list behind it."""
    data = _cockpit(request)
    focus = data["focus"]
    screen = request.GET.get("screen") == "1"
    query = focus.params()
    body = tables.screen_body if screen else tables.body
    return render(request, "cockpit/screen.html" if screen else "cockpit/dashboard.html", {
        "focus": focus, "tables": [(panel, body(panel)) for panel in data["panels"]], "today": data["today"],
        "charts": [queries.panel_data(panel) for panel in data["panels"]],
        # The unit filter's choices: the units the focus already read (a city has 300 options).
        "unit_options": [(unit.pk, unit.display_name) for unit in focus.units],
        "chosen_unit": focus.unit.pk if focus.unit else None,
        "query": "&".join(f"{k}={v}" for k, v in query.items()), "refresh": REFRESH_SECONDS,
        "breadcrumbs": [("统计看板", None)],
    })


@login_required
def export(request):
    data = _cockpit(request)
    content, name = exporting.workbook(request.user, data["focus"], data["panels"], data["today"])
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
def card(request):
    """The compact cockpit the 工作台 loads after the page (htmx)."""
    if not has_permission(request.user, PERMISSION):
        raise Http404()
    return render(request, "cockpit/_workbench_card.html", {"card": workbench.compact(Viewer(request.user))})
