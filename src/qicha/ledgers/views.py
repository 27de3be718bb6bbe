"""Ledger pages: the ledgers, a ledger's rows (filters, pages), a row, the generated entry form, the Excel import,
and the office's definitions page (column editor with preview, or columns from an uploaded Excel header)."""

import re
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from qicha.core.audit import history_of
from qicha.core.errors import Conflict, Invalid
from qicha.core.params import parse_id
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.web import form_errors_from, permission_required
from qicha.core.workbench import TodoRow
from qicha.problems.numbers import format_problem_no

from . import columns as col
from . import exporting, queries, services
from .forms import DefinitionForm, RowForm, columns_from_post

PAGE_SIZE = 20
HOME = ("专项治理台账", "/ledgers/")
LIST_COLUMNS = 8


@permission_required("ledger.view")
def home(request):
    counts = queries.definition_counts(request.user)
    definitions = [(d, counts.get(d.pk, 0)) for d in queries.visible_definitions(request.user)]
    return render(request, "ledgers/home.html", {
        "definitions": definitions, "can_define": has_permission(request.user, "ledger.define"),
        "breadcrumbs": [(HOME[0], None)]})


@permission_required("ledger.edit")
def unfiled(request):
    """本月待填报的台账 in full: the list the 工作台's figure opens."""
    today = timezone.localdate()
    title = f"本月（{today.month}月）待填报的台账"
    rows = [TodoRow(reverse("ledgers:rows", args=[d.key]), d.name, "填报本月情况，或在台账页报“本月无新增”")
            for d in queries.unfiled_for_unit(request.user, today)]
    return render(request, "notify/todo_list.html", {
        "item_label": "台账", "title": title, "rows": rows, "breadcrumbs": [(HOME[0], reverse("ledgers:home")),
                                                                             (title, None)],
    })


def _filter_fields(definition) -> list[dict]:
    """The filter inputs a list offers: every choice, yes/no, unit and date column, and the short text columns."""
    fields = []
    for column in definition.visible_columns:
        kind = column["type"]
        if kind in (col.CHOICE_T, col.MULTI):
            fields.append({"column": column, "kind": "select", "options": col.options_of(column)})
        elif kind == col.YESNO:
            fields.append({"column": column, "kind": "select", "options": ["是", "否"]})
        elif kind == col.DATE_T:
            fields.append({"column": column, "kind": "date"})
        elif kind in (col.SHORT_TEXT, col.PLATE):
            fields.append({"column": column, "kind": "text"})
    return fields


@permission_required("ledger.view")
def rows(request, key):
    definition = queries.get_definition(request.user, key)
    filters = queries.RowFilters.from_params(request.GET, definition)
    if filters.errors:
        for message in filters.errors.values():
            messages.error(request, message)
        listed = queries.visible_rows(request.user, definition).none()
    else:
        listed = queries.row_list(request.user, definition, filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = services.build_context(request.user, "ledger.view")
    shown = definition.visible_columns[:LIST_COLUMNS]
    table = [(row, [col.display(c, row.values.get(c["key"]), ctx) for c in shown]) for row in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ledgers/rows.html", {
        "definition": definition, "page": page, "table": table, "shown": shown, "filters": filters,
        "filter_fields": _filter_fields(definition), "query": query.urlencode(),
        "units": units_in_scope(request.user, "ledger.view").order_by("path"),
        "can_edit": has_permission(request.user, "ledger.edit"),
        "can_define": has_permission(request.user, "ledger.define"),
        "export_query": urlencode({"definition": definition.key, **filters.query_string()}),
        "monthly": definition.frequency == "monthly", "today": timezone.localdate(),
        "nil_units": (queries.unfiled_units(request.user, definition, timezone.localdate())
                      if definition.frequency == "monthly" and has_permission(request.user, "ledger.edit") else []),
        "breadcrumbs": [HOME, (definition.name, None)]})


@permission_required("ledger.view")
def months(request, key):
    """按月填报情况: the units that fill a monthly ledger × its months, who filled which month."""
    definition = queries.get_definition(request.user, key)
    if definition.frequency != "monthly":
        raise Http404
    table = queries.month_table(request.user, definition, timezone.localdate(), page_number=request.GET.get("page") or 1)
    return render(request, "ledgers/months.html", {
        "definition": definition, "table": table, "stats": list(zip(table.months, table.filled, strict=True)),
        "breadcrumbs": [HOME, (definition.name, reverse("ledgers:rows", args=[key])), ("按月填报情况", None)]})


@require_POST
@permission_required("ledger.edit")
def declare_nil(request, key):
    """本月无新增: a unit's 零报告 for this month."""
    definition = queries.get_definition(request.user, key)
    unit = units_in_scope(request.user, "ledger.edit").filter(pk=parse_id(request.POST.get("unit"))).first()
    if unit is None:
        raise Http404
    try:
        filing = services.declare_nil(request.user, definition, unit)
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已报{unit.name}{filing.month.month}月{definition.name}：本月无新增。")
    return redirect("ledgers:rows", key)


