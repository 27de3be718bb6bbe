"""Pages for importing the problem ledger: upload → (job) check → preview → confirm (job) → the ledger."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from qicha.core import excel_import as xl
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.forms import StyledFormMixin
from qicha.core.params import parse_id
from qicha.core.web import form_errors_from, permission_required
from qicha.jobs.web import job_redirect

from . import importing

LEDGER = ("问题整改", "/problems/")
IMPORT = ("导入问题整改台账", "/problems/import/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPT = ".xlsx,.xls," + XLSX + ",application/vnd.ms-excel"


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx 或 .xls）", error_messages={"required": "请选择要导入的 Excel 文件"},
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


def _campaign(user):
    try:
        return importing.campaign_for(user)
    except Invalid as exc:
        raise Http404(exc.message) from None


@permission_required("problem.create")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    campaign = _campaign(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "导入文件.xlsx"
        try:
            xl.check_size(upload.size, name)
            job = importing.start_preview(request.user, campaign, upload.read(), name)
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            return job_redirect(request, job)
    return render(request, "problems/import.html", {
        "form": form, "campaign": campaign, "max_mb": xl.max_bytes() // (1024 * 1024),
        "breadcrumbs": [LEDGER, (IMPORT[0], None)],
    })


@permission_required("problem.create")
@require_http_methods(["GET"])
def import_template(request):
    campaign = _campaign(request.user)
    response = HttpResponse(importing.build_template(request.user, campaign), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=importing.TEMPLATE_NAME)
    return response


@permission_required("problem.create")
@require_http_methods(["GET", "POST"])
def import_preview(request, job_id):
    try:
        job = importing.preview_job(request.user, parse_id(job_id))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not job.finished:
        return redirect("jobs:detail", pk=job.pk)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        importing.discard_preview(request.user, job)
        messages.info(request, "已放弃本次导入。")
        return redirect("problems:import")
    confirm_error = None
    if request.method == "POST":
        try:
            confirm = importing.start_confirm(request.user, job)
        except (Invalid, Conflict) as exc:
            confirm_error = exc.message
        else:
            return job_redirect(request, confirm)
    result = job.result if job.status == "done" else None
    return render(request, "problems/import_preview.html", {
        "job": job, "preview": result, "file_error": job.message if job.status == "failed" else None,
        "state": importing.preview_state(request.user, job),
        "confirm_error": confirm_error, "file_name": job.params.get("file_name", ""),
        "more_errors": result and result["errors_total"] - len(result["errors"]),
        "list_url": reverse("problems:list"),
        "breadcrumbs": [LEDGER, IMPORT, ("预览", None)],
    })
