from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from qicha.core.forms import StyledFormMixin

from .models import AuditEvent
from .queries import PROBES, visible_audit_events
from .web import permission_required


class AuditFilterForm(StyledFormMixin, forms.Form):
    event_type = forms.ChoiceField(label="事件类型", required=False,
                                   choices=[("", "全部"), *AuditEvent.EventType.choices, (PROBES, "越权访问尝试")])
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部")] + AuditEvent.Outcome.choices)
    username = forms.CharField(label="用户名", required=False)
    date_from = forms.DateField(label="起始日期", required=False)
    date_to = forms.DateField(label="截止日期", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期晚于截止日期，请调整。")
        return data


@permission_required("audit.view")
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = visible_audit_events(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {"form": form, "page": page, "query": query.urlencode(), "breadcrumbs": [("审计日志", None)]},
    )


@permission_required("audit.export")
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM, opens in Excel/WPS); the export itself is audited."""
    import csv

    from django.http import StreamingHttpResponse

    from .audit import EventType, record_event, save_head_copy, shows_content
    from .spreadsheet import safe_cell

    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = visible_audit_events(request.user, **{k: v for k, v in filters.items() if v})
    record_event(EventType.EXPORT, actor=request.user, action="audit_export", detail=f"导出审计日志，条件：{request.GET.urlencode() or '全部'}")
    save_head_copy("audit_export")  # the exported file carries this head; var/ keeps a signed copy of it

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    header = ["序号", "时间", "用户", "单位", "IP", "渠道", "事件", "操作", "对象类型", "对象编号", "对象", "结果", "说明", "哈希"]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            visible = shows_content(e)
            yield writer.writerow([safe_cell(v) for v in [
                e.seq, e.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.actor_username, e.unit_name, e.ip,
                e.channel, e.get_event_type_display(), e.action, e.object_type, e.object_id,
                e.object_repr if visible else "", e.get_outcome_display(), e.detail if visible else "", e.hash,
            ]])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''audit.csv"
    return response
