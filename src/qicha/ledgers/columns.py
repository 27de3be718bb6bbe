"""Column types of a ledger, all in one place. Each type knows how to
    parse      a value from a form, the API or an Excel cell → the stored (JSON) value, or CellError in Chinese;
    display    the stored value as shown on a page (identity numbers and phones masked);
    export     the stored value as written to the 台账 workbook (masked too: the ledger export has no reveal);
    keys       the exact-match values a filter or search finds the row by (LedgerRowKey);
    form_field the Django form field of the generated entry form;
    cell       the Excel column spec (core.excel_import.Column) of the import template.

A column is a dict: {"key", "label", "type", "required", "help", "options", "hidden"}; order is list order.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms

from qicha.clues.similarity import validate_credit_code
from qicha.core import idnumbers
from qicha.core.crypto import blind_index, decrypt_text, encrypt_text
from qicha.core.errors import Invalid
from qicha.core.excel_import import CHOICE, DATE, CellError, Column, parse_boolean, parse_date, parse_text
from qicha.core.masking import mask_id_number, mask_phone

SHORT_TEXT, LONG_TEXT, INTEGER, AMOUNT = "text", "longtext", "integer", "amount"
DATE_T, CHOICE_T, MULTI, YESNO, UNIT = "date", "choice", "multichoice", "yesno", "unit"
ID_NUMBER, PHONE, CREDIT_CODE, PLATE, ATTACHMENT, LINK = "id_number", "phone", "credit_code", "plate", "attachment", "link"

TYPE_LABELS = {
    SHORT_TEXT: "短文本", LONG_TEXT: "长文本", INTEGER: "整数", AMOUNT: "金额（元）", DATE_T: "日期", CHOICE_T: "单选",
    MULTI: "多选", YESNO: "是/否", UNIT: "单位", ID_NUMBER: "身份证号", PHONE: "电话", CREDIT_CODE: "统一社会信用代码",
    PLATE: "车牌号", ATTACHMENT: "附件", LINK: "关联问题或线索",
}
TYPES = tuple(TYPE_LABELS)
# Types a list can filter on exactly (their values go to LedgerRowKey), and those searched by a typed number.
KEYED = {DATE_T, CHOICE_T, MULTI, YESNO, UNIT, ID_NUMBER, PHONE, CREDIT_CODE, PLATE, LINK}
SEARCHED = {ID_NUMBER, PHONE, CREDIT_CODE, PLATE}
SEALED = {ID_NUMBER, PHONE}
TEXTUAL = {SHORT_TEXT, LONG_TEXT}
SHORT_MAX, LONG_MAX = 200, 4000
MAX_AMOUNT = Decimal("1000000000000")

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PLATE_PATTERN = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z]"
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF])$"
)
PHONE_PATTERN = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
LINK_PATTERN = re.compile(r"^(?:(problem|clue)[:：]?|(问题|线索)\s*)?#?(\d+)$", re.IGNORECASE)
LINK_KINDS = {"problem": "问题", "clue": "线索", "问题": "problem", "线索": "clue"}


@dataclass
class Context:
    """What parsing needs beyond the cell: the units the actor may fill for (name → id, id → name) and a check
    that a linked problem or clue is one the actor may see. Built once per form or import."""

    unit_names: dict[str, int] = field(default_factory=dict)
    unit_labels: dict[int, str] = field(default_factory=dict)
    link_exists: Any = None          # (kind, id) → bool
    attachment_exists: Any = None    # id → bool


def _text(raw: Any) -> str:
    return parse_text(raw) if not isinstance(raw, str) else parse_text(raw.replace("\r\n", "\n"))


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def options_of(column: dict) -> list[str]:
    return [str(option) for option in column.get("options") or []]


def parse(column: dict, raw: Any, ctx: Context | None = None) -> Any:
    """The stored value of one cell, None when blank (required is checked by the caller), or CellError."""
    kind = column["type"]
    ctx = ctx or Context()
    if kind == YESNO:
        if isinstance(raw, bool):
            return raw
        return None if _blank(raw) else parse_boolean(raw)
    if kind == MULTI:
        items = raw if isinstance(raw, list | tuple) else re.split(r"[、,，;；/\n]+", _text(raw))
        items = [_text(item) for item in items if _text(item)]
        if not items:
            return None
        allowed = options_of(column)
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise CellError(f"“{'、'.join(unknown)}”不是可选项，应为：{'、'.join(allowed)}")
        return [option for option in allowed if option in items]  # option order, no duplicates
    if _blank(raw):
        return None
    if kind in (SHORT_TEXT, LONG_TEXT):
        text = _text(raw) if kind == SHORT_TEXT else str(raw).replace("\r\n", "\n").strip()
        limit = SHORT_MAX if kind == SHORT_TEXT else LONG_MAX
        if len(text) > limit:
            raise CellError(f"不能超过 {limit} 个字符（现有 {len(text)} 个）")
        return text
    if kind == INTEGER:
        if isinstance(raw, bool):
            raise CellError("应填写整数")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            return raw
        text = _text(raw).replace(",", "")
        if not re.fullmatch(r"-?\d{1,15}", text):
            raise CellError(f"“{text}”不是整数")
        return int(text)
    if kind == AMOUNT:
        text = _text(raw).replace(",", "").replace("，", "").removesuffix("元").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"“{text}”不是金额，请填写数字（单位：元，最多两位小数）") from None
        if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
            raise CellError(f"金额“{text}”超出范围")
        if amount != amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) and not isinstance(raw, float):
            raise CellError(f"金额“{text}”最多两位小数（单位：元）")
        return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if kind == DATE_T:
        value = parse_date(raw)
        return value.isoformat() if value else None
    if kind == CHOICE_T:
        text = _text(raw)
        allowed = options_of(column)
        folded = {_fold(option): option for option in allowed}
        if _fold(text) not in folded:
            raise CellError(f"“{text}”不是可选项，应为：{'、'.join(allowed)}")
        return folded[_fold(text)]
    if kind == UNIT:
        if isinstance(raw, int) and not isinstance(raw, bool):
            if raw not in ctx.unit_labels:
                raise CellError("该单位不在您的数据范围内")
            return raw
        text = _text(raw)
        if text.isdigit() and int(text) in ctx.unit_labels:
            return int(text)
        if text not in ctx.unit_names:
            raise CellError(f"找不到单位“{text}”（或不在您的数据范围内），请按单位全称填写")
        return ctx.unit_names[text]
    if kind == ID_NUMBER:
        try:
            return idnumbers.validate(_text(raw), column.get("label") or "身份证号")
        except Invalid as exc:
            raise CellError(exc.message) from None
    if kind == PHONE:
        text = re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", _text(raw))).removeprefix("+86")
        if not PHONE_PATTERN.match(text):
            raise CellError(f"“{_text(raw)}”不是有效的电话号码（手机 11 位，座机如 0571-88888888）")
        return text
    if kind == CREDIT_CODE:
        try:
            return validate_credit_code(_text(raw))
        except Invalid as exc:
            raise CellError(exc.message) from None
    if kind == PLATE:
        text = re.sub(r"[\s·.\-]", "", unicodedata.normalize("NFKC", _text(raw))).upper()
        if not PLATE_PATTERN.match(text):
            raise CellError(f"“{_text(raw)}”不是有效的车牌号（如 浙A12345、浙AD12345）")
        return text
    if kind == ATTACHMENT:
        text = _text(raw)
        if not text.isdigit() or (ctx.attachment_exists is not None and not ctx.attachment_exists(int(text))):
            raise CellError("附件不存在，请在页面上上传附件")
        return int(text)
    if kind == LINK:
        match = LINK_PATTERN.match(_text(raw).replace(" ", ""))
        if not match:
            raise CellError(f"“{_text(raw)}”应写成“问题 12”或“线索 34”")
        kind_word = match[1] or LINK_KINDS.get(match[2] or "", "")
        if not kind_word:
            raise CellError(f"“{_text(raw)}”未说明是问题还是线索，应写成“问题 12”或“线索 34”")
        target = (kind_word.lower(), int(match[3]))
        if ctx.link_exists is not None and not ctx.link_exists(*target):
            raise CellError(f"{LINK_KINDS[target[0]]} {target[1]} 不存在或不在您的数据范围内")
        return f"{target[0]}:{target[1]}"
    raise CellError(f"未知的列类型“{kind}”")


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def fold(text: str) -> str:
    """Text as `search_text` holds it and as a search compares it: NFKC (full-width letters and digits) and lower case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(columns: list[dict], clear: dict) -> str:
    """A row's text columns, folded, one per line: what a text search reads."""
    return "\n".join(fold(str(clear[c["key"]])) for c in columns if c["type"] in TEXTUAL and clear.get(c["key"]))


