"""The problem import's columns (the same as the ledger export's, so an exported file imports back) and the
cell parsers only problems need: 问题编号, 整改节点, and units, check items and aspects resolved by name within
what the importer may choose from (`Choices`, built once per import: one query per lookup column)."""

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl
from qicha.core.scope import can_act_on, units_in_scope
from qicha.core.spreadsheet import FORMULA_PREFIXES
from qicha.orgs.models import Unit

from ..models import RectificationType, Source

# ---------------------------------------------------------------------------------------------------------------
# 问题编号: shared with the ledger export, which writes `format_problem_no(problem.pk)`.

PROBLEM_NO = re.compile(r"^P0*(\d{1,12})$", re.IGNORECASE)


def parse_problem_no(text: Any) -> int | None:
    """'P000123', 'p123', 'Ｐ０００１２３' → 123; blank → None; anything else → CellError."""
    value = xl.parse_text(text).replace(" ", "")
    if not value:
        return None
    match = PROBLEM_NO.match(value)
    if not match or int(match[1]) == 0:
        raise xl.CellError(f"问题编号“{value}”格式不对，应为 P 加数字（如 P000123）；新问题请留空")
    return int(match[1])


# ---------------------------------------------------------------------------------------------------------------
# Cell parsers specific to problems

def parse_plain_text(value: Any) -> str:
    """Text as the export wrote it: the apostrophe `safe_cell` put before a formula-like text is taken off again."""
    text = xl.parse_text(value)
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def parse_milestones(value: Any) -> list[dict]:
    """整改节点, as on the problem form: one per line (or separated by ；), “2026-04-30 完成排查”, “√” for done."""
    text = xl.parse_text(value)
    if isinstance(value, str):
        text = "\n".join(xl.fold(line) for line in value.splitlines())
    result, wrong = [], []
    for part in re.split(r"[\n；;]+", text):
        part = part.strip()
        if not part:
            continue
        done = part.startswith(("√", "✓"))
        part = part.lstrip("√✓").strip()
        match = re.match(r"^(\S+)\s*(.*)$", part)
        due_text, title = (match[1], match[2]) if match else (part, "")
        try:
            due = xl.parse_date(due_text)
        except xl.CellError:
            due = None
        if due is None:
            wrong.append(part)
            continue
        result.append({"due_date": due, "title": title.strip(), "done": done})
    if wrong:
        raise xl.CellError(f"节点“{wrong[0]}”应写成“完成时限 节点内容”，如“2026-04-30 完成问题核实”，多个节点分行填写")
    return result


def name_key(text: Any) -> str:
    return _name_key(str(text or ""))


@lru_cache(maxsize=4096)
def _name_key(text: str) -> str:
    # Cached: a unit or check item is named the same way down thousands of rows.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _lookup_parser(lookup: dict[str, Any], message: Callable[[str], str]):
    def parse(raw: Any):
        text = xl.parse_text(raw)
        if not text:
            return None
        try:
            return lookup[name_key(text)]
        except KeyError:
            raise xl.CellError(message(text)) from None

    return parse


# ---------------------------------------------------------------------------------------------------------------
# What the importer may choose from: built once per import, from the importer's scope.

