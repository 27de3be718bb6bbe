"""A ledger's Excel files: the import template built from its definition, and the export in the customary 台账
layout (title, unit and as-of row, bold header, 序号 and 填报单位 first), exactly the filtered rows of the list in
the exporter's scope. Identity numbers and phones are exported masked (the export offers no reveal)."""

from urllib.parse import quote

from qicha.core.chunked import in_chunks
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_export import ExportColumn, export_ledger_file, file_stamp
from qicha.core.excel_import import build_template
from qicha.core.scope import has_permission

from . import columns as col
from . import queries, services
from .services.rows import import_columns

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def attachment_header(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def template_for(user, definition) -> tuple[bytes, str]:
    ctx = services.build_context(user)
    specs = import_columns(definition, ctx)
    example = {spec.key: spec.example for spec in specs}
    notes = [f"本模板用于填报“{definition.name}”；标 * 的列必须填写。",
             "一行一条记录；与本单位已有记录完全相同的行会被跳过，重复导入同一文件不会重复登记。",
             "任何一行有错误时整个文件都不会写入，请按提示（工作表、行、列）修改后重新上传。"]
    if definition.unique_columns:
        labels = "、".join(definition.column(k)["label"] for k in definition.unique_columns if definition.column(k))
        notes.append(f"同一单位{labels}相同的记录只能登记一条。")
    data = build_template(specs, sheet_title=definition.name[:31], notes=notes, examples=[example])
    return data, f"{definition.name}_导入模板.xlsx"


def parse(params) -> queries.RowFilters:
    return queries.RowFilters.from_params(params)


def _definition(actor, filters: queries.RowFilters):
    if not filters.definition:
        raise Invalid("请指明要导出的台账", {"definition": "缺少台账标识"})
    return queries.get_definition(actor, filters.definition)


def check_export(actor, filters: queries.RowFilters) -> None:
    if not has_permission(actor, queries.VIEW):
        raise NotFound()
    definition = _definition(actor, filters)
    filters.check(definition)
    filters.raise_if_invalid()


def describe(actor, filters: queries.RowFilters) -> str:
    definition = queries.get_definition(actor, filters.definition) if filters.definition else None
    parts = []
    if filters.q:
        parts.append(f"关键词“{filters.q}”")
    if filters.unit:
        unit = queries.units_in_scope(actor, queries.VIEW).filter(pk=filters.unit).values_list("name", flat=True).first()
        parts.append(f"单位：{unit or filters.unit}（含下级）")
    for name, value in filters.columns.items():
        key, bound = (name.rpartition("_")[0], name.rpartition("_")[2]) if name.endswith(("_from", "_to")) else (name, "")
        column = definition.column(key) if definition else None
        label = column["label"] if column else key
        parts.append(f"{label}{'起' if bound == 'from' else '止' if bound == 'to' else ''}：{value}")
    return f"筛选条件：{'；'.join(parts)}" if parts else ""


def back(params) -> str:
    from django.urls import reverse

    return reverse("ledgers:rows", args=[params.get("definition") or "x"])


def file_name() -> str:
    return f"专项治理台账_{file_stamp()}.xlsx"


def export_rows(actor, filters: queries.RowFilters, target, *, report=None) -> dict:
    check_export(actor, filters)
    definition = _definition(actor, filters)
    shown = definition.visible_columns
    columns = [ExportColumn("序号", 6), ExportColumn("填报单位", 18, wrap=True)] + [
        ExportColumn(c["label"], 30 if c["type"] == col.LONG_TEXT else max(10, min(24, len(c["label"]) * 2 + 4)),
                     wrap=c["type"] in (col.LONG_TEXT, col.SHORT_TEXT, col.MULTI)) for c in shown]
    ctx = services.build_context(actor, queries.VIEW)
    rows = queries.row_list(actor, definition, filters).values_list("pk", "unit__name", "values")

    def lines():
        for number, (_, unit_name, values) in enumerate(in_chunks(rows, CHUNK, key=lambda r: r[0]), start=1):
            yield [number, unit_name, *[col.export(c, values.get(c["key"]), ctx) for c in shown]]

    sealed = any(c["type"] in col.SEALED for c in shown)
    return export_ledger_file(actor, target, ledger_name=definition.name, sheet=definition.name[:31], columns=columns,
                              rows=lines(), total=rows.order_by().count(), report=report, action="ledger_export",
                              filters=describe(actor, filters),
                              note="身份证号、电话已脱敏" if sealed else "不含敏感字段")
