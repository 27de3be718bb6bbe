"""Reading ledgers: definitions (every holder of ledger.view sees them), rows in the reader's data scope, the
filters a list page, the API and the export share, and the figures per ledger."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import has_permission, scope_filter, units_in_scope
from qicha.orgs.models import Unit

from . import columns as col
from .models import Frequency, LedgerDefinition, LedgerMonthFiling, LedgerRow, LedgerRowKey

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


def _with_key(rows, definition: LedgerDefinition, key: str, value: str, lookup: str = "value", pending=None):
    """Rows with this key; with `pending` (a list), the key's rows are added to it for `_intersect` instead."""
    found = LedgerRowKey.objects.filter(definition=definition, column=key, **{lookup: value}).values("row_id")
    if pending is not None:
        pending.append(found)
        return rows
    return rows.filter(pk__in=found)


def _intersect(rows, pending: list):
    """Every key condition at once: `id IN (keys₁ INTERSECT keys₂ …)`, computed on the key index alone. Applied one
    `IN` at a time, SQLite drives the rows from one condition (50,000 lookups for a common choice) and probes the
    others per row: 0.85 s for a choice and a month at 200,000 rows (bench/ledger_rows.py)."""
    if len(pending) <= 1:
        return rows.filter(pk__in=pending[0]) if pending else rows
    parts, params = [], []
    for found in pending:
        sql, found_params = found.query.sql_with_params()
        parts.append(sql)
        params.extend(found_params)
    return rows.filter(pk__in=RawSQL(" INTERSECT ".join(parts), params))


def _keyed(rows, definition: LedgerDefinition, column: dict, value: str, pending=None):
    """An exact filter on one column. PostgreSQL answers a plain value with JSON containment (`values @> {...}`),
    served by the one GIN index over every row's values (bench/ledger_rows.py: faster there than the key table);
    SQLite has no such index, so it walks the key table, as both do for sealed values (only their blind index is
    comparable) and plates, credit codes and links typed in any spelling."""
    kind, key = column["type"], column["key"]
    if kind in col.SEALED | col.SEARCHED or kind == col.LINK:
        return _with_key(rows, definition, key, col.search_key(column, value) or value, pending=pending)
    if kind == col.YESNO:
        flag = value in ("是", "1", "true", "True")
        if connection.vendor == "postgresql":
            return rows.filter(values__contains={key: flag})
        return _with_key(rows, definition, key, "1" if flag else "0", pending=pending)
    if connection.vendor == "postgresql":
        if kind == col.MULTI:
            return rows.filter(values__contains={key: [value]})
        if kind == col.UNIT:
            return rows.filter(values__contains={key: int(value)}) if str(value).isdigit() else rows.none()
        return rows.filter(values__contains={key: value})
    return _with_key(rows, definition, key, value, pending=pending)


def row_list(user, definition: LedgerDefinition, filters: RowFilters):
    filters.check(definition)
    filters.raise_if_invalid()
    rows = visible_rows(user, definition).select_related("unit")
    if filters.unit:
        under = units_in_scope(user, VIEW).filter(pk=filters.unit).first()
        if under is None:
            return rows.none()
        rows = rows.filter(unit__path__startswith=under.path)
    pending, ranges = [], {}  # the key-table conditions, applied together by _intersect; date ranges by column
    for name, value in filters.columns.items():
        if name.endswith(("_from", "_to")) and definition.column(name.rpartition("_")[0]):
            key, bound = name.rpartition("_")[0], "gte" if name.endswith("_from") else "lte"
            ranges.setdefault(key, {})[bound] = value
            continue
        column = definition.column(name)
        if column["type"] in col.TEXTUAL:
            # The plain search column first: it leaves the JSON extraction only rows that may match.
            rows = rows.filter(search_text__contains=col.fold(value)).filter(**{f"values__{name}__icontains": value})
        elif column["type"] in col.KEYED:
            rows = _keyed(rows, definition, column, value, pending=pending)
        else:
            rows = rows.filter(**{f"values__{name}": value})
    for key, bounds in ranges.items():
        if connection.vendor == "postgresql":  # ISO dates compare as strings; a scan beats a half-table IN
            rows = rows.filter(**{f"values__{key}__{bound}": value for bound, value in bounds.items()})
        else:  # both ends in one range of the key index, not two half-table sets
            pending.append(LedgerRowKey.objects.filter(
                definition=definition, column=key, **{f"value__{bound}": value for bound, value in bounds.items()})
                .values("row_id"))
    rows = _intersect(rows, pending)
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
    # Every text column's value, folded, in one plain column: a scan of it, not of each column in the JSON.
    return Q(search_text__contains=col.fold(text))


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


# ---- 按月填报: who must fill a monthly ledger, and who did, month by month ------------------------------------

MONTHS_SHOWN = 12


def monthly_definitions(user):
    return visible_definitions(user).filter(frequency=Frequency.MONTHLY)