def seal(column: dict, value: Any) -> Any:
    """The value as stored: identity numbers and phones SM4-encrypted (bound to the column's kind)."""
    if column["type"] in SEALED and value:
        return encrypt_text(value, column["type"])
    return value


def clear(column: dict, stored: Any) -> Any:
    if column["type"] in SEALED and stored:
        return decrypt_text(stored, column["type"])
    return stored


def keys(column: dict, value: Any) -> list[str]:
    """Exact-match keys of a (clear) value for LedgerRowKey."""
    kind = column["type"]
    if value in (None, "", []) or kind not in KEYED:
        return []
    if kind in SEALED:
        return [blind_index(value, kind)]
    if kind == MULTI:
        return [str(item)[:100] for item in value]
    if kind == YESNO:
        return ["1" if value else "0"]
    return [str(value)[:100]]


def search_key(column: dict, text: str) -> str | None:
    """The key a typed number is found by in this column (None when the text is not a valid value of it)."""
    try:
        value = parse(column, text)
    except CellError:
        return None
    found = keys(column, value)
    return found[0] if found else None


def display(column: dict, stored: Any, ctx: Context | None = None) -> str:
    """As a page shows it; sealed values masked."""
    kind = column["type"]
    if stored in (None, "", []):
        return ""
    if kind == ID_NUMBER:
        return mask_id_number(clear(column, stored))
    if kind == PHONE:
        return mask_phone(clear(column, stored))
    if kind == YESNO:
        return "是" if stored else "否"
    if kind == MULTI:
        return "、".join(stored)
    if kind == UNIT:
        return (ctx.unit_labels.get(stored) if ctx else None) or f"单位 {stored}"
    if kind == AMOUNT:
        return f"{Decimal(stored):,.2f}"
    if kind == LINK:
        target, _, pk = str(stored).partition(":")
        return f"{LINK_KINDS.get(target, target)} {pk}"
    if kind == ATTACHMENT:
        return f"附件 {stored}"
    return str(stored)