@permission_required("ledger.view")
def row_detail(request, key, pk):
    definition = queries.get_definition(request.user, key)
    row = queries.get_row(request.user, definition, pk)
    ctx = services.build_context(request.user, "ledger.view")
    values = [(c, col.display(c, row.values.get(c["key"]), ctx)) for c in definition.columns
              if not c.get("hidden") or c["key"] in row.values]
    return render(request, "ledgers/row.html", {
        "definition": definition, "row": row, "values": values, "history": history_of(row),
        "can_edit": can_act_on(request.user, "ledger.edit", row.unit),
        "can_open_problem": not row.problem_id and can_act_on(request.user, "ledger.edit", row.unit)
        and can_act_on(request.user, "problem.create", row.unit),
        "breadcrumbs": [HOME, (definition.name, reverse("ledgers:rows", args=[key])), (f"第 {row.pk} 条", None)]})


def _fill_units(user, definition):
    units = units_in_scope(user, "ledger.edit").order_by("path")
    if definition.unit_kinds:
        units = units.filter(kind__in=definition.unit_kinds)
    return list(units)


@permission_required("ledger.edit")
def row_form(request, key, pk=None):
    definition = queries.get_definition(request.user, key)
    row = queries.get_row(request.user, definition, pk) if pk else None
    ctx = services.build_context(request.user)
    units = _fill_units(request.user, definition)
    if request.method == "POST":
        form = RowForm(definition, ctx, units, request.POST, request.FILES, row=row)
        form.full_clean()
        try:
            if row is None:
                unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
                if unit is None:
                    raise Invalid(details={"unit": "请选择填报单位。"})
                row = services.create_row(request.user, definition, unit, form.raw_values())
                messages.success(request, f"已登记第 {row.pk} 条。")
            else:
                services.update_row(request.user, row, version=request.POST.get("version"), values=form.raw_values())
                messages.success(request, "已保存。")
            return redirect("ledgers:row", key, row.pk)
        except Conflict as exc:
            form.add_error(None, exc.message)
        except Invalid as exc:
            form_errors_from(form, exc)
    else:
        form = RowForm(definition, ctx, units, row=row)
        if row is None and "unit" in form.fields:
            form.fields["unit"].initial = str(request.user.unit_id)
    title = f"修改第 {row.pk} 条" if row else "新增记录"
    return render(request, "ledgers/form.html", {
        "definition": definition, "form": form, "row": row, "title": title,
        "breadcrumbs": [HOME, (definition.name, reverse("ledgers:rows", args=[key])), (title, None)]})


# ---- Excel ------------------------------------------------------------------------------------------------------

@permission_required("ledger.edit")
def template(request, key):
    definition = queries.get_definition(request.user, key)
    data, name = exporting.template_for(request.user, definition)
    response = HttpResponse(data, content_type=exporting.XLSX)
    response["Content-Disposition"] = exporting.attachment_header(name)
    return response


@permission_required("ledger.edit")
def import_rows(request, key):
    definition = queries.get_definition(request.user, key)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的 Excel 文件。")
        else:
            try:
                result = services.import_rows(request.user, definition, upload.read(), upload.name)
            except Invalid as exc:
                messages.error(request, exc.message)
            else:
                if not result["errors"]:
                    messages.success(request, f"已导入 {result['created']} 条" +
                                     (f"，与已有记录相同而跳过 {result['skipped']} 条" if result["skipped"] else "") + "。")
                    return redirect("ledgers:rows", key)
    return render(request, "ledgers/import.html", {
        "definition": definition, "result": result,
        "breadcrumbs": [HOME, (definition.name, reverse("ledgers:rows", args=[key])), ("导入", None)]})


# ---- definitions (the office) -----------------------------------------------------------------------------------

def _editor_rows(columns: list[dict], blanks: int = 3) -> list[dict]:
    rows = [{**c, "options_text": c["options"] if isinstance(c.get("options"), str) else "、".join(c.get("options") or [])}
            for c in columns]
    return rows + [{"key": "", "label": "", "type": col.SHORT_TEXT, "required": False, "help": "", "options_text": "",
                    "hidden": False, "new": True} for _ in range(blanks)]


def _unique_keys(text: str, columns: list[dict], definition) -> list[str]:
    """"户主身份证号、问题类型" → the column keys (a label not among the columns is passed on for the service to name)."""
    by_label = {c["label"].strip(): c.get("key") for c in columns}
    if definition is not None:
        by_label.update({c["label"]: c["key"] for c in definition.columns if c["label"] not in by_label})
    labels = [part.strip() for part in re.split(r"[、,，;；]+", text or "") if part.strip()]
    return [by_label.get(label) or label for label in labels]  # a new column's label: the service finds its key