def filling_units(user, definition: LedgerDefinition, permission: str = VIEW):
    """The active units in scope whose kind fills this ledger (any kind when the definition names none), tree order."""
    units = units_in_scope(user, permission).filter(is_active=True)
    if definition.unit_kinds:
        units = units.filter(kind__in=definition.unit_kinds)
    return units.order_by("path")


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class MonthCell:
    month: date
    filing: LedgerMonthFiling | None
    current: bool  # this month: not yet late

    @property
    def filled(self) -> bool:
        return self.filing is not None

    @property
    def label(self) -> str:
        if self.filing is None:
            return "本月未填" if self.current else "未填报"
        if self.filing.nil:
            return "零报告"
        return f"新增 {self.filing.added} 条" if self.filing.added else "已更新"

    @property
    def style(self) -> str:
        if self.filing is None:
            return "secondary" if self.current else "red"
        return "azure" if self.filing.nil else "green"


@dataclass
class MonthTable:
    months: list[date]
    rows: list[tuple]  # (unit, [MonthCell])
    filled: list[int]  # per month, units that filled it
    expected: int      # units that must fill it
    page: object = None


def month_table(user, definition: LedgerDefinition, today: date, page_number=None) -> MonthTable:
    """Units that fill the ledger × its months (at most the last 12, from the month it was defined or first filled):
    who filled which month, and how many units filled each month."""
    this_month = today.replace(day=1)
    units = list(filling_units(user, definition))
    filings = LedgerMonthFiling.objects.filter(definition=definition, unit__in=[u.pk for u in units])
    first = filings.aggregate(first=Min("month"))["first"]
    start = min(filter(None, [first, timezone.localdate(definition.created_at).replace(day=1)]))
    start = max(start, add_months(this_month, 1 - MONTHS_SHOWN))
    months = []
    while start <= this_month:
        months.append(start)
        start = add_months(start, 1)
    filled = dict(filings.filter(month__in=months).values_list("month").annotate(n=Count("pk")).order_by())
    table = MonthTable(months=months, rows=[], filled=[filled.get(m, 0) for m in months], expected=len(units))
    shown = units
    if page_number is not None:
        table.page = Paginator(units, 50).get_page(page_number)
        shown = list(table.page.object_list)
    found = {(f.unit_id, f.month): f for f in filings.filter(month__in=months, unit__in=[u.pk for u in shown])}
    for unit in shown:
        table.rows.append((unit, [MonthCell(m, found.get((unit.pk, m)), m == this_month) for m in months]))
    return table


def filled_this_month(user, today: date) -> list[tuple[LedgerDefinition, int, int]]:
    """Per monthly ledger the user may see: (definition, units in scope that filled it this month, units that must)."""
    month = today.replace(day=1)
    result = []
    for definition in monthly_definitions(user):
        units = filling_units(user, definition)
        done = LedgerMonthFiling.objects.filter(definition=definition, month=month, unit__in=units.values("pk")).count()
        result.append((definition, done, units.count()))
    return result


def unfiled_for_unit(user, today: date) -> list[LedgerDefinition]:
    """The monthly ledgers the user's own unit must fill and has not filled this month (the 工作台's to-do), in ONE
    query: the unit's kind comes along as a subquery and is compared here (the definition's kinds are a JSON list,
    not comparable in SQL on every database)."""
    if not user.unit_id or not has_permission(user, "ledger.edit"):
        return []
    filed = LedgerMonthFiling.objects.filter(definition=OuterRef("pk"), unit_id=user.unit_id, month=today.replace(day=1))
    kind = Unit.objects.filter(pk=user.unit_id, is_active=True).values("kind")[:1]
    pending = (LedgerDefinition.objects.filter(frequency=Frequency.MONTHLY).exclude(Exists(filed))
               .annotate(unit_kind=Subquery(kind)).only("pk", "key", "name", "unit_kinds").order_by("pk"))
    return [d for d in pending if d.unit_kind and (not d.unit_kinds or d.unit_kind in d.unit_kinds)]


# ---- rows that link to a clue or a problem (its page lists them) -----------------------------------------------

def linking_rows(user, kind: str, pk: int):
    """Rows in the user's scope whose link column names this clue or problem, newest first: one probe of the key
    index per ledger that has a link column."""
    wanted = Q(pk__in=[])
    for definition in visible_definitions(user).only("pk", "columns"):
        for column in definition.columns:
            if column["type"] == col.LINK:
                wanted |= Q(definition=definition.pk, column=column["key"], value=f"{kind}:{pk}")
    if not has_permission(user, VIEW):
        return LedgerRow.objects.none()
    return (visible_rows(user).filter(pk__in=LedgerRowKey.objects.filter(wanted).values("row_id"))
            .select_related("definition", "unit").order_by("-pk"))


# ---- 全局搜索 over every ledger's rows ---------------------------------------------------------------------------

def search_all(user, text: str):
    """Rows of any ledger the user may see that a typed number finds through its index, or whose text columns
    contain the text (the list's own `q`, over every ledger at once)."""
    if not has_permission(user, VIEW) or not text:
        return LedgerRow.objects.none()
    found = Q(pk__in=[])
    for definition in visible_definitions(user):
        found |= Q(definition=definition.pk) & search_q(definition, text)
    return visible_rows(user).filter(found).select_related("definition", "unit").order_by("-pk")


def unfiled_units(user, definition: LedgerDefinition, today: date) -> list:
    """Units the user may fill this monthly ledger for that have not filled it this month (who may still declare
    零报告)."""
    filed = LedgerMonthFiling.objects.filter(definition=definition, month=today.replace(day=1)).values("unit_id")
    return list(filling_units(user, definition, "ledger.edit").exclude(pk__in=filed))
