"""Checking a problem ledger row by row, writing nothing.

What happens to each row:

* 问题编号 blank → a new problem. If the campaign already has a problem with the same 责任单位, 查摆事项, 问题描述
  and 整改时限 it is “已导入，将跳过”: importing the same file again adds nothing.
* 问题编号 names a problem in the importer's scope (format `P000123`, see `format_problem_no`) → never written.
  Unchanged: “已存在，将跳过”. A plan field differs: “与系统中不一致，将跳过（请在系统中修改）” with the columns
  that differ — an import never silently overwrites a plan (edits go through the problem page, with its version
  check and history). Read-only export columns (序号, 状态, 最新进展, 销号情况) are ignored.
* 问题编号 unknown, malformed or outside the importer's scope → an error (existence is not disclosed).

Rows stream from the reader and are checked in chunks: the lookups (units, check items, aspects, people, the
campaign's problems already registered) are loaded once per import, the problems a chunk names by number in one
query per chunk — never a query per row. Each new problem's plan is checked with the registration service's own
rules (`validate_plan`). What is kept is bounded: counts, the first errors and the rows the preview page shows,
unless the caller asks for every row.
"""

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.conf import settings
from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl
from qicha.core.crypto import sm3
from qicha.core.errors import Invalid
from qicha.orgs.models import Unit, User

from .. import queries
from ..models import Problem
from ..numbers import format_problem_no
from ..services.registration import validate_plan
from .access import check_allowed
from .columns import Choices, name_key

ERROR_LIMIT = 500            # errors kept in the preview result (the count is always exact)
SAMPLE_ROWS = 100            # rows shown on the preview page
CHUNK_ROWS = 2000            # rows checked together: one query for the problem numbers they name
PROGRESS_EVERY = 2000

STATUS_OK, STATUS_EXISTING, STATUS_CHANGED, STATUS_ERROR = "ok", "existing", "changed", "error"
STATUS_LABELS = {STATUS_OK: "可导入", STATUS_EXISTING: "已导入，将跳过", STATUS_CHANGED: "与系统中不一致，将跳过",
                 STATUS_ERROR: "有错误"}

SERVICE_KEYS = {
    "description": "description", "source": "source", "rectification_type": "rectification_type",
    "measures": "measures", "deadline": "deadline", "milestones": "milestones", "check_item": "check_item",
    "aspect": "aspect", "responsible_person": "responsible_person", "unit": "unit",
    "responsible_person_name": "responsible_person", "responsible_person_post": "responsible_person_post",
    "responsible_person_phone": "responsible_person_phone", "responsible_leader": "responsible_leader",
    "responsible_department": "responsible_department",
}
COMPARED = ("unit", "check_item", "source", "aspect", "description", "category", "rectification_type", "measures",
            "deadline", "responsible_leader", "responsible_department", "responsible_person", "responsible_person_post")


@dataclass
class RowResult:
    number: int
    status: str
    values: dict
    note: str = ""
    plan: dict | None = None          # register_problem arguments, for "ok" rows
    digest: str = ""                  # the row's SM3 digest (`xl.row_digest`), when asked for


@dataclass
class Evaluation:
    """What checking a file found. `rows` holds every row only when asked for (small files, tests); otherwise the
    first SAMPLE_ROWS, and `errors` the first ERROR_LIMIT — the totals are always exact."""

    file_name: str
    sha256: str
    sm3: str
    sheet: str = ""
    keep_rows: bool = True
    rows: list[RowResult] = field(default_factory=list)
    errors: list[xl.RowError] = field(default_factory=list)
    errors_total: int = 0
    total: int = 0
    counts: Counter = field(default_factory=Counter)
    notices: list[dict] = field(default_factory=list)     # rows that differ from the system (first ERROR_LIMIT)
    past_due: list[dict] = field(default_factory=list)    # good rows already overdue (first ERROR_LIMIT)
    past_due_total: int = 0

    def add(self, result: RowResult, errors: list[xl.RowError]) -> None:
        self.total += 1
        self.counts[result.status] += 1
        if self.keep_rows or len(self.rows) < SAMPLE_ROWS:
            self.rows.append(result)
        self.errors_total += len(errors)
        self.errors.extend(errors[:max(0, ERROR_LIMIT - len(self.errors))])
        if result.status == STATUS_CHANGED and len(self.notices) < ERROR_LIMIT:
            self.notices.append({"row": result.number, "message": result.note})
        if result.status == STATUS_OK and result.note:
            self.past_due_total += 1
            if len(self.past_due) < ERROR_LIMIT:
                self.past_due.append({"row": result.number, "message": result.note})

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def sample(self) -> list[RowResult]:
        return self.rows[:SAMPLE_ROWS]

    @property
    def can_confirm(self) -> bool:
        return not self.errors_total and self.count(STATUS_OK) > 0


