"""数据比对 pages: the review queue (核查清单) and a hit; the office's registers, runs and a run's record."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from qicha.core.audit import history_of
from qicha.core.errors import Conflict, Forbidden, Invalid
from qicha.core.web import permission_required

from . import queries
from .engine import KINDS, RULES
from .models import HitStatus, RegisterKind
from .services import registers as register_services
from .services import runs as run_services
from .services.access import may_run
from .services.review import LEDGER_KINDS, default_ledger_kind
from .workflow import HIT_WORKFLOW

PAGE_SIZE = 30
HOME = ("数据比对", "/screening/")


def _rule_labels() -> list[tuple[str, str]]:
    return [(code, f"{code} {rule.name}") for code, rule in RULES.items()]


@permission_required("screening.view")
def hits(request):
    filters = queries.HitFilters.parse(request.GET)
    page = Paginator(queries.hit_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.status_counts(request.user, filters)
    base = {k: v for k, v in filters.query().items() if k != "status"}
    run = queries.get_run(request.user, filters.run) if filters.run else None
    return render(request, "screening/hits.html", {
        "page": page, "filters": filters, "counts": counts, "total": sum(counts.values()),
        "statuses": HitStatus.choices, "status_query": urlencode(base), "query": urlencode(filters.query()),
        "runs": queries.visible_runs(request.user)[:20], "rules": _rule_labels(), "run": run,
        "can_run": may_run(request.user), "breadcrumbs": [(HOME[0], None)]})


@permission_required("screening.view")
def hit_detail(request, pk):
    hit = queries.get_hit(request.user, pk)
    evidence = [(item, RULES[item.rule], [(label, value) for label, value in
                                           zip(RULES[item.rule].evidence, (item.ev1, item.ev2, item.ev3), strict=True)
                                           if label])
                for item in hit.evidence.all()]
    return render(request, "screening/hit.html", {
        "hit": hit, "evidence": evidence, "actions": HIT_WORKFLOW.allowed_actions(request.user, hit),
        "ledger_kinds": LEDGER_KINDS, "default_kind": default_ledger_kind(hit), "history": history_of(hit),
        "breadcrumbs": [HOME, (f"第 {hit.run_id} 批", f"/screening/hits/?run={hit.run_id}"), (hit.name, None)]})


@require_POST
@permission_required("screening.review")
def hit_action(request, pk, action):
    hit = queries.get_hit(request.user, pk)
    data = {key: request.POST.get(key, "") for key in ("reason", "kind", "amount")}
    try:
        version = int(request.POST.get("version") or 0)
        HIT_WORKFLOW.perform(request.user, hit, action, version=version, **data)
    except (Conflict, Invalid, Forbidden) as exc:
        detail = "；".join(exc.details.values()) if exc.details else ""
        messages.error(request, f"{exc.message}{'：' + detail if detail else ''}")
    else:
        messages.success(request, f"已{HIT_WORKFLOW.get(action).label}。")
    return redirect("screening:hit", pk=hit.pk)


def _require_runner(request) -> None:
    if not may_run(request.user):
        raise Http404()


@permission_required("screening.run")
def runs(request):
    _require_runner(request)
    return render(request, "screening/runs.html", {
        "registers": queries.registers(request.user)[:100], "runs": queries.visible_runs(request.user)[:50],
        "kinds": RegisterKind.choices, "rules": list(RULES.values()),
        "engines": [("duckdb", "DuckDB（内置）"), ("spark", "Spark")],
        "breadcrumbs": [HOME, ("名册与比对批次", None)]})


@require_POST
@permission_required("screening.run")
def registers(request):
    _require_runner(request)
    upload = request.FILES.get("file")
    try:
        register = register_services.import_register(
            request.user, kind=request.POST.get("kind", ""), upload=upload,
            file_name=upload.name if upload else "", source=request.POST.get("source", ""),
            keep_file=request.POST.get("keep_file") == "1")
    except Invalid as exc:
        messages.error(request, "；".join(exc.details.values()) if exc.details else exc.message)
    else:
        messages.success(request, f"已导入{register.get_kind_display()}名册“{register.file_name}”。")
    return redirect("screening:runs")


@require_POST
@permission_required("screening.run")
def run_new(request):
    _require_runner(request)
    params = {"R3": {"exempt_types": request.POST.get("R3_exempt_types", "")},
              "R4": {"roles": request.POST.get("R4_roles", "")}}
    try:
        run = run_services.start_run(
            request.user, register_ids=[int(v) for v in request.POST.getlist("register") if v.isdigit()],
            payment_month=request.POST.get("payment_month", "").strip(), rules=request.POST.getlist("rule"),
            params=params, engine=request.POST.get("engine", ""))
    except Invalid as exc:
        messages.error(request, "；".join(exc.details.values()) if exc.details else exc.message)
        return redirect("screening:runs")
    return redirect(reverse("jobs:detail", args=[run.job_id]))


@permission_required("screening.view")
def run_detail(request, pk):
    run = queries.get_run(request.user, pk)
    whole = may_run(request.user)
    inputs = [(KINDS[kind].label if kind in KINDS else kind, entry) for kind, entry in (run.inputs or {}).items()]
    return render(request, "screening/run.html", {
        "run": run, "inputs": inputs if whole else [], "whole": whole,
        "rules": [(code, RULES[code], run.hits_per_rule.get(code, 0), run.params.get(code, {}))
                  for code in run.rules if code in RULES],
        "counties": queries.county_counts(request.user, run.pk),
        "rule_counts": queries.rule_counts(request.user, run.pk),
        "breadcrumbs": [HOME, (f"比对批次第 {run.pk} 批", None)]})


@permission_required("screening.run")
def template(request, kind):
    _require_runner(request)
    if kind not in KINDS:
        raise Http404()
    spec = KINDS[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = spec.label
    sheet.append([header for _, header in spec.fields])
    for index, (field, _) in enumerate(spec.fields, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22
        if field in spec.id_fields or field.endswith("_code"):
            for row in range(2, 1002):  # identity numbers as text: Excel would round 18 digits
                sheet.cell(row=row, column=index).number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(spec.label + '名册模板.xlsx')}"
    return response

