"""Ledger definitions, written by the office: create, change (versioned, audited, never losing data) and the
columns guessed from an Excel header row."""

import re

from django.db import transaction

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.excel_import import CellError, check_upload
from qicha.core.excel_import.workbooks import open_top
from qicha.core.scope import has_permission
from qicha.core.versioning import claim_version

from .. import columns as col
from ..models import Frequency, LedgerDefinition, LedgerDefinitionVersion, LedgerRow
from .rows import refresh_search_text

DEFINE = "ledger.define"
UNIT_KINDS = ("city_bureau", "party_group", "campaign_office", "department", "subordinate", "district_bureau",
              "district_department", "district_subordinate")


def _check(actor) -> None:
    if not has_permission(actor, DEFINE):
        raise NotFound()


def _check_fields(fields: dict, columns: list[dict], unique: list[str], exclude: int | None = None) -> dict:
    errors = {}
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写台账名称。"
    elif LedgerDefinition.objects.filter(name=name).exclude(pk=exclude).exists():
        errors["name"] = f"已有名为“{name}”的台账。"
    if fields.get("frequency") not in Frequency.values:
        errors["frequency"] = "请选择填报频次（一次性、按月、随时）。"
    item = fields.get("check_item")
    if item is not None and not (isinstance(item, int) and 1 <= item <= 7):
        errors["check_item"] = "查摆事项应为 1–7 的序号。"
    bad_kinds = [kind for kind in fields.get("unit_kinds") or [] if kind not in UNIT_KINDS]
    if bad_kinds:
        errors["unit_kinds"] = f"未知的单位类型：{'、'.join(bad_kinds)}。"
    errors.update(col.check_columns(columns))
    keys = {c["key"]: c for c in columns}
    for key in unique:
        if key not in keys:
            errors["unique_columns"] = f"不得重复的列“{key}”不在列中。"
        elif keys[key]["type"] not in col.KEYED:
            errors["unique_columns"] = f"“{keys[key]['label']}”是{col.TYPE_LABELS[keys[key]['type']]}，不能作为判断重复的列。"
    return errors


def _unique_keys(given, columns: list[dict]) -> list[str]:
    """Column keys, or labels (as the page writes them) turned into their keys."""
    keys = {c["key"] for c in columns}
    by_label = {c["label"]: c["key"] for c in columns}
    return [item if item in keys else by_label.get(item, item) for item in given]


def key_for(name: str) -> str:
    """A stable ASCII key for a new definition (the name is Chinese; the key only has to be unique and fixed)."""
    base = re.sub(r"[^a-z0-9]", "", name.lower())[:20] or "ledger"
    if not base[0].isalpha():
        base = f"l{base}"
    key, number = base, 1
    while LedgerDefinition.objects.filter(key=key).exists():
        number += 1
        key = f"{base}{number}"
    return key


def _fields(raw: dict) -> dict:
    item = raw.get("check_item")
    if isinstance(item, str):
        item = int(item) if item.strip().isdigit() else (None if not item.strip() else -1)
    return {"name": (raw.get("name") or "").strip(), "frequency": raw.get("frequency") or Frequency.EVENT,
            "check_item": item, "unit_kinds": list(raw.get("unit_kinds") or []),
            "description": (raw.get("description") or "").strip()}


def create_definition(actor, *, columns: list[dict], unique_columns=(), **raw) -> LedgerDefinition:
    _check(actor)
    fields = _fields(raw)
    columns = [col.normalise_column(c) for c in columns]
    for index, column in enumerate(columns):
        if not column["key"]:
            column["key"] = f"c{index + 1}"
    unique = _unique_keys(unique_columns or [], columns)
    errors = _check_fields(fields, columns, unique)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        definition = LedgerDefinition.objects.create(key=raw.get("key") or key_for(fields["name"]), columns=columns,
                                                     unique_columns=unique, created_by=actor, **fields)
        LedgerDefinitionVersion.objects.create(definition=definition, number=1, name=definition.name, columns=columns,
                                               unique_columns=unique, changed_by=actor, note="新建")
        record_event(EventType.CREATE, actor=actor, obj=definition,
                     after={**fields, "columns": [f"{c['label']}（{col.TYPE_LABELS[c['type']]}）" for c in columns]})
    return definition


