"""Reading ledgers: definitions (every holder of ledger.view sees them), rows in the reader's data scope, the
filters a list page, the API and the export share, and the figures per ledger."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count, Q

from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission, scope_filter, units_in_scope

from . import columns as col
from .models import LedgerDefinition, LedgerRow, LedgerRowKey

VIEW = "ledger.view"


def visible_definitions(user):
    if not has_permission(user, VIEW):
        return LedgerDefinition.objects.none()
    return LedgerDefinition.objects.all()


def get_definition(user, key: str) -> LedgerDefinition:
    definition = visible_definitions(user).filter(key=key).first()
    if definition is None:
        raise NotFound()
    return definition


def visible_rows(user, definition: LedgerDefinition | None = None, permission: str = VIEW):
    rows = LedgerRow.objects.filter(scope_filter(user, permission))
    return rows.filter(definition=definition) if definition is not None else rows


def get_row(user, definition: LedgerDefinition, row_id) -> LedgerRow:
    try:
        pk = int(row_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    row = visible_rows(user, definition).select_related("unit", "definition", "created_by", "updated_by").filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


@dataclass
class RowFilters:
    """`q` (a number typed whole finds 身份证号/电话/信用代码/车牌 through their index; other text searches the text
    columns), `unit` (that unit and below), and per column `f_<key>` (a choice, yes/no, unit, plate … exactly; text
    contains) or `f_<key>_from` / `f_<key>_to` for dates. Unknown columns and bad values are errors, as on every list."""

    definition: str = ""
    q: str = ""
    unit: int | None = None
    columns: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping, definition: LedgerDefinition | None = None) -> "RowFilters":
        get = params.get
        filters = cls(definition=(get("definition") or (definition.key if definition else "") or "").strip(),
                      q=(get("q") or "").strip())
        raw_unit = (get("unit") or "").strip()
        if raw_unit:
            if raw_unit.isdigit():
                filters.unit = int(raw_unit)
            else:
                filters.errors["unit"] = "单位应为整数编号。"
        for name in params.keys() if hasattr(params, "keys") else []:
            value = (get(name) or "").strip() if isinstance(get(name), str) else get(name)
            if name.startswith("f_") and value not in (None, ""):
                filters.columns[name[2:]] = value
        if definition is not None:
            filters.check(definition)
        return filters

    def check(self, definition: LedgerDefinition) -> None:
        for name, value in self.columns.items():
            key, _, bound = name.rpartition("_") if name.endswith(("_from", "_to")) else (name, "", "")
            column = definition.column(key)
            if column is None:
                self.errors[f"f_{name}"] = f"台账没有“{key}”这一列。"
            elif bound:
                if column["type"] != col.DATE_T:
                    self.errors[f"f_{name}"] = f"“{column['label']}”不是日期列，不能按起止日期筛选。"
                else:
                    try:
                        date.fromisoformat(value)
                    except ValueError:
                        self.errors[f"f_{name}"] = f"{column['label']}的起止日期应写成 YYYY-MM-DD。"

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def query_string(self) -> dict:
        params = {"q": self.q, "unit": self.unit or ""}
        params.update({f"f_{name}": value for name, value in self.columns.items()})
        return {k: v for k, v in params.items() if v not in ("", None)}


def _with_key(rows, definition: LedgerDefinition, key: str, value: str, lookup: str = "value"):
    return rows.filter(pk__in=LedgerRowKey.objects.filter(definition=definition, column=key, **{lookup: value})
                       .values("row_id"))


def _keyed(rows, definition: LedgerDefinition, column: dict, value: str):
    """An exact filter on one column. PostgreSQL answers a plain value with JSON containment (`values @> {...}`),
    served by the one GIN index over every row's values (bench/ledger_rows.py: faster there than the key table);
    SQLite has no such index, so it walks the key table, as both do for sealed values (only their blind index is
    comparable) and plates, credit codes and links typed in any spelling."""
    kind, key = column["type"], column["key"]
    if kind in col.SEALED | col.SEARCHED or kind == col.LINK:
        return _with_key(rows, definition, key, col.search_key(column, value) or value)
    if kind == col.YESNO:
        flag = value in ("是", "1", "true", "True")
        if connection.vendor == "postgresql":
            return rows.filter(values__contains={key: flag})
        return _with_key(rows, definition, key, "1" if flag else "0")
    if connection.vendor == "postgresql":
        if kind == col.MULTI:
            return rows.filter(values__contains={key: [value]})
        if kind == col.UNIT:
            return rows.filter(values__contains={key: int(value)}) if str(value).isdigit() else rows.none()
        return rows.filter(values__contains={key: value})
    return _with_key(rows, definition, key, value)


def row_list(user, definition: LedgerDefinition, filters: RowFilters):
    filters.check(definition)
    filters.raise_if_invalid()
    rows = visible_rows(user, definition).select_related("unit")
    if filters.unit:
        under = units_in_scope(user, VIEW).filter(pk=filters.unit).first()
        if under is None:
            return rows.none()
        rows = rows.filter(unit__path__startswith=under.path)
    for name, value in filters.columns.items():
        if name.endswith(("_from", "_to")) and definition.column(name.rpartition("_")[0]):
            key, bound = name.rpartition("_")[0], "gte" if name.endswith("_from") else "lte"
            if connection.vendor == "postgresql":  # ISO dates compare as strings; a scan beats a half-table IN
                rows = rows.filter(**{f"values__{key}__{bound}": value})
            else:
                rows = _with_key(rows, definition, key, value, f"value__{bound}")
            continue
        column = definition.column(name)
        if column["type"] in col.TEXTUAL:
            rows = rows.filter(**{f"values__{name}__icontains": value})
        elif column["type"] in col.KEYED:
            rows = _keyed(rows, definition, column, value)
        else:
            rows = rows.filter(**{f"values__{name}": value})
    if filters.q:
        rows = rows.filter(search_q(definition, filters.q))
    return rows.order_by("-pk")


def search_q(definition: LedgerDefinition, text: str) -> Q:
    """A typed identity number, phone, credit code or plate finds its rows through the index only (the stored values
    are encrypted, so this is the only way to find them, and it reads no row it does not return); other text is
    looked for in the text columns."""
    keyed = Q(pk__in=[])
    matched = False
    for column in definition.columns:
        if column["type"] in col.SEARCHED:
            key = col.search_key(column, text)
            if key:
                matched = True
                keyed |= Q(pk__in=LedgerRowKey.objects.filter(definition=definition, column=column["key"], value=key)
                           .values("row_id"))
    if matched:
        return keyed
    found = Q(pk__in=[])
    for column in definition.columns:
        if column["type"] in col.TEXTUAL:
            found |= Q(**{f"values__{column['key']}__icontains": text})
    return found


# ---- figures ---------------------------------------------------------------------------------------------------

def counts_by_unit(user, definition: LedgerDefinition) -> list[dict]:
    """Rows per unit in the reader's scope: [{"unit_id", "unit__name", "count"}], most first."""
    return list(visible_rows(user, definition).values("unit_id", "unit__name").annotate(count=Count("pk"))
                .order_by("-count", "unit__name"))


