"""Problem ledger import (问题整改台账导入): an Excel ledger becomes problems, all rows or none.

The file is read by `core.excel_import` (generic: .xlsx and old .xls, title rows, two-level headers, full-width
digits, dates as text or serials). This module knows the problem columns — the same as the ledger export, so an
exported file imports back — resolves units, check items, aspects and people within the importer's scope, checks
every row with the registration service's own validation, and on confirm registers each new problem through
`services.register_problem` inside ONE transaction.

What happens to each row:

* 问题编号 blank → a new problem. If the campaign already has a problem with the same 责任单位, 查摆事项, 问题描述
  and 整改时限 it is “已导入，将跳过”: importing the same file again adds nothing.
* 问题编号 names a problem in the importer's scope (format `P000123`, see `format_problem_no`) → never written.
  Unchanged: “已存在，将跳过”. A plan field differs: “与系统中不一致，将跳过（请在系统中修改）” with the columns
  that differ — an import never silently overwrites a plan (edits go through the problem page, with its version
  check and history). Read-only export columns (序号, 状态, 最新进展, 销号情况) are ignored.
* 问题编号 unknown, malformed or outside the importer's scope → an error (existence is not disclosed).

Any error anywhere blocks the confirm; the preview lists each one as 工作表 / 行 / 列 / message.
"""

import calendar
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qicha.campaigns import queries as campaign_queries
from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on, has_permission, units_in_scope
from qicha.core.spreadsheet import FORMULA_PREFIXES
from qicha.orgs.models import Unit, User

from . import queries, services
from .models import Problem, RectificationType, Source
from .numbers import format_problem_no  # also re-exported: callers use `importing.format_problem_no`
from .services.registration import validate_plan

KIND = "problems"
SHEET_TITLE = "问题整改台账"
TEMPLATE_NAME = "问题整改台账导入模板.xlsx"
ERROR_LIMIT = 500            # errors kept in the preview result (the count is always exact)
SAMPLE_ROWS = 100            # rows shown on the preview page
PROGRESS_EVERY = 2000

STATUS_OK, STATUS_EXISTING, STATUS_CHANGED, STATUS_ERROR = "ok", "existing", "changed", "error"
STATUS_LABELS = {STATUS_OK: "可导入", STATUS_EXISTING: "已导入，将跳过", STATUS_CHANGED: "与系统中不一致，将跳过",
                 STATUS_ERROR: "有错误"}

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


def _key(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or ""))).lower()


def _lookup_parser(lookup: dict[str, Any], message: Callable[[str], str]):
    def parse(raw: Any):
        text = xl.parse_text(raw)
        if not text:
            return None
        try:
            return lookup[_key(text)]
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
            unit_lookup.setdefault(_key(unit.name), unit.pk)
        for unit in self.units:  # a short name only where it names one unit
            if unit.short_name and _key(unit.short_name) not in unit_lookup:
                unit_lookup[_key(unit.short_name)] = unit.pk
        item_lookup: dict[str, Any] = {}
        for item in self.check_items:
            for name in (str(item), item.label, item.title, str(item.ordinal), f"{item.label} {item.title}"):
                item_lookup.setdefault(_key(name), item.pk)
        aspect_lookup: dict[str, Any] = {}
        for aspect in self.aspects:
            for name in (aspect_label(aspect), aspect.title, str(aspect.ordinal)):
                aspect_lookup.setdefault(_key(name), aspect.pk)
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
            xl.Column("responsible_person", "责任人", width=10, parser=parse_plain_text,
                      note="选填；填写责任单位（含下属单位）在岗人员的姓名（同名的请填用户名）"),
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


