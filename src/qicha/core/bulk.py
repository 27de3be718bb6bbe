"""Multi-row INSERTs of plain values, for a service that registers tens of thousands of records in one act (an
import). `bulk_create` builds a model instance per row and prepares every value field by field — most of the time
of a 100,000-row import; here a row is a dict and only values that need a database form (dates, JSON…) are
converted. Field defaults and auto_now(_add) are filled as `save()` would. No signals, no `full_clean`: the
calling service has already applied its rules."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

# Values of these fields go to the driver as they are (text, numbers, ids).
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
MAX_PARAMETERS = 30_000   # below SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], *, returning: bool = False) -> list[int]:
    """Insert `rows` (attname → value; missing fields take their default) into `model`'s table. Returns the new
    primary keys in row order when `returning` (RETURNING: SQLite ≥ 3.35 and PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    now = timezone.now()
    # Per field: the value used when a row has none, already in database form, and the converter for row values.
    fill: list[tuple[str | None, Any, Callable[[Any], Any] | None]] = []
    for field in fields:
        # A sensitive field (core.sensitive, known by its `kind`) is text on the way in but sealed (SM4) on the way to
        # the database.
        convert = None if isinstance(field, PLAIN) and not hasattr(field, "kind") else (
            lambda value, field=field: field.get_db_prep_save(value, connection))
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fill.append((None, convert(now) if convert else now, None))  # now, the same for every row
            continue
        default = field.get_default()  # as save() would: the declared default, "" for text, else None
        fill.append((field.attname, convert(default) if convert and default is not None else default, convert))
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    suffix = f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}" if returning else ""
    if connection.vendor == "postgresql":
        # One array per column, unnested: a handful of parameters whatever the rows (a VALUES list of 30,000
        # placeholders costs the driver more than the insert). Rows come back in the order given.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        sql_for = lambda count: f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){suffix}"  # noqa: E731
        params_for = lambda batch: [list(column) for column in zip(*batch, strict=True)]  # noqa: E731
        per_statement = 5000
    else:
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql_for = lambda count: f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * count) + suffix  # noqa: E731
        params_for = lambda batch: [value for row in batch for value in row]  # noqa: E731
        per_statement = max(1, MAX_PARAMETERS // len(fields))
    ids: list[int] = []

    def execute(batch: Sequence[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql_for(len(batch)), params_for(batch))
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())

    batch: list[tuple] = []
    for row in rows:
        values = []
        for attname, default, convert in fill:
            if attname is not None and attname in row:
                value = row[attname]
                values.append(value if convert is None or value is None else convert(value))
            else:
                values.append(default)
        batch.append(tuple(values))
        if len(batch) >= per_statement:
            execute(batch)
            batch = []
    if batch:
        execute(batch)
    return ids