@dataclass
class Choices:
    campaign: Campaign
    units: list[Unit]
    check_items: list
    aspects: list

    @classmethod
    def for_actor(cls, actor, campaign: Campaign) -> "Choices":
        units = [unit for unit in units_in_scope(actor, "problem.create").filter(is_active=True).order_by("path")
                 if can_act_on(actor, "problem.create", unit)]
        return cls(campaign, units, list(campaign.check_items.all()), list(campaign.feedback_aspects.all()))

    def columns(self) -> tuple[xl.Column, ...]:
        unit_lookup: dict[str, Any] = {}
        for unit in self.units:
            unit_lookup.setdefault(name_key(unit.name), unit.pk)
        for unit in self.units:  # a short name only where it names one unit
            if unit.short_name and name_key(unit.short_name) not in unit_lookup:
                unit_lookup[name_key(unit.short_name)] = unit.pk
        item_lookup: dict[str, Any] = {}
        for item in self.check_items:
            for name in (str(item), item.label, item.title, str(item.ordinal), f"{item.label} {item.title}"):
                item_lookup.setdefault(name_key(name), item.pk)
        aspect_lookup: dict[str, Any] = {}
        for aspect in self.aspects:
            for name in (aspect_label(aspect), aspect.title, str(aspect.ordinal)):
                aspect_lookup.setdefault(name_key(name), aspect.pk)
        deadline, first_step, second_step = example_dates()
        first_unit = self.units[0].name if self.units else ""
        first_item = str(self.check_items[0]) if self.check_items else ""
        return (
            xl.Column("problem_no", "问题编号", parser=parse_problem_no, as_text=True, width=11, aliases=("编号",),
                      note="新问题留空。系统导出的台账中已有编号（如 P000123）的行不会被改写：与系统一致的跳过，"
                           "不一致的也跳过并提示（修改请在系统中进行）"),
            xl.Column("unit", "责任单位", xl.CHOICE, required=True, width=20,
                      choices=tuple((unit.name, unit.name) for unit in self.units),
                      parser=_lookup_parser(unit_lookup, lambda t: f"“{t}”不是您可以登记问题的单位，请从下拉列表中选择"),
                      note="从下拉列表选择（只列出您可以登记问题的单位）", example=first_unit),
            xl.Column("check_item", "查摆事项", xl.CHOICE, width=18,
                      choices=tuple((str(item), str(item)) for item in self.check_items),
                      parser=_lookup_parser(item_lookup, lambda t: f"“{t}”不是本专项行动的查摆事项，请从下拉列表中选择"),
                      note="从下拉列表选择（其他表格里只写了序号，如 3，也能识别）；不对应具体事项的留空", example=first_item),
            xl.Column("source", "问题来源", xl.CHOICE, required=True, choices=tuple(Source.choices), width=13,
                      example=Source.SELF_INSPECTION.label),
            xl.Column("aspect", "反馈方面", xl.CHOICE, width=18,
                      choices=tuple((aspect_label(a), aspect_label(a)) for a in self.aspects),
                      parser=_lookup_parser(aspect_lookup, lambda t: f"“{t}”不是本专项行动的督导组反馈方面"),
                      note="问题来源为“督导组反馈”的必填，从下拉列表选择；其他来源留空"),
            xl.Column("description", "问题描述", required=True, width=40, parser=parse_plain_text,
                      example="对基层民政所的督促指导频次不足，部分乡镇未按期上报工作台账。"),
            xl.Column("category", "问题类别", max_length=60, width=12, parser=parse_plain_text, example="工作落实"),
            xl.Column("rectification_type", "整改类型", xl.CHOICE, required=True, width=11,
                      choices=tuple(RectificationType.choices), example=RectificationType.DEADLINE.label,
                      note="从下拉列表选择：立即整改、限期整改、长期整改；限期整改、长期整改须填写“整改节点”"),
            xl.Column("measures", "整改措施", required=True, width=40, parser=parse_plain_text,
                      example="制定督导工作计划，每季度实地督导不少于1次；建立台账报送提醒机制。"),
            xl.Column("deadline", "整改时限", xl.DATE, required=True, width=12, example=f"{deadline:%Y-%m-%d}",
                      note=f"日期，写成 YYYY-MM-DD（如 {deadline:%Y-%m-%d}），也可用日期格式的单元格；"
                           "早于今天的导入后即为逾期"),
            xl.Column("milestones", "整改节点", width=30, parser=parse_milestones,
                      note=f"每行一个节点：完成时限 节点内容（如“{first_step:%Y-%m-%d} 完成问题核实”），"
                           "已完成的在行首加“√”；节点时限不能晚于整改时限。限期整改、长期整改必填",
                      example=f"{first_step:%Y-%m-%d} 完成问题核实\n{second_step:%Y-%m-%d} 建立督导计划"),
            xl.Column("responsible_leader", "责任领导", max_length=50, width=10, parser=parse_plain_text,
                      example="李某某"),
            xl.Column("responsible_department", "责任部门", max_length=100, width=14, parser=parse_plain_text,
                      example="办公室"),
            xl.Column("responsible_person", "责任人", max_length=50, width=10, parser=parse_plain_text,
                      example="王某某",
                      note="选填；填写任何人的姓名。与责任单位（含下属单位）在岗人员同名（或填其用户名）的，"
                           "问题同时关联到该账号，待办发给他"),
            xl.Column("responsible_person_post", "责任人职务", max_length=50, width=10, parser=parse_plain_text,
                      example="科长", note="选填"),
            xl.Column("responsible_person_phone", "责任人电话", max_length=30, width=13, parser=parse_plain_text,
                      note="选填；如 13900000000 或 0571-12345678"),
        )


def aspect_label(aspect) -> str:
    return f"{aspect.ordinal}. {aspect.title}"


def example_dates(today: date | None = None) -> tuple[date, date, date]:
    """The template's example 整改时限 and two 整改节点, in the future whenever the template is downloaded (an example
    that is already overdue teaches the wrong thing): month ends about three and one months on, a node mid-month."""
    today = today or timezone.localdate()

    def month_end(day: date) -> date:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])

    deadline = month_end(today + timedelta(days=90))
    return deadline, month_end(today + timedelta(days=30)), deadline.replace(day=15)