def _definition_values(form_data) -> dict:
    item = form_data.get("check_item") or None
    return {"name": form_data.get("name") or "", "frequency": form_data.get("frequency"),
            "check_item": int(item) if item and item.isdigit() else None,
            "unit_kinds": form_data.getlist("unit_kinds"), "description": form_data.get("description") or ""}


@permission_required("ledger.define")
def define(request, key=None):
    definition = queries.get_definition(request.user, key) if key else None
    preview = None
    if request.method == "POST":
        form = DefinitionForm(request.POST)
        form.full_clean()
        columns = columns_from_post(request.POST)
        if "preview" in request.POST:
            preview = _preview(request.user, columns, definition)
        else:
            try:
                values = _definition_values(request.POST)
                values["unique_columns"] = _unique_keys(request.POST.get("unique", ""), columns, definition)
                if definition is None:
                    definition = services.create_definition(request.user, columns=columns, **values)
                    messages.success(request, f"已新建“{definition.name}”。")
                else:
                    services.change_definition(request.user, definition, version=request.POST.get("version"),
                                               columns=columns, note=request.POST.get("note", ""), **values)
                    messages.success(request, f"已保存为第 {definition.version} 版。")
                return redirect("ledgers:rows", definition.key)
            except Conflict as exc:
                form.add_error(None, exc.message)
            except Invalid as exc:
                form_errors_from(form, exc)
        editor = _editor_rows(columns)
        unique_text = request.POST.get("unique", "")
    else:
        initial = {}
        if definition is not None:
            initial = {"name": definition.name, "frequency": definition.frequency,
                       "check_item": str(definition.check_item or ""), "unit_kinds": definition.unit_kinds,
                       "description": definition.description}
        form = DefinitionForm(initial=initial)
        unique_text = "、".join(definition.column(k)["label"] for k in definition.unique_columns
                               if definition.column(k)) if definition else ""
        editor = _editor_rows(definition.columns if definition else [], blanks=3 if definition else 5)
    title = f"编辑台账定义：{definition.name}" if definition else "新建台账"
    return render(request, "ledgers/define.html", {
        "form": form, "definition": definition, "editor": editor, "types": col.TYPE_LABELS.items(),
        "preview": preview, "title": title, "unique_text": unique_text,
        "versions": definition.versions.select_related("changed_by").order_by("-number") if definition else [],
        "breadcrumbs": [HOME, (title, None)]})


def _preview(user, columns, definition):
    from .models import LedgerDefinition as Draft

    normalised = [col.normalise_column(c) for c in columns]
    for index, column in enumerate(normalised):
        column["key"] = column["key"] or f"new{index + 1}"
    errors = col.check_columns(normalised)
    if errors:
        return {"errors": list(errors.values())}
    draft = Draft(name=definition.name if definition else "预览", columns=normalised)
    return {"form": RowForm(draft, services.build_context(user), _fill_units(user, draft))}


@permission_required("ledger.define")
def define_from_excel(request):
    """Upload a sheet: its header row becomes the columns (types guessed), shown in the editor to confirm."""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            columns = services.definition_from_header(request.user, upload.read(), upload.name)
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            name = upload.name.rsplit(".", 1)[0][:100]
            form = DefinitionForm(initial={"name": name})
            messages.info(request, f"从表头识别出 {len(columns)} 列，请核对列名和类型后保存。")
            return render(request, "ledgers/define.html", {
                "form": form, "definition": None, "editor": _editor_rows(columns, blanks=2),
                "types": col.TYPE_LABELS.items(), "title": "新建台账（从 Excel 表头）", "from_excel": True,
                "breadcrumbs": [HOME, ("新建台账", None)]})
    return render(request, "ledgers/define_upload.html", {"breadcrumbs": [HOME, ("从 Excel 表头新建台账", None)]})




@require_POST
@permission_required("ledger.edit")
def open_problem(request, key, pk):
    """The row becomes a problem to rectify (立即整改, or 限期整改 with the deadline as its one milestone)."""
    definition = queries.get_definition(request.user, key)
    row = queries.get_row(request.user, definition, pk)
    kind = request.POST.get("rectification_type") or "immediate"
    try:
        deadline = date.fromisoformat(request.POST.get("deadline") or "")
    except ValueError:
        deadline = None
    milestones = [{"title": "完成整改", "due_date": deadline}] if kind != "immediate" and deadline else []
    try:
        problem = services.open_problem(request.user, row, version=request.POST.get("version"),
                                        rectification_type=kind, measures=request.POST.get("measures", ""),
                                        deadline=deadline, milestones=milestones)
    except (Invalid, Conflict) as exc:
        details = "；".join(exc.details.values()) if getattr(exc, "details", None) else ""
        messages.error(request, f"未登记为问题：{details or exc.message}")
        return redirect("ledgers:row", key, pk)
    messages.success(request, f"已登记为问题 {format_problem_no(problem.pk)}。")
    return redirect("problems:detail", pk=problem.pk)