def export(column: dict, stored: Any, ctx: Context | None = None) -> Any:
    """As the 台账 workbook holds it: numbers as numbers, dates as dates, the rest as display text."""
    if stored in (None, "", []):
        return ""
    kind = column["type"]
    if kind == INTEGER:
        return stored
    if kind == AMOUNT:
        return Decimal(stored)
    if kind == DATE_T:
        return date.fromisoformat(stored)
    return display(column, stored, ctx)


def editable(column: dict, stored: Any, ctx: Context | None = None) -> Any:
    """The value as the entry form shows it for editing. Sealed values stay masked (an identity number is shown in
    clear nowhere without an audited reveal); sent back unchanged, the row keeps its number."""
    kind = column["type"]
    if stored in (None, ""):
        return None
    if kind in SEALED:
        return display(column, stored)
    if kind == LINK:
        target, _, pk = str(stored).partition(":")
        return f"{LINK_KINDS.get(target, target)} {pk}"
    return stored


# ---- entry form ---------------------------------------------------------------------------------------------

def form_field(column: dict, ctx: Context) -> forms.Field:
    kind, label = column["type"], column["label"]
    common = {"label": label, "required": False, "help_text": column.get("help", "")}
    if kind == LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == DATE_T:
        return forms.CharField(widget=forms.DateInput(), **common)
    if kind == CHOICE_T:
        return forms.ChoiceField(choices=[("", "—")] + [(o, o) for o in options_of(column)], **common)
    if kind == MULTI:
        return forms.MultipleChoiceField(choices=[(o, o) for o in options_of(column)],
                                         widget=forms.CheckboxSelectMultiple, **common)
    if kind == YESNO:
        return forms.ChoiceField(choices=[("", "—"), ("是", "是"), ("否", "否")], **common)
    if kind == UNIT:
        return forms.ChoiceField(choices=[("", "—")] + [(str(pk), name) for pk, name in ctx.unit_labels.items()],
                                 **common)
    if kind == ATTACHMENT:
        return forms.FileField(**common)
    placeholder = {INTEGER: "整数", AMOUNT: "单位：元，如 1200.50", ID_NUMBER: "18 位身份证号", PHONE: "手机或座机",
                   CREDIT_CODE: "18 位统一社会信用代码", PLATE: "如 浙A12345", LINK: "如 问题 12、线索 34"}.get(kind)
    return forms.CharField(widget=forms.TextInput(attrs={"placeholder": placeholder} if placeholder else {}), **common)


