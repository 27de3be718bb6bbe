"""Writing ledger rows: one from the form or the API, many from an Excel import. The same checks for all three."""

import json
from collections.abc import Callable

from django.db import transaction

from qicha.clues import queries as clue_queries
from qicha.core.attachments import store_upload
from qicha.core.audit import EventType, record_batch_event, record_event
from qicha.core.crypto import sm3
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_import import CellError, check_upload, open_rows
from qicha.core.models import Attachment
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.versioning import claim_version
from qicha.problems import queries as problem_queries

from .. import columns as col
from ..models import LedgerDefinition, LedgerRow, LedgerRowKey
from .monthly import mark_filed

EDIT = "ledger.edit"
MAX_IMPORT_ROWS = 5000


def build_context(actor, permission: str = EDIT) -> col.Context:
    units = list(units_in_scope(actor, permission).order_by("path").values_list("pk", "name"))

    def link_exists(kind: str, pk: int) -> bool:
        if kind == "problem":
            return has_permission(actor, "problem.view") and problem_queries.visible_problems(actor).filter(pk=pk).exists()
        return has_permission(actor, "clue.view") and clue_queries.visible_clues(actor).filter(pk=pk).exists()

    def attachment_exists(pk: int) -> bool:
        return Attachment.objects.filter(pk=pk, uploaded_by=actor).exists()

    return col.Context(unit_names={name: pk for pk, name in units}, unit_labels=dict(units),
                       link_exists=link_exists, attachment_exists=attachment_exists)


def clean_values(definition: LedgerDefinition, raw: dict, ctx: col.Context, *, existing: dict | None = None
                 ) -> tuple[dict, dict, dict]:
    """(clear values, stored values, errors by column key) of one row. A hidden column keeps what the row had; a
    required column is required of every new or edited row (rows written before it was added are not touched)."""
    clear, stored, errors = {}, {}, {}
    existing = existing or {}
    for column in definition.columns:
        key = column["key"]
        if column.get("hidden"):
            if key in existing:
                stored[key] = existing[key]
                clear[key] = col.clear(column, existing[key])
            continue
        if column["type"] == col.ATTACHMENT and key in existing and str(raw.get(key)) == str(existing[key]):
            clear[key] = stored[key] = existing[key]  # the file already on the row
            continue
        if column["type"] in col.SEALED and key in existing and raw.get(key) == col.display(column, existing[key]):
            stored[key] = existing[key]  # the masked value the form showed, sent back unchanged: keep the number
            clear[key] = col.clear(column, existing[key])
            continue
        if column["type"] == col.ATTACHMENT and hasattr(raw.get(key), "read"):
            clear[key] = stored[key] = raw[key]  # an upload: stored (and checked) by the act, in its transaction
            continue
        try:
            value = col.parse(column, raw.get(key), ctx)
        except CellError as exc:
            errors[key] = f"{column['label']}：{exc.message}"
            continue
        if value in (None, "", []):
            if column.get("required"):
                errors[key] = f"请填写{column['label']}。"
            continue
        clear[key] = value
        stored[key] = col.seal(column, value)
    return clear, stored, errors


def _store_files(actor, clear: dict, stored: dict) -> None:
    for key, value in list(clear.items()):
        if hasattr(value, "read"):
            clear[key] = stored[key] = store_upload(actor, value).pk


def _row_keys(definition: LedgerDefinition, clear: dict) -> list[tuple[str, str]]:
    return [(column["key"], value) for column in definition.columns
            for value in col.keys(column, clear.get(column["key"]))]


def digest(unit_id: int, clear: dict) -> str:
    return sm3(json.dumps([unit_id, clear], ensure_ascii=False, sort_keys=True, default=str).encode()).hex()


def _duplicate(definition: LedgerDefinition, unit_id: int, clear: dict, exclude: int | None = None) -> int | None:
    """The id of another row of the unit with the same values in the definition's unique columns."""
    unique = [key for key in definition.unique_columns if definition.column(key)]
    if not unique:
        return None
    rows = LedgerRow.objects.filter(definition=definition, unit_id=unit_id)
    for key in unique:
        found = col.keys(definition.column(key), clear.get(key))
        if not found:
            return None  # a blank in a unique column never collides
        rows = rows.filter(pk__in=LedgerRowKey.objects.filter(definition=definition, column=key, value=found[0])
                           .values("row_id"))
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.values_list("pk", flat=True).first()