def _batched(rows: Iterator[xl.Row], size: int) -> Iterator[tuple[xl.Row, ...]]:
    while chunk := tuple(islice(rows, size)):
        yield chunk


def _duplicate_key(unit_id, check_item_id, description: str, deadline) -> bytes:
    """What makes two rows the same problem, as 16 bytes: a campaign's 100,000 problems fit in a few MB."""
    key = f"{unit_id}|{check_item_id}|{xl.fold(description or '')}|{deadline}"
    return hashlib.blake2b(key.encode(), digest_size=16).digest()


class Checker:
    """Everything one import checks rows against, loaded once (one query per lookup column)."""

    def __init__(self, actor, campaign: Campaign):
        self.actor, self.campaign = actor, campaign
        self.choices = Choices.for_actor(actor, campaign)
        self.columns = self.choices.columns()
        self.units_by_id = {unit.pk: unit for unit in self.choices.units}
        self.items_by_id = {item.pk: item for item in self.choices.check_items}
        self.aspects_by_id = {aspect.pk: aspect for aspect in self.choices.aspects}
        self._people_by_username: dict[str, list[User]] = {}
        self._people_by_name: dict[str, list[User]] = {}
        for person in User.objects.filter(is_active=True, unit__in=self.choices.units).select_related("unit"):
            self._people_by_username.setdefault(person.username, []).append(person)
            self._people_by_name.setdefault(name_key(person.full_name), []).append(person)
        self.known = {
            _duplicate_key(*values) for values in
            Problem.objects.filter(campaign=campaign, unit__in=self.units_by_id)
            .values_list("unit_id", "check_item_id", "description", "deadline").iterator(chunk_size=5000)}
        self.today = timezone.localdate()
        self.first_number: dict[int, int] = {}
        self.first_key: dict[bytes, int] = {}

    def find_person(self, name: str, unit: Unit):
        """The account a 责任人's name matches: (user, what the preview says) — by user name, or by the one full name
        within the unit's subtree; (None, why not) when nobody (or several) match: the name is kept all the same."""
        def within(persons):
            return [p for p in persons if self.units_by_id[p.unit_id].path.startswith(unit.path)]

        by_username = within(self._people_by_username.get(name, ()))
        if by_username:
            return by_username[0], f"已关联账号 {by_username[0].username}"
        matches = within(self._people_by_name.get(name_key(name), ()))
        if len(matches) == 1:
            return matches[0], f"已关联账号 {matches[0].username}"
        if len(matches) > 1:
            return None, f"未关联账号（“{unit.name}”有 {len(matches)} 名同名人员，可改填用户名）"
        return None, "未关联账号"

    def check(self, sheet: xl.Sheet, chunk: tuple[xl.Row, ...]) -> Iterator[tuple[RowResult, xl.Row]]:
        numbers = sorted({row.values.get("problem_no") for row in chunk} - {None})
        existing = {}
        if numbers:
            visible = queries.visible_problems(self.actor, "problem.create").filter(campaign=self.campaign)
            existing = {problem.pk: problem for problem in
                        visible.filter(pk__in=numbers).select_related("unit", "responsible_person")}
        for row in chunk:
            number = row.values.get("problem_no")
            if number is not None:
                yield self._existing_row(sheet, row, number, existing), row
            else:
                yield self._new_row(sheet, row), row

    def _new_row(self, sheet: xl.Sheet, row: xl.Row) -> RowResult:
        values = row.values
        unit = self.units_by_id.get(values.get("unit"))
        check_item = self.items_by_id.get(values.get("check_item"))
        # An unresolved unit is shown as typed, so the preview row says which one it was.
        values["unit_name"] = unit.name if unit else row.rejected.get("unit", "")
        values["deadline_text"] = row.rejected.get("deadline", "")
        person = None
        if unit is not None and values.get("responsible_person"):
            person, values["account_note"] = self.find_person(values["responsible_person"], unit)
        cell_errors = {error.column for error in row.errors}
        duplicate = None
        if unit is not None and values.get("description") and isinstance(values.get("deadline"), date) \
                and not (values.get("check_item") is None and sheet.column_name("check_item") in cell_errors):
            duplicate = _duplicate_key(unit.pk, check_item.pk if check_item else None, values["description"],
                                       values["deadline"])
        if duplicate is not None and duplicate in self.known:
            row.errors.clear()  # skipped: nothing from this row is written, so nothing in it can be wrong
            return RowResult(row.number, STATUS_EXISTING, values, STATUS_LABELS[STATUS_EXISTING])
        if duplicate is not None and duplicate in self.first_key:
            sheet.error_at(row, None, f"与第{self.first_key[duplicate]}行是同一问题（责任单位、查摆事项、问题描述、整改时限均相同）")
        elif duplicate is not None:
            self.first_key[duplicate] = row.number
        plan = None
        if unit is not None:
            plan = {
                "unit": unit, "check_item": check_item, "source": values.get("source"),
                "aspect": self.aspects_by_id.get(values.get("aspect")), "description": values.get("description") or "",
                "category": values.get("category") or "", "rectification_type": values.get("rectification_type"),
                "measures": values.get("measures") or "", "deadline": values.get("deadline"),
                "responsible_leader": values.get("responsible_leader") or "",
                "responsible_department": values.get("responsible_department") or "",
                "responsible_person_name": values.get("responsible_person") or "",
                "responsible_person_post": values.get("responsible_person_post") or "",
                "responsible_person_phone": values.get("responsible_person_phone") or "",
                "responsible_person": person,
            }
            milestones = values.get("milestones") or []
            try:
                validate_plan(self.campaign, plan, milestones, new=True)
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
        if status == STATUS_OK and values["deadline"] < self.today:
            # Allowed (a ledger kept before qicha holds problems already late), but said before the user confirms.
            note = f"整改时限 {values['deadline']:%Y-%m-%d} 已过，导入后即为逾期"
        return RowResult(row.number, status, values, note, plan if status == STATUS_OK else None, row.digest)

    def _existing_row(self, sheet: xl.Sheet, row: xl.Row, number: int, problems: dict) -> RowResult:
        values = row.values
        shown = format_problem_no(number)
        problem = problems.get(number)
        values["unit_name"] = problem.unit.name if problem else ""
        if number in self.first_number:
            row.errors.clear()
            sheet.error_at(row, "problem_no", f"问题编号“{shown}”与第{self.first_number[number]}行重复")
            return RowResult(row.number, STATUS_ERROR, values)
        self.first_number[number] = row.number
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
            if sheet.column_name(key) in failed or not _same(problem, key, row.values.get(key)):
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
        if not problem.responsible_person_name or not value:
            return not problem.responsible_person_name and not value
        person = problem.responsible_person
        return name_key(value) in ({name_key(problem.responsible_person_name)}
                                   | ({name_key(person.username)} if person else set()))
    current = getattr(problem, key)
    if isinstance(current, str):
        return xl.fold(current) == xl.fold(value or "")
    return current == value