def form_initial(column: dict, stored: Any, ctx: Context) -> Any:
    value = editable(column, stored, ctx)
    if column["type"] == YESNO and value is not None:
        return "是" if value else "否"
    if column["type"] == UNIT and value is not None:
        return str(value)
    return value


# ---- Excel --------------------------------------------------------------------------------------------------

def cell_spec(column: dict, ctx: Context) -> Column:
    """The import template's column; the cell's raw value is parsed by `parse` in the service, so no parser here
    beyond reading it as it is."""
    kind = column["type"]
    notes = {
        INTEGER: "整数", AMOUNT: "金额，单位元，最多两位小数", DATE_T: "日期，写成 YYYY-MM-DD（如 2026-03-05）",
        MULTI: "可多选，用“、”分隔：" + "、".join(options_of(column)), YESNO: "填写“是”或“否”",
        UNIT: "单位全称（下拉选择）", ID_NUMBER: "18 位身份证号（按文本填写）", PHONE: "手机 11 位或座机",
        CREDIT_CODE: "18 位统一社会信用代码", PLATE: "车牌号，如 浙A12345", ATTACHMENT: "附件请在页面上上传，导入时留空",
        LINK: "写成“问题 12”或“线索 34”", LONG_TEXT: f"文字，不超过 {LONG_MAX} 字", SHORT_TEXT: f"文字，不超过 {SHORT_MAX} 字",
    }
    choices = ()
    excel_kind = "text"
    if kind == CHOICE_T:
        choices, excel_kind = tuple((o, o) for o in options_of(column)), CHOICE
    elif kind == YESNO:
        excel_kind = "boolean"
    elif kind == UNIT:
        choices, excel_kind = tuple((name, name) for name in ctx.unit_labels.values()), CHOICE
    elif kind == DATE_T:
        excel_kind = DATE
    note = notes.get(kind, "")
    if column.get("help"):
        note = f"{note}。{column['help']}" if note else column["help"]
    return Column(column["key"], column["label"], kind=excel_kind, required=bool(column.get("required")),
                  choices=choices, parser=lambda raw: raw, as_text=kind in (ID_NUMBER, PHONE, CREDIT_CODE),
                  width=30 if kind == LONG_TEXT else max(12, min(30, len(column["label"]) * 2 + 4)), note=note,
                  example=example_value(column, ctx))