def _duplicate_message(definition: LedgerDefinition, other: int) -> str:
    labels = "、".join(definition.column(key)["label"] for key in definition.unique_columns if definition.column(key))
    return f"与本单位已登记的第 {other} 条记录重复（{labels}相同）。"


def _check_unit(actor, definition: LedgerDefinition, unit) -> None:
    if not can_act_on(actor, EDIT, unit):
        raise NotFound()
    if definition.unit_kinds and unit.kind not in definition.unit_kinds:
        raise Invalid(f"“{unit.name}”不是该台账的填报单位类型。", {"unit": "该单位不填报此台账"})


def _audit_values(definition: LedgerDefinition, clear: dict) -> dict:
    """What the audit keeps: sealed values masked."""
    return {column["label"]: col.display(column, col.seal(column, clear[column["key"]]))
            for column in definition.columns if column["key"] in clear}


def create_row(actor, definition: LedgerDefinition, unit, values: dict) -> LedgerRow:
    _check_unit(actor, definition, unit)
    ctx = build_context(actor)
    clear, stored, errors = clean_values(definition, values, ctx)
    if not errors:
        other = _duplicate(definition, unit.pk, clear)
        if other:
            errors["__all__"] = _duplicate_message(definition, other)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        _store_files(actor, clear, stored)
        row = LedgerRow.objects.create(definition=definition, unit=unit, values=stored, created_by=actor,
                                       definition_version=definition.version, content_digest=digest(unit.pk, clear),
                                       search_text=col.search_text(definition.columns, clear))
        mark_filed(definition, [unit.pk], actor, {unit.pk: 1})
        LedgerRowKey.objects.bulk_create(LedgerRowKey(row=row, definition=definition, column=k, value=v)
                                         for k, v in _row_keys(definition, clear))
        record_event(EventType.CREATE, actor=actor, obj=row, after=_audit_values(definition, clear))
    return row


def update_row(actor, row: LedgerRow, *, version: int | None, values: dict) -> LedgerRow:
    definition = LedgerDefinition.objects.get(pk=row.definition_id)  # the current version, not a cached one
    row.definition = definition
    _check_unit(actor, definition, row.unit)
    ctx = build_context(actor)
    before = {column["key"]: col.clear(column, row.values.get(column["key"])) for column in definition.columns
              if column["key"] in row.values}
    clear, stored, errors = clean_values(definition, values, ctx, existing=row.values)
    if not errors:
        other = _duplicate(definition, row.unit_id, clear, exclude=row.pk)
        if other:
            errors["__all__"] = _duplicate_message(definition, other)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        claim_version(row, version)
        _store_files(actor, clear, stored)
        row.values, row.updated_by, row.definition_version = stored, actor, definition.version
        row.content_digest = digest(row.unit_id, clear)
        row.search_text = col.search_text(definition.columns, clear)
        row.save(update_fields=["values", "updated_by", "definition_version", "content_digest", "search_text",
                                "updated_at"])
        mark_filed(definition, [row.unit_id], actor)
        LedgerRowKey.objects.filter(row=row).delete()
        LedgerRowKey.objects.bulk_create(LedgerRowKey(row=row, definition=definition, column=k, value=v)
                                         for k, v in _row_keys(definition, clear))
        record_event(EventType.UPDATE, actor=actor, obj=row, before=_audit_values(definition, before),
                     after=_audit_values(definition, clear))
    return row


def refresh_search_text(definition: LedgerDefinition) -> None:
    """After a column became (or stopped being) text: rebuild what text searches read, in the same transaction."""
    textual = [c for c in definition.columns if c["type"] in col.TEXTUAL]
    batch = []
    for row in LedgerRow.objects.filter(definition=definition).only("pk", "values").iterator(chunk_size=2000):
        row.search_text = col.search_text(textual, {c["key"]: col.clear(c, row.values.get(c["key"])) for c in textual})
        batch.append(row)
        if len(batch) >= 2000:
            LedgerRow.objects.bulk_update(batch, ["search_text"])
            batch = []
    LedgerRow.objects.bulk_update(batch, ["search_text"])


# ---- Excel import -------------------------------------------------------------------------------------------

UNIT_KEY = "__unit"


def import_columns(definition: LedgerDefinition, ctx: col.Context):
    """The template's and the reader's columns: 填报单位 first, then the definition's visible columns."""
    from qicha.core.excel_import import CHOICE, Column

    unit = Column(UNIT_KEY, "填报单位", kind=CHOICE, required=True,
                  choices=tuple((name, name) for name in ctx.unit_names), parser=lambda raw: raw, width=24,
                  note="从下拉列表选择本单位或下级单位", example=next(iter(ctx.unit_names), ""))
    return [unit, *[col.cell_spec(column, ctx) for column in definition.visible_columns
                    if column["type"] != col.ATTACHMENT]]


