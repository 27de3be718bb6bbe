"""`/api/v1/ledgers`: definitions (read by every holder of ledger.view, written by the office) and rows (in the
caller's data scope; POST/PATCH through the same services as the page, PATCH naming the version it edits).

Row values are keyed by column key, as the page's form names them: text, numbers, "YYYY-MM-DD" dates, option labels
(a list for multiple choice), true/false for yes/no, a unit id, "问题 12" / "线索 34" for links. Identity numbers and
phones come back masked."""

from typing import Any

from ninja import Router, Schema, Status

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import NotFound
from qicha.core.scope import has_permission, units_in_scope

from . import columns as col
from . import queries, services

router = Router(tags=["专项治理台账"])


def definition_out(d) -> dict:
    return {"key": d.key, "name": d.name, "check_item": d.check_item, "frequency": d.frequency,
            "unit_kinds": d.unit_kinds, "description": d.description, "builtin": d.builtin, "version": d.version,
            "unique_columns": d.unique_columns,
            "columns": [{**c, "type_label": col.TYPE_LABELS.get(c["type"], c["type"])} for c in d.columns]}


def row_out(row, ctx) -> dict:
    d = row.definition
    return {"id": row.pk, "ledger": d.key, "unit": {"id": row.unit_id, "name": row.unit.name},
            "values": {c["key"]: _api_value(c, row.values.get(c["key"]), ctx) for c in d.columns if c["key"] in row.values},
            "version": row.version, "definition_version": row.definition_version,
            "created_at": iso_time(row.created_at), "updated_at": iso_time(row.updated_at)}


def _api_value(column, stored, ctx):
    if column["type"] in (col.ID_NUMBER, col.PHONE, col.LINK):
        return col.display(column, stored, ctx)
    return stored


class ColumnIn(Schema):
    key: str = ""
    label: str
    type: str
    required: bool = False
    help: str = ""
    options: list[str] = []
    hidden: bool = False


class DefinitionIn(Schema):
    name: str
    frequency: str = "event"
    check_item: int | None = None
    unit_kinds: list[str] = []
    description: str = ""
    columns: list[ColumnIn]
    unique_columns: list[str] = []


class DefinitionPatch(Schema):
    version: int
    name: str | None = None
    frequency: str | None = None
    check_item: int | None = None
    unit_kinds: list[str] | None = None
    description: str | None = None
    columns: list[ColumnIn] | None = None
    unique_columns: list[str] | None = None
    note: str = ""


@router.get("/ledgers", summary="台账定义列表")
def list_definitions(request):
    return {"results": [definition_out(d) for d in queries.visible_definitions(request.user)]}


@router.post("/ledgers", response={201: dict}, summary="新建台账定义（扫黑办）")
def create_definition(request, payload: DefinitionIn):
    data = payload.dict()
    definition = services.create_definition(request.user, columns=data.pop("columns"), **data)
    return Status(201, definition_out(definition))


@router.get("/ledgers/{key}", summary="台账定义（含列）")
def get_definition(request, key: str):
    return definition_out(queries.get_definition(request.user, key))


@router.patch("/ledgers/{key}", summary="修改台账定义（扫黑办；须带 version；删去的列隐藏保留）")
def change_definition(request, key: str, payload: DefinitionPatch):
    definition = queries.get_definition(request.user, key)
    data = payload.dict(exclude_unset=True)
    columns = data.pop("columns", None) or definition.columns
    version = data.pop("version")
    services.change_definition(request.user, definition, version=version, columns=columns, **data)
    return definition_out(queries.get_definition(request.user, key))


@router.get("/ledgers/{key}/rows", summary="台账记录（筛选：q、unit、f_<列>、f_<日期列>_from/_to；分页；数据权限内）")
def list_rows(request, key: str, page: int = 1, page_size: int = 50):
    definition = queries.get_definition(request.user, key)
    filters = queries.RowFilters.from_params(request.GET, definition)
    filters.raise_if_invalid()
    ctx = services.build_context(request.user, queries.VIEW)
    rows = queries.row_list(request.user, definition, filters).select_related("definition")
    return paginate(rows, page, page_size, lambda row: row_out(row, ctx))


class RowIn(Schema):
    unit: int
    values: dict[str, Any]


class RowPatch(Schema):
    version: int
    values: dict[str, Any]


@router.post("/ledgers/{key}/rows", response={201: dict}, summary="新增台账记录")
def create_row(request, key: str, payload: RowIn):
    definition = queries.get_definition(request.user, key)
    unit = units_in_scope(request.user, "ledger.edit").filter(pk=payload.unit).first()
    if unit is None:
        raise NotFound("单位不存在或不在您的数据权限范围内")
    row = services.create_row(request.user, definition, unit, payload.values)
    return Status(201, _row(request, definition, row.pk))


def _row(request, definition, pk) -> dict:
    return row_out(queries.get_row(request.user, definition, pk), services.build_context(request.user, queries.VIEW))


@router.get("/ledgers/{key}/rows/{row_id}", summary="台账记录详情（含 version）")
def get_row(request, key: str, row_id: int):
    return _row(request, queries.get_definition(request.user, key), row_id)


@router.patch("/ledgers/{key}/rows/{row_id}", summary="修改台账记录（须带 version；未给出的列保持原值）")
def patch_row(request, key: str, row_id: int, payload: RowPatch):
    definition = queries.get_definition(request.user, key)
    row = queries.get_row(request.user, definition, row_id)
    ctx = services.build_context(request.user)
    current = {c["key"]: col.form_initial(c, row.values.get(c["key"]), ctx) for c in definition.columns
               if c["key"] in row.values}
    if any(c["type"] == col.YESNO for c in definition.columns):
        current.update({c["key"]: row.values[c["key"]] for c in definition.columns
                        if c["type"] == col.YESNO and c["key"] in row.values})
    services.update_row(request.user, row, version=payload.version, values={**current, **payload.values})
    return _row(request, definition, row_id)


@router.get("/ledgers/{key}/template", summary="下载台账导入模板（.xlsx；填好后 POST /imports，ledger=ledgers，definition=台账标识）")
def import_template(request, key: str):
    from django.http import HttpResponse

    from . import exporting

    if not has_permission(request.user, services.EDIT):
        raise NotFound()
    definition = queries.get_definition(request.user, key)
    data, name = exporting.template_for(request.user, definition)
    response = HttpResponse(data, content_type=exporting.XLSX)
    response["Content-Disposition"] = exporting.attachment_header(name)
    return response


class NilIn(Schema):
    unit: int


@router.post("/ledgers/{key}/nil-reports", response={201: dict},
             summary="按月台账“本月无新增”零报告（本单位或下级单位；本月已填报的不能再报）")
def declare_nil(request, key: str, payload: NilIn):
    definition = queries.get_definition(request.user, key)
    unit = units_in_scope(request.user, services.EDIT).filter(pk=payload.unit).first()
    if unit is None:
        raise NotFound()
    filing = services.declare_nil(request.user, definition, unit)
    return Status(201, {"definition": definition.key, "unit": unit.pk, "month": filing.month.strftime("%Y-%m"),
                        "nil": True})