def check_rows(actor, campaign: Campaign, data: bytes, file_name: str, evaluation: Evaluation,
               progress: Callable[[int, str], None] | None = None, *, share: tuple[int, int] = (0, 90),
               digests: bool = False) -> Iterator[RowResult]:
    """Each row's result as it is checked, added to `evaluation` on the way. File-level problems raise Invalid
    (also a sheet with no data row, once the end is reached). `progress(percent, message)` is spread over
    `share`."""
    check_allowed(actor)
    start, end = share
    report = progress or (lambda percent, message: None)
    checker = Checker(actor, campaign)
    xl.check_upload(data, file_name, allow_xls=True)
    report(start, "正在读取文件…")
    with xl.open_rows(data, file_name, checker.columns, max_rows=settings.IMPORT_MAX_ROWS,
                      digests=digests) as (sheet, rows):
        evaluation.sheet = sheet.sheet
        expected = max(1, sheet.row_count - sheet.header_row)
        for chunk in _batched(rows, CHUNK_ROWS):
            for result, row in checker.check(sheet, chunk):
                evaluation.add(result, row.errors)
                yield result
            done = evaluation.total
            report(start + (end - start) * min(done, expected) // expected, f"已检查 {done:,} 行")
    if not evaluation.total:
        raise Invalid(f"工作表“{evaluation.sheet}”的表头下没有数据行。")
    report(end, f"已检查 {evaluation.total:,} 行")


def new_evaluation(data: bytes, file_name: str, *, keep_rows: bool) -> Evaluation:
    return Evaluation(file_name, hashlib.sha256(data).hexdigest(), sm3(data).hex(), keep_rows=keep_rows)


def evaluate(actor, campaign: Campaign, data: bytes, file_name: str,
             progress: Callable[[int, str], None] | None = None, *, share: tuple[int, int] = (0, 90),
             keep_rows: bool = True) -> Evaluation:
    """Read and check every row; writes nothing. File-level problems raise Invalid; row problems are collected."""
    evaluation = new_evaluation(data, file_name, keep_rows=keep_rows)
    for _ in check_rows(actor, campaign, data, file_name, evaluation, progress, share=share):
        pass
    return evaluation