def import_rows(actor, definition: LedgerDefinition, data: bytes, file_name: str,
                progress: Callable[[int], None] | None = None, *, write: bool = True) -> dict:
    """Check every row of the upload; with any error, nothing is written and the located errors are returned. A row
    identical to one the unit already has (same values) is skipped, so importing the same file twice adds nothing.
    With `write=False` only the check (the API's preview): `created` is what a confirmed import would add."""
    if not has_permission(actor, EDIT):
        raise NotFound()
    check_upload(data, file_name)
    ctx = build_context(actor)
    units = {unit.pk: unit for unit in units_in_scope(actor, EDIT)}
    errors, new_rows, skipped, seen = [], [], 0, {}
    with open_rows(data, file_name, import_columns(definition, ctx), max_rows=MAX_IMPORT_ROWS) as (sheet, rows):
        for row in rows:
            if row.errors:
                errors.extend(row.errors)
                continue
            unit_text = col._text(row.values.get(UNIT_KEY))
            unit = units.get(ctx.unit_names.get(unit_text))
            if unit is None:
                sheet.error_at(row, UNIT_KEY, f"找不到单位“{unit_text}”（或不在您的数据范围内）")
            elif definition.unit_kinds and unit.kind not in definition.unit_kinds:
                sheet.error_at(row, UNIT_KEY, f"“{unit.name}”不是该台账的填报单位类型")
            clear, stored, cell_errors = clean_values(definition, row.values, ctx)
            for key, message in cell_errors.items():
                sheet.error_at(row, key, message.split("：", 1)[-1])
            if unit is not None and not row.errors:
                fingerprint = digest(unit.pk, clear)
                if LedgerRow.objects.filter(definition=definition, content_digest=fingerprint, unit=unit).exists():
                    skipped += 1
                    continue
                other = _duplicate(definition, unit.pk, clear)
                unique = tuple(tuple(col.keys(definition.column(k), clear.get(k))) for k in definition.unique_columns
                               if definition.column(k))
                earlier = seen.get((unit.pk, unique)) if unique and all(unique) else None
                if other:
                    sheet.error_at(row, None, _duplicate_message(definition, other))
                elif earlier:
                    sheet.error_at(row, None, f"与本表第{earlier}行重复")
                else:
                    if unique and all(unique):
                        seen[(unit.pk, unique)] = row.number
                    new_rows.append((unit, clear, stored, fingerprint))
            errors.extend(row.errors)
    if errors:
        return {"created": 0, "skipped": 0, "errors": [e.located for e in errors[:200]],
                "error_count": len(errors), "rows_ok": len(new_rows)}
    if not write:
        return {"created": 0, "skipped": skipped, "errors": [], "error_count": 0, "rows_ok": len(new_rows)}
    with transaction.atomic():
        created = LedgerRow.objects.bulk_create(
            LedgerRow(definition=definition, unit=unit, values=stored, created_by=actor,
                      definition_version=definition.version, content_digest=fingerprint,
                      search_text=col.search_text(definition.columns, clear))
            for unit, clear, stored, fingerprint in new_rows)
        if created and created[0].pk is None:  # backends that return no ids from a bulk insert
            created = list(LedgerRow.objects.filter(definition=definition, created_by=actor)
                           .order_by("-pk")[:len(new_rows)])[::-1]
        LedgerRowKey.objects.bulk_create(
            LedgerRowKey(row=row, definition=definition, column=k, value=v)
            for row, (_, clear, _, _) in zip(created, new_rows, strict=True) for k, v in _row_keys(definition, clear))
        added = {}
        for unit, *_ in new_rows:
            added[unit.pk] = added.get(unit.pk, 0) + 1
        mark_filed(definition, added, actor, added)
        if created:
            record_batch_event(EventType.IMPORT, actor=actor, object_type="ledgers.ledgerrow",
                               object_ids=[row.pk for row in created], object_repr=definition.name,
                               after={"file": file_name, "rows": len(created), "skipped": skipped},
                               detail=f"导入{definition.name} {len(created)} 条（相同记录跳过 {skipped} 条）")
    return {"created": len(created), "skipped": skipped, "errors": [], "error_count": 0}