def _explain_change(definition: LedgerDefinition, old: dict, new: dict) -> str | None:
    """Why a changed column would make stored rows invalid, or None. Checks every stored value of the column."""
    if old["type"] == new["type"] and old.get("options") == new.get("options"):
        return None
    stored = (LedgerRow.objects.filter(definition=definition, **{"values__has_key": old["key"]})
              .values_list("pk", "values"))
    bad, first = 0, None
    for pk, values in stored.iterator(chunk_size=2000):
        value = col.clear(old, values[old["key"]])
        if old["type"] == col.MULTI and new["type"] == col.MULTI:
            raw = value
        else:
            raw = col.display(old, col.seal(old, value)) if old["type"] not in col.SEALED else value
            if old["type"] == col.AMOUNT:
                raw = value
        try:
            col.parse(new, raw)
        except CellError as exc:
            bad += 1
            first = first or (pk, exc.message)
    if not bad:
        return None
    return (f"列“{old['label']}”改为{col.TYPE_LABELS[new['type']]}（或改动选项）后，已有 {bad} 条记录的值不再符合要求"
            f"（如第 {first[0]} 条：{first[1]}）。未保存。可先修改这些记录，或新增一列、隐藏原列。")


def change_definition(actor, definition: LedgerDefinition, *, version: int | None, columns: list[dict],
                      unique_columns=None, note: str = "", **raw) -> LedgerDefinition:
    """Save a new version. A column left out is kept hidden (its data stays); a changed type or option list is
    checked against every stored value and refused with the reason when any would no longer fit."""
    _check(actor)
    fields = _fields({**{"name": definition.name, "frequency": definition.frequency,
                         "check_item": definition.check_item, "unit_kinds": definition.unit_kinds,
                         "description": definition.description}, **raw})
    columns = [col.normalise_column(c) for c in columns]
    for index, column in enumerate(columns):
        if not column["key"]:
            column["key"] = _new_key(definition, columns, index)
    given = {c["key"] for c in columns}
    # Removed columns are hidden, never dropped: appended at the end as they were, hidden.
    columns += [{**c, "hidden": True} for c in definition.columns if c["key"] not in given]
    unique = _unique_keys(definition.unique_columns if unique_columns is None else unique_columns, columns)
    errors = _check_fields(fields, columns, unique, exclude=definition.pk)
    if not errors:
        old = {c["key"]: c for c in definition.columns}
        for index, column in enumerate(columns):
            if column["key"] in old:
                reason = _explain_change(definition, old[column["key"]], column)
                if reason:
                    errors[f"columns.{index}.type"] = reason
    if errors:
        raise Invalid(details=errors)
    before = {"name": definition.name, "columns": definition.columns, "unique_columns": definition.unique_columns}
    with transaction.atomic():
        claim_version(definition, version)
        for name, value in fields.items():
            setattr(definition, name, value)
        textual_before = {c["key"] for c in definition.columns if c["type"] in col.TEXTUAL}
        definition.columns, definition.unique_columns = columns, unique
        definition.save()
        if textual_before != {c["key"] for c in columns if c["type"] in col.TEXTUAL}:
            refresh_search_text(definition)
        LedgerDefinitionVersion.objects.create(definition=definition, number=definition.version, name=definition.name,
                                               columns=columns, unique_columns=unique, changed_by=actor,
                                               note=note[:300])
        record_event(EventType.UPDATE, actor=actor, obj=definition, before=before,
                     after={"name": definition.name, "columns": columns, "unique_columns": unique},
                     detail=f"台账定义第 {definition.version} 版" + (f"：{note}" if note else ""))
    return definition


def _new_key(definition: LedgerDefinition, columns: list[dict], index: int) -> str:
    taken = {c["key"] for c in definition.columns} | {c["key"] for c in columns}
    number = index + 1
    while f"c{number}" in taken:
        number += 1
    return f"c{number}"


def guess_columns(data: bytes, file_name: str) -> list[dict]:
    """The header row of an uploaded sheet (the first row with at least two filled cells) as columns, each with a
    type guessed from its words (日期, 金额, 身份证, 电话, 信用代码, 是否 …) for the office to confirm."""
    check_upload(data, file_name)
    book = open_top(data, file_name)
    try:
        header = None
        for number, cells in enumerate(book.rows, start=1):
            # As the clerk wrote it (full-width brackets kept), blanks and the required marker dropped.
            texts = [re.sub(r"\s+", "", str(cell or "")).replace("*", "") for cell in cells or ()]
            if sum(1 for text in texts if text) >= 2:
                header = texts
                break
            if number >= 30:
                break
    finally:
        book.close()
    if not header:
        raise Invalid(f"文件“{file_name}”的前 30 行中找不到表头（至少两个填写了列名的单元格）。",
                      {"file": "找不到表头"})
    columns, seen = [], set()
    for text in header:
        if not text or text in ("序号", "编号") or text in seen:
            continue
        seen.add(text)
        kind = col.guess_type(text)
        columns.append({"key": f"c{len(columns) + 1}", "label": text, "type": kind, "required": False, "help": "",
                        "options": [], "hidden": False})
    return columns


def definition_from_header(actor, data: bytes, file_name: str) -> list[dict]:
    _check(actor)
    return guess_columns(data, file_name)