def notes(deadline: date) -> tuple[str, ...]:
    """The 填写说明, with the dates of the template's own example."""
    return (
        f"在“{SHEET_TITLE}”工作表中，从表头下一行起每行填写一个问题；表头上方可以有标题行、单位和日期行，"
        "但不要修改或删除表头本身。",
        "带 * 的列必须填写；其余可以留空。问题编号一列新问题留空。",
        "责任单位只能选择您有权登记问题的单位；查摆事项、问题来源、反馈方面、整改类型请从下拉列表中选择。",
        f"日期可写成 {deadline:%Y-%m-%d}、{deadline.year}/{deadline.month}/{deadline.day}、"
        f"{deadline.year}年{deadline.month}月{deadline.day}日 或 {deadline:%Y%m%d}，也可使用日期格式的单元格；"
        "全角数字和空格会自动转换。",
        "限期整改须倒排时间表、长期整改须有阶段性计划：在“整改节点”列每行写一个节点（完成时限 节点内容）。",
        "系统导出的问题整改台账可以直接导入：已有问题编号的行不会被改写，序号、状态、最新进展、销号情况等列不读取。",
        "同一责任单位、查摆事项、问题描述和整改时限都相同的问题视为已导入，会跳过，不会重复登记。",
        "系统只读取第一个可见的工作表，隐藏的工作表会被忽略；全部为空的行会被跳过。支持 .xlsx 和 .xls 文件。",
        "导入前系统会逐行检查并列出错误（工作表、行号、列名），只要有一处错误就不会导入任何问题。",
    )


# ---------------------------------------------------------------------------------------------------------------
# Entry points

def check_allowed(actor) -> None:
    if not has_permission(actor, "problem.create"):
        raise NotFound()


def campaign_for(actor, campaign_id=None) -> Campaign:
    if campaign_id:
        campaign = campaign_queries.get_campaign(actor, campaign_id)
    else:
        campaign = campaign_queries.current_campaign(actor)
        if campaign is None:
            raise Invalid("当前没有进行中的专项行动，不能导入问题。")
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再导入问题。")
    return campaign


def build_template(actor, campaign: Campaign) -> bytes:
    check_allowed(actor)
    columns = Choices.for_actor(actor, campaign).columns()
    example = {column.key: column.example for column in columns}
    return xl.build_template(columns, sheet_title=SHEET_TITLE, notes=notes(example_dates()[0]),
                              examples=[example])


def check_file(actor, campaign: Campaign, data: bytes, file_name: str) -> None:
    """The quick checks made before a job is queued: type, size, header, at least one row."""
    check_allowed(actor)
    xl.check_upload(data, file_name, allow_xls=True)
    xl.check_header(data, file_name, Choices.for_actor(actor, campaign).columns())


def stash_upload(actor, campaign: Campaign, data: bytes, file_name: str) -> str:
    check_file(actor, campaign, data, file_name)
    return xl.stash(actor, data, file_name, kind=KIND, params={"campaign": campaign.pk})


# ---------------------------------------------------------------------------------------------------------------
# Evaluating a file

@dataclass
class RowResult:
    number: int
    status: str
    values: dict
    note: str = ""
    plan: dict | None = None          # register_problem arguments, for "ok" rows