EXAMPLES = {SHORT_TEXT: "示例文字", LONG_TEXT: "示例：情况说明", INTEGER: 3, AMOUNT: "1200.50", DATE_T: "2026-03-05",
            ID_NUMBER: "11010519491231002X", PHONE: "13900000000", CREDIT_CODE: "91350100M000100Y43",
            PLATE: "浙A12345", LINK: "问题 12", ATTACHMENT: ""}


def example_value(column: dict, ctx: Context) -> Any:
    kind = column["type"]
    if kind in (CHOICE_T, MULTI):
        return (options_of(column) or [""])[0]
    if kind == YESNO:
        return "否"
    if kind == UNIT:
        return next(iter(ctx.unit_labels.values()), "")
    return EXAMPLES.get(kind, "")


# ---- guessing a type from an Excel header word ------------------------------------------------------------

GUESSES = [
    (("身份证", "证件号", "公民身份号码"), ID_NUMBER), (("信用代码",), CREDIT_CODE), (("电话", "手机", "联系方式"), PHONE),
    (("车牌", "号牌"), PLATE), (("金额", "资金", "（元）", "(元)", "万元"), AMOUNT), (("日期", "时间"), DATE_T),
    (("是否",), YESNO), (("单位", "部门"), UNIT), (("人数", "数量", "次数", "户数", "件数"), INTEGER),
    (("附件", "照片", "材料"), ATTACHMENT), (("问题编号", "线索编号", "关联"), LINK),
    (("情况", "说明", "描述", "内容", "摘要", "备注", "措施", "结果"), LONG_TEXT),
]


def guess_type(header: str) -> str:
    for words, kind in GUESSES:
        if any(word in header for word in words):
            return kind
    return SHORT_TEXT


def check_columns(columns: list[dict]) -> dict[str, str]:
    """Errors of a column list as written by the office (per `columns.<i>.<field>`)."""
    errors = {}
    seen_keys, seen_labels = set(), set()
    if not [c for c in columns if not c.get("hidden")]:
        errors["columns"] = "台账至少要有一个显示的列。"
    for index, column in enumerate(columns):
        where = f"第{index + 1}列"
        key, label = column.get("key") or "", (column.get("label") or "").strip()
        if not KEY_PATTERN.match(key):
            errors[f"columns.{index}.key"] = f"{where}的标识“{key}”应以小写字母开头，只含小写字母、数字和下划线（不超过 40 个字符）。"
        elif key in seen_keys:
            errors[f"columns.{index}.key"] = f"{where}的标识“{key}”与前面的列重复。"
        if not label:
            errors[f"columns.{index}.label"] = f"请填写{where}的列名。"
        elif label in seen_labels:
            errors[f"columns.{index}.label"] = f"{where}的列名“{label}”与前面的列重复。"
        if column.get("type") not in TYPE_LABELS:
            errors[f"columns.{index}.type"] = f"{where}“{label}”的类型“{column.get('type')}”无效。"
        elif column["type"] in (CHOICE_T, MULTI):
            options = options_of(column)
            if not options:
                errors[f"columns.{index}.options"] = f"{where}“{label}”是选择题，请填写选项。"
            elif len(set(options)) != len(options):
                errors[f"columns.{index}.options"] = f"{where}“{label}”的选项有重复。"
        seen_keys.add(key)
        seen_labels.add(label)
    return errors


def normalise_column(raw: dict) -> dict:
    """A column as stored: only the known fields, trimmed."""
    options = raw.get("options") or []
    if isinstance(options, str):
        options = [o.strip() for o in re.split(r"[、,，;；\n]+", options) if o.strip()]
    return {
        "key": (raw.get("key") or "").strip(), "label": (raw.get("label") or "").strip(), "type": raw.get("type") or "",
        "required": bool(raw.get("required")), "help": (raw.get("help") or "").strip(),
        "options": [str(o).strip() for o in options], "hidden": bool(raw.get("hidden")),
    }
