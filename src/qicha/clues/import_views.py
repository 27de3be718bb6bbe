"""Pages for importing an assigned batch (交办批次): upload → preview (row by row) → confirm, all or none."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from qicha.campaigns import queries as campaign_queries
from qicha.core import excel_import as xl
from qicha.core.errors import Conflict, Invalid
from qicha.core.forms import StyledFormMixin
from qicha.core.web import form_errors_from, permission_required

from . import importing
from .models import Source

LEDGER = ("线索核查", "/clues/")
IMPORT = ("导入交办批次", "/clues/import/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label="线索来源", choices=Source.choices, initial=Source.CENTRAL_GROUP)
    batch_reference = forms.CharField(label="批次号", max_length=80,
                                      widget=forms.TextInput(attrs={"placeholder": "如：中央第3督导组第3批"}))
    received_date = forms.DateField(label="交办日期", widget=forms.DateInput,
                                    error_messages={"invalid": "日期应写成 YYYY-MM-DD，且须是真实存在的日期",
                                                    "required": "请填写交办日期"})
    file = forms.FileField(label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的 Excel 文件"},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))


def _campaign(user):
    campaign = campaign_queries.current_campaign(user)
    if campaign is None:
        raise Http404("当前没有进行中的专项行动")
    return campaign


def _batch_list_url(batch_id: int) -> str:
    try:
        base = reverse("clues:list")
    except NoReverseMatch:
        base = LEDGER[1]
    return f"{base}?batch={batch_id}"


@permission_required("clue.create")
@require_http_methods(["GET", "POST"])
def import_upload(request):
    importing.check_allowed(request.user)
    campaign = _campaign(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            importing.check_batch_inputs(data["source"], data["batch_reference"], data["received_date"])
            xl.check_size(upload.size, upload.name or "")
            content = upload.read()
            xl.check_upload(content, upload.name or "")
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            token = xl.stash(request.user, content, upload.name or "导入文件.xlsx", kind=importing.KIND, params={
                "campaign": campaign.pk, "source": data["source"], "batch_reference": data["batch_reference"].strip(),
                "received_date": data["received_date"].isoformat(),
            })
            return redirect("clues:import_preview", token=token)
    return render(request, "clues/import.html", {
        "form": form, "campaign": campaign, "max_mb": xl.max_bytes() // (1024 * 1024),
        "breadcrumbs": [LEDGER, (IMPORT[0], None)],
    })


@permission_required("clue.create")
@require_http_methods(["GET"])
def import_template(request):
    importing.check_allowed(request.user)
    response = HttpResponse(importing.build_template(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=importing.TEMPLATE_NAME)
    return response


@permission_required("clue.create")
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    importing.check_allowed(request.user)
    stashed = xl.load_stashed(request.user, token, kind=importing.KIND)
    campaign = _campaign(request.user)
    params = stashed.params
    if params.get("campaign") != campaign.pk:
        raise Http404("导入文件所属的专项行动已结束")
    source, batch_reference = params["source"], params["batch_reference"]
    received_date = date.fromisoformat(params["received_date"])
    arguments = {"source": source, "batch_reference": batch_reference, "received_date": received_date,
                 "file_name": stashed.file_name}
    file_error = None
    result = None
    if request.method == "POST" and request.POST.get("action") == "cancel":
        xl.discard(token)
        messages.info(request, "已放弃本次导入。")
        return redirect("clues:import")
    if request.method == "POST":
        try:
            outcome = importing.confirm_import(request.user, campaign, stashed.path, **arguments)
        except importing.ImportRejected as exc:
            result = exc.preview
            messages.error(request, exc.message)
        except (Conflict, Invalid) as exc:
            file_error = exc.message
        else:
            xl.discard(token)
            messages.success(request, f"已导入 {outcome.created} 条线索（跳过 {outcome.skipped} 条已导入）")
            return redirect(_batch_list_url(outcome.batch.pk))
    if result is None and file_error is None:
        try:
            result = importing.preview(request.user, campaign, stashed.path, **arguments)
        except Invalid as exc:
            file_error = exc.message
    return render(request, "clues/import_preview.html", {
        "token": token, "preview": result, "file_error": file_error, "file_name": stashed.file_name,
        "source_label": Source(source).label, "batch_reference": batch_reference, "received_date": received_date,
        "campaign": campaign, "breadcrumbs": [LEDGER, IMPORT, ("预览", None)],
    }, status=200)