@dataclass
class Evaluation:
    file_name: str
    sha256: str
    sheet: str
    rows: list[RowResult] = field(default_factory=list)
    errors: list[xl.RowError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def can_confirm(self) -> bool:
        return not self.errors and self.count(STATUS_OK) > 0


SERVICE_KEYS = {
    "description": "description", "source": "source", "rectification_type": "rectification_type",
    "measures": "measures", "deadline": "deadline", "milestones": "milestones", "check_item": "check_item",
    "aspect": "aspect", "responsible_person": "responsible_person", "unit": "unit",
}
COMPARED = ("unit", "check_item", "source", "aspect", "description", "category", "rectification_type", "measures",
            "deadline", "responsible_leader", "responsible_department", "responsible_person")


def _people(units: list[Unit]) -> dict[int, list[User]]:
    """Active users by unit id, for the 责任人 column."""
    by_unit: dict[int, list[User]] = {}
    for person in User.objects.filter(is_active=True, unit__in=units).select_related("unit"):
        by_unit.setdefault(person.unit_id, []).append(person)
    return by_unit


def _find_person(name: str, unit: Unit, units_by_id: dict[int, Unit], people: dict[int, list[User]]):
    """(user, None) or (None, Chinese message): by full name, or by user name when names repeat."""
    candidates = [person for unit_id, persons in people.items()
                  if units_by_id[unit_id].path.startswith(unit.path) for person in persons]
    by_username = [p for p in candidates if p.username == name]
    if by_username:
        return by_username[0], None
    matches = [p for p in candidates if _key(p.full_name) == _key(name)]
    if len(matches) == 1:
        return matches[0], None
    if len(matches) > 1:
        return None, f"“{unit.name}”有 {len(matches)} 名叫“{name}”的人员，请改填其用户名"
    return None, f"“{name}”不是“{unit.name}”（含下属单位）的在岗人员"


def _duplicate_key(unit_id, check_item_id, description: str, deadline) -> tuple:
    return unit_id, check_item_id, xl.fold(description or ""), deadline


def evaluate(actor, campaign: Campaign, data: bytes, file_name: str,
             progress: Callable[[int, str], None] | None = None, *, share: tuple[int, int] = (0, 90)) -> Evaluation:
    """Read and check every row; writes nothing. File-level problems raise Invalid; row problems are collected.
    `progress(percent, message)` is called along the way, the percentages spread over `share`."""
    check_allowed(actor)
    start, end = share
    report = progress or (lambda percent, message: None)
    choices = Choices.for_actor(actor, campaign)
    columns = choices.columns()
    xl.check_upload(data, file_name, allow_xls=True)
    report(start, "正在读取文件…")
    half = start + (end - start) // 2
    max_rows = settings.IMPORT_MAX_ROWS
    sheet = xl.read_sheet(data, file_name, columns, max_rows=max_rows, progress_every=PROGRESS_EVERY,
                          progress=lambda n: report(start + (half - start) * n // max_rows, f"已读取 {n:,} 行"))
    if not sheet.rows:
        raise Invalid(f"工作表“{sheet.sheet}”的表头下没有数据行。")
    result = Evaluation(file_name, hashlib.sha256(data).hexdigest(), sheet.sheet)
    units_by_id = {unit.pk: unit for unit in choices.units}
    items_by_id = {item.pk: item for item in choices.check_items}
    aspects_by_id = {aspect.pk: aspect for aspect in choices.aspects}
    people = _people(choices.units)

    numbers = {row.values.get("problem_no") for row in sheet.rows} - {None}
    existing_problems = {}
    if numbers:
        visible = queries.visible_problems(actor, "problem.create").filter(campaign=campaign)
        for chunk_start in range(0, len(numbers), 500):
            chunk = sorted(numbers)[chunk_start:chunk_start + 500]
            for problem in visible.filter(pk__in=chunk).select_related("unit", "responsible_person"):
                existing_problems[problem.pk] = problem
    known = set()
    for unit_id, item_id, description, deadline in (
            Problem.objects.filter(campaign=campaign, unit__in=units_by_id)
            .values_list("unit_id", "check_item_id", "description", "deadline").iterator(chunk_size=5000)):
        known.add(_duplicate_key(unit_id, item_id, description, deadline))

    today = timezone.localdate()
    first_number: dict[int, int] = {}
    first_key: dict[tuple, int] = {}
    total = len(sheet.rows)
    for position, row in enumerate(sheet.rows, start=1):
        if position % PROGRESS_EVERY == 0:
            report(half + (end - half) * position // total, f"已检查 {position:,} / {total:,} 行")
        values = row.values
        number = values.get("problem_no")
        if number is not None:
            result.rows.append(_existing_row(sheet, row, number, existing_problems, first_number, choices))
            continue
        unit = units_by_id.get(values.get("unit"))
        check_item = items_by_id.get(values.get("check_item"))
        # An unresolved unit is shown as typed, so the preview row says which one it was.
        values["unit_name"] = unit.name if unit else row.rejected.get("unit", "")
        values["deadline_text"] = row.rejected.get("deadline", "")
        person = None
        if unit is not None and values.get("responsible_person"):
            person, message = _find_person(values["responsible_person"], unit, units_by_id, people)
            if message:
                sheet.error_at(row, "responsible_person", message)
        cell_errors = {error.column for error in row.errors}
        duplicate = None
        if unit is not None and values.get("description") and isinstance(values.get("deadline"), date) \
                and not (values.get("check_item") is None and sheet.column_name("check_item") in cell_errors):
            duplicate = _duplicate_key(unit.pk, check_item.pk if check_item else None, values["description"],
                                       values["deadline"])
        if duplicate is not None and duplicate in known:
            row.errors.clear()  # skipped: nothing from this row is written, so nothing in it can be wrong
            result.rows.append(RowResult(row.number, STATUS_EXISTING, values, STATUS_LABELS[STATUS_EXISTING]))
            continue
        if duplicate is not None and duplicate in first_key:
            sheet.error_at(row, None, f"与第{first_key[duplicate]}行是同一问题（责任单位、查摆事项、问题描述、整改时限均相同）")
        elif duplicate is not None:
            first_key[duplicate] = row.number
        plan = None
        if unit is not None:
            plan = {
                "unit": unit, "check_item": check_item, "source": values.get("source"),
                "aspect": aspects_by_id.get(values.get("aspect")), "description": values.get("description") or "",
                "category": values.get("category") or "", "rectification_type": values.get("rectification_type"),
                "measures": values.get("measures") or "", "deadline": values.get("deadline"),
                "responsible_leader": values.get("responsible_leader") or "",
                "responsible_department": values.get("responsible_department") or "",
                "responsible_person": person,
            }
            milestones = values.get("milestones") or []
            try:
                validate_plan(campaign, plan, milestones, new=True)
            except Invalid as exc:
                for key, message in (exc.details or {"": exc.message}).items():
                    column = SERVICE_KEYS.get(key.split(".")[0])
                    if column and sheet.column_name(column) in cell_errors:
                        continue  # the reader already reported this cell
                    message = message.rstrip("。")
                    if column == "milestones" and "milestones" not in sheet.columns:
                        message += "（请增加“整改节点”列，每行一个节点：完成时限 节点内容）"
                    sheet.error_at(row, column, message)
            plan["milestones"] = milestones
        status = STATUS_ERROR if row.errors else STATUS_OK
        note = ""
        if status == STATUS_OK and values["deadline"] < today:
            # Allowed (a ledger kept before qicha holds problems already late), but said before the user confirms.
            note = f"整改时限 {values['deadline']:%Y-%m-%d} 已过，导入后即为逾期"
        result.rows.append(RowResult(row.number, status, values, note, plan if status == STATUS_OK else None))
    result.errors = sheet.errors
    report(end, f"已检查 {total:,} 行")
    return result


def _existing_row(sheet: xl.SheetData, row: xl.Row, number: int, problems: dict, first_number: dict,
                  choices: Choices) -> RowResult:
    values = row.values
    shown = format_problem_no(number)
    problem = problems.get(number)
    values["unit_name"] = problem.unit.name if problem else ""
    if number in first_number:
        row.errors.clear()
        sheet.error_at(row, "problem_no", f"问题编号“{shown}”与第{first_number[number]}行重复")
        return RowResult(row.number, STATUS_ERROR, values)
    first_number[number] = row.number
    if problem is None:
        row.errors.clear()
        sheet.error_at(row, "problem_no", f"问题编号“{shown}”不存在或不在您的管理范围内；新问题请将问题编号留空")
        return RowResult(row.number, STATUS_ERROR, values)
    failed = {error.column for error in row.errors}
    row.errors.clear()  # never written: a cell that does not read back is reported as a difference, not an error
    differs = []
    for key in COMPARED:
        if key not in sheet.columns:
            continue
        column = sheet.specs[key]
        if sheet.column_name(key) in failed or not _same(problem, key, values.get(key)):
            differs.append(column.header)
    if differs:
        note = f"{STATUS_LABELS[STATUS_CHANGED]}（请在系统中修改）：{'、'.join(differs)}与问题 {shown} 不同"
        return RowResult(row.number, STATUS_CHANGED, values, note)
    return RowResult(row.number, STATUS_EXISTING, values, "已存在，将跳过")


def _same(problem: Problem, key: str, value) -> bool:
    """Whether the file's (parsed) value is what the problem's plan says."""
    if key in ("unit", "check_item", "aspect"):
        return getattr(problem, f"{key}_id") == value
    if key == "responsible_person":
        person = problem.responsible_person
        if person is None or not value:
            return person is None and not value
        return _key(value) in (_key(person.full_name), _key(person.username))
    current = getattr(problem, key)
    if isinstance(current, str):
        return xl.fold(current) == xl.fold(value or "")
    return current == value


# ---------------------------------------------------------------------------------------------------------------
# Preview and confirm (run as jobs: see job_handlers.py)

def preview_result(evaluation: Evaluation) -> dict:
    """The preview as JSON (the job's result; the API's `result`)."""
    sample = []
    for row in evaluation.rows[:SAMPLE_ROWS]:
        values = row.values
        sample.append({
            "row": row.number, "status": row.status, "status_label": STATUS_LABELS[row.status], "note": row.note,
            "problem_no": format_problem_no(values["problem_no"]) if values.get("problem_no") else "",
            "unit": values.get("unit_name", ""),
            "description": (values.get("description") or "")[:80],
            "rectification_type": RectificationType(values["rectification_type"]).label
            if values.get("rectification_type") in RectificationType.values else "",
            "deadline": values["deadline"].isoformat() if isinstance(values.get("deadline"), date)
            else values.get("deadline_text", ""),
        })
    notices = [{"row": row.number, "message": row.note} for row in evaluation.rows if row.status == STATUS_CHANGED]
    past_due = [{"row": row.number, "message": row.note} for row in evaluation.rows
                if row.status == STATUS_OK and row.note]
    ok, existing, changed = (evaluation.count(s) for s in (STATUS_OK, STATUS_EXISTING, STATUS_CHANGED))
    errors = len(evaluation.errors)
    if errors:
        message = f"共 {len(evaluation.rows):,} 行，发现 {errors:,} 处错误，须改正后重新上传"
    else:
        message = f"共 {len(evaluation.rows):,} 行：可导入 {ok:,} 条，跳过 {existing + changed:,} 条"
    return {
        "file_name": evaluation.file_name, "sha256": evaluation.sha256, "sheet": evaluation.sheet,
        "rows_total": len(evaluation.rows), "rows_ok": ok, "rows_existing": existing, "rows_changed": changed,
        "errors_total": errors, "errors": [error.as_dict() for error in evaluation.errors[:ERROR_LIMIT]],
        "notices": notices[:ERROR_LIMIT], "past_due_total": len(past_due), "past_due": past_due[:ERROR_LIMIT],
        "sample": sample, "can_confirm": evaluation.can_confirm,
        "message": message,
    }


def run_preview(actor, params: dict, progress=None) -> dict:
    stashed = xl.load_stashed(actor, params.get("token", ""), kind=KIND)
    campaign = campaign_for(actor, params.get("campaign"))
    evaluation = evaluate(actor, campaign, stashed.read(), stashed.file_name, progress, share=(0, 95))
    return preview_result(evaluation)


def run_confirm(actor, params: dict, progress=None) -> dict:
    """Re-read and re-check the stashed file; only if every row is good, register all new problems in ONE
    transaction (all or none) and record one import event. The stash is discarded afterwards."""
    report = progress or (lambda percent, message: None)
    token = params.get("token", "")
    stashed = xl.load_stashed(actor, token, kind=KIND)
    campaign = campaign_for(actor, params.get("campaign"))
    evaluation = evaluate(actor, campaign, stashed.read(), stashed.file_name, report, share=(0, 40))
    if evaluation.errors:
        raise Invalid(f"导入文件中有 {len(evaluation.errors):,} 处错误，未导入任何问题。请重新上传并预览。")
    rows = [row for row in evaluation.rows if row.status == STATUS_OK]
    skipped = len(evaluation.rows) - len(rows)
    report(40, f"正在写入 {len(rows):,} 个问题（全部成功或全部不写入）…")
    shown = {entry.number for entry in evaluation.rows[:SAMPLE_ROWS]}
    numbers = {}  # Excel row → the new problem's number, for the rows the preview page lists
    with transaction.atomic():
        for position, row in enumerate(rows, start=1):
            plan = dict(row.plan)
            unit, milestones = plan.pop("unit"), plan.pop("milestones")
            problem = services.register_problem(actor, campaign=campaign, unit=unit, milestones=milestones, **plan)
            if row.number in shown:
                numbers[str(row.number)] = format_problem_no(problem.pk)
            if position % PROGRESS_EVERY == 0:
                report(40 + 59 * position // len(rows), f"已写入 {position:,} / {len(rows):,} 个问题")
        record_event(EventType.IMPORT, actor=actor, object_type="problem", object_repr=stashed.file_name[:300],
                     action=KIND, after={"file_name": stashed.file_name, "file_sha256": evaluation.sha256,
                                         "sheet": evaluation.sheet, "rows": len(evaluation.rows),
                                         "created": len(rows), "skipped": skipped},
                     detail=f"导入问题 {len(rows)} 个，跳过 {skipped} 行")
    xl.discard(token)
    return {"created": len(rows), "skipped": skipped, "file_name": stashed.file_name, "numbers": numbers,
            "message": f"已导入 {len(rows):,} 个问题，跳过 {skipped:,} 行（已导入或已存在）"}


# ---------------------------------------------------------------------------------------------------------------
# Starting the jobs (pages and API)

PREVIEW_JOB, CONFIRM_JOB = "problems.import_preview", "problems.import_confirm"


def start_preview(actor, campaign: Campaign, data: bytes, file_name: str):
    """Quick checks now (wrong type, no header: Invalid), then the row-by-row check as a job."""
    from qicha.jobs.services import start_job

    token = stash_upload(actor, campaign, data, file_name)
    return start_job(actor, PREVIEW_JOB, {"token": token, "campaign": campaign.pk, "file_name": file_name},
                     label=f"导入问题整改台账：检查“{file_name[:80]}”")


def preview_job(actor, job_id):
    """The actor's own finished-or-not preview job (anyone else's, or another kind: NotFound)."""
    from qicha.jobs.queries import own_job

    job = own_job(actor, job_id)
    if job.kind != PREVIEW_JOB:
        raise NotFound()
    return job


def _confirm_jobs(actor, preview):
    """The confirm jobs started from this preview: a confirm job names its preview in params["preview_job"]."""
    from qicha.jobs.queries import own_jobs

    return own_jobs(actor).filter(kind=CONFIRM_JOB, params__preview_job=preview.pk).order_by("-created_at", "-id")


def confirm_of(actor, preview):
    """The confirm job that took this preview's file (queued, running or done), or None. A failed confirm wrote
    nothing, so it does not count: the preview may be confirmed again while its upload is still stashed."""
    return _confirm_jobs(actor, preview).exclude(status="failed").first()


def confirmed_message(confirm) -> str:
    """"已导入：新增 5 个问题（2026-11-26 10:15）", or that the file is still being written."""
    if confirm.status == "done":
        when = f"（{timezone.localtime(confirm.finished_at):%Y-%m-%d %H:%M}）" if confirm.finished_at else ""
        return f"已导入：新增 {confirm.result.get('created', 0):,} 个问题{when}"
    return "正在导入：该文件已确认导入，正在写入问题"


def preview_state(actor, job) -> dict:
    """What the preview page may still offer: once confirmed it is history (the confirm job and its outcome);
    otherwise it can be confirmed only while the upload is still stashed (not cancelled, not expired)."""
    confirm = confirm_of(actor, job)
    stashed = False
    if confirm is None:
        try:
            xl.load_stashed(actor, job.params.get("token", ""), kind=KIND)
            stashed = True
        except NotFound:
            pass
    return {
        "confirm": confirm, "imported": confirm is not None and confirm.status == "done",
        # Excel row → the number its problem got, for the rows the page lists (JSON keeps keys as text).
        "numbers": {int(row): number for row, number in ((confirm.result or {}) if confirm else {}).get(
            "numbers", {}).items()},
        "confirmed_message": confirmed_message(confirm) if confirm else "",
        "failed": None if confirm else _confirm_jobs(actor, job).filter(status="failed").first(),
        "expired": confirm is None and not stashed,
        "can_confirm": bool(job.status == "done" and job.result.get("can_confirm") and stashed),
    }


def start_confirm(actor, job):
    """Confirm a finished preview without errors: the same stashed file is checked again and written, as a job.
    A preview is confirmed once: a second confirm (double click, the page and the API) is a Conflict naming the
    first, never a second job."""
    from qicha.jobs.models import Job
    from qicha.jobs.services import start_job

    check_allowed(actor)
    if job.status != "done":
        raise Invalid("文件检查尚未完成或未通过，不能确认导入。")
    if not job.result.get("can_confirm"):
        raise Invalid("预览中有错误或没有可导入的问题，不能确认导入。请改正后重新上传。")
    with transaction.atomic():
        # The preview's row is the lock two confirms of it queue on (SQLite transactions are IMMEDIATE already).
        Job.objects.select_for_update().filter(pk=job.pk).first()
        confirm = confirm_of(actor, job)
        if confirm is not None:
            raise Conflict(f"{confirmed_message(confirm)}。同一文件不能重复导入。")
        try:
            xl.load_stashed(actor, job.params.get("token", ""), kind=KIND)
        except NotFound:
            raise Invalid("上传的文件已过期或已导入，请重新上传。") from None
        return start_job(actor, CONFIRM_JOB, {**job.params, "preview_job": job.pk},
                         label=f"导入问题整改台账：写入“{job.params.get('file_name', '')[:80]}”")


def discard_preview(actor, job) -> None:
    xl.discard(job.params.get("token", ""))