def counts_by_column(user, definition: LedgerDefinition, key: str) -> dict[str, int]:
    """Rows per option of a choice (or yes/no) column in the reader's scope, every option listed (0 when none)."""
    column = definition.column(key)
    if column is None or column["type"] not in (col.CHOICE_T, col.MULTI, col.YESNO):
        raise Invalid(f"“{key}”不是选择列。")
    counted = dict(LedgerRowKey.objects.filter(definition=definition, column=key,
                                               row__in=visible_rows(user, definition).values("pk"))
                   .values_list("value").annotate(n=Count("pk")))
    if column["type"] == col.YESNO:
        return {"是": counted.get("1", 0), "否": counted.get("0", 0)}
    return {option: counted.get(option, 0) for option in col.options_of(column)}


def definition_counts(user) -> dict[int, int]:
    return dict(LedgerRow.objects.filter(scope_filter(user, VIEW)).values_list("definition_id")
                .annotate(n=Count("pk")).order_by())


# ---- the monthly report's snapshot (reporting.snapshot reads this) --------------------------------------------

def snapshot_rows(user, unit) -> dict:
    """Every ledger's rows of `unit` and its sub-units that `user` may see, as shown on the pages (identity numbers
    and phones masked): {ledger key: {"name", "columns": [labels], "rows": [{"id", "unit", "values": {label: text}}]}},
    only ledgers that have rows. The report's SM3 digest then covers them."""
    from .services import build_context

    ctx = build_context(user, VIEW)
    result = {}
    for definition in visible_definitions(user):
        rows = (visible_rows(user, definition).filter(unit__path__startswith=unit.path).select_related("unit")
                .order_by("id"))
        shown = definition.visible_columns
        listed = [{"id": row.pk, "unit": row.unit.name, "version": row.version,
                   "values": {c["label"]: col.display(c, row.values.get(c["key"]), ctx) for c in shown}}
                  for row in rows]
        if listed:
            result[definition.key] = {"name": definition.name, "definition_version": definition.version,
                                      "columns": [c["label"] for c in shown], "rows": listed}
    return result
