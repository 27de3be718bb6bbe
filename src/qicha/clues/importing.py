"""Clue intake by imported batch (交办批次): the central group's Excel list becomes clues, all or none.

The file is read by `core.excel_import` (generic); this module knows the clue columns, maps each row onto the
intake service's fields and its field-keyed errors back onto Excel columns. Every row goes through
`services.validate_intake` and, on confirm, `services.create_validated` — the one write path of every clue.

A row whose 线索编号 is already registered in the campaign under the same source is reported as
“已导入，将跳过”: importing the same file again neither duplicates nor loses anything.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl
from qicha.core.errors import Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit

from . import services
from .models import Clue, ClueBatch, Domain, Source

KIND = "clues"
SHEET_TITLE = "线索清单"
TEMPLATE_NAME = "线索导入模板.xlsx"
MAX_ROWS = 2000


def parse_id_number(value: Any) -> str:
    """Identity numbers must arrive as text: Excel keeps only 15 significant digits of a number cell."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**15:
        raise xl.CellError("身份证号被 Excel 存成了数字，末几位已丢失；请将该列设为文本格式后重新填写号码")
    return xl.parse_text(value)


COLUMNS = (
    xl.Column("reference_no", "线索编号", required=True, max_length=60, width=16, aliases=("编号", "交办编号"),
              note="交办清单上的编号，同一来源内唯一；再次导入时据此跳过已导入的线索", example="ZY3-2026-001"),
    xl.Column("received_date", "受理日期", xl.DATE, required=True, width=13, example="2026-03-05"),
    xl.Column("content", "反映内容", required=True, width=50, aliases=("反映问题", "主要内容"),
              example="反映某社区工作人员优亲厚友，为不符合条件的亲属办理低保。"),
    xl.Column("domain", "涉及领域", xl.CHOICE, required=True, choices=tuple(Domain.choices), width=12,
              aliases=("领域", "所属领域"), example=Domain.SUBSISTENCE.label),
    xl.Column("region", "涉及地区", max_length=100, width=14, aliases=("地区", "所在地区"), example="城西区"),
    xl.Column("subject_name", "被反映人姓名", max_length=100, width=12, aliases=("被反映人",), example="张某某"),
    xl.Column("subject_id_number", "被反映人身份证号", parser=parse_id_number, as_text=True, width=22,
              note="18 位（15 位旧号码自动升为 18 位）；请保持单元格为文本格式", example="110101198001010010"),
    xl.Column("org_name", "被反映组织名称", max_length=100, width=20, aliases=("被反映单位", "被反映组织")),
    xl.Column("credit_code", "统一社会信用代码", as_text=True, width=22, note="18 位，填写被反映组织时可填"),
    xl.Column("real_name", "是否实名", xl.BOOLEAN, width=10, aliases=("实名举报", "是否实名举报"),
              note="填写“是”或“否”，留空按“否”（匿名）", example="是"),
    xl.Column("reporter_name", "举报人姓名", max_length=100, width=12, example="李某"),
    xl.Column("reporter_id_number", "举报人身份证号", parser=parse_id_number, as_text=True, width=22,
              note="18 位（15 位旧号码自动升为 18 位）；请保持单元格为文本格式"),
    xl.Column("reporter_phone", "举报人联系电话", as_text=True, width=16, aliases=("联系电话", "举报人电话"),
              note="手机或固定电话；实名举报须填写联系电话或身份证号", example="13900000000"),
)

NOTES = (
    f"在“{SHEET_TITLE}”工作表中，从表头下一行起每行填写一条线索；表头上方可以有标题行、单位和日期行，"
    "但不要修改或删除表头本身。",
    "带 * 的列必须填写；其余可以留空。",
    "线索来源、批次号、交办日期在导入页面填写，不在表格中填写。",
    "每行填写一名被反映人和（或）一个被反映组织；涉及多人或多个组织的，填写主要的一人、一个组织，"
    "其余写在“反映内容”中。",
    "身份证号、统一社会信用代码、电话请保持文本格式，避免 Excel 把号码变成科学计数法而丢失末位。",
    "日期可写成 2026-03-05、2026/3/5、2026年3月5日 或 20260305，也可使用日期格式的单元格。",
    "“是否实名”填“是”的，须填写举报人姓名，以及联系电话或身份证号（用于答复）。",
    "同一专项行动中同一来源的线索编号不能重复；再次导入同一文件时，已导入的线索会跳过，不会重复登记。",
    "系统只读取第一个可见的工作表，隐藏的工作表会被忽略；全部为空的行会被跳过。",
    "导入前系统会逐行检查并列出错误（工作表、行号、列名），只要有一行有误就不会导入任何线索。",
)

# Service error keys → Excel columns (subjects.N.* resolved per row).
SERVICE_KEYS = {
    "reference_no": "reference_no", "received_date": "received_date", "content": "content", "domain": "domain",
    "region": "region", "reporter.name": "reporter_name", "reporter.id_number": "reporter_id_number",
    "reporter.phone": "reporter_phone",
}


def check_allowed(actor) -> None:
    """Importing a batch is the office's work (the whole organisation's clue.create); anyone else sees nothing."""
    if not can_act_on(actor, "clue.create", Unit.objects.get_first_root_node()):
        raise NotFound()


def build_template() -> bytes:
    example = {column.key: column.example for column in COLUMNS}
    return xl.build_template(COLUMNS, sheet_title=SHEET_TITLE, notes=NOTES, examples=[example])


@dataclass
class PreviewRow:
    number: int
    status: str                       # "ok" / "existing" / "error"
    values: dict
    cleaned: tuple | None = None      # (clean, reporter, subjects) from validate_intake, for confirm

    @property
    def domain_label(self) -> str:
        value = self.values.get("domain")
        return Domain(value).label if value in Domain.values else ""

    @property
    def subjects(self) -> str:
        return "、".join(name for name in (self.values.get("subject_name"), self.values.get("org_name")) if name)


@dataclass
class ImportPreview:
    file_name: str
    sha256: str
    sheet: str
    rows: list[PreviewRow] = field(default_factory=list)
    row_errors: list[xl.RowError] = field(default_factory=list)

    @property
    def rows_ok(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == "ok"]

    @property
    def rows_existing(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == "existing"]

    @property
    def errors(self) -> list[dict]:
        return [error.as_dict() for error in self.row_errors]

    @property
    def can_confirm(self) -> bool:
        return not self.row_errors


class ImportRejected(Invalid):
    """Confirm found errors (the file or the data changed since the preview): nothing was written."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__(f"导入文件中有 {len(preview.row_errors)} 处错误，未导入任何线索。")


@dataclass(frozen=True)
class ImportResult:
    batch: ClueBatch
    created: int
    skipped: int


def check_batch_inputs(source: str, batch_reference: str, received_date) -> str:
    errors = {}
    if source not in Source.values:
        errors["source"] = "请选择线索来源"
    reference = (batch_reference or "").strip()
    if not reference:
        errors["batch_reference"] = "请填写批次号"
    elif len(reference) > 80:
        errors["batch_reference"] = "批次号不能超过 80 个字符"
    if not isinstance(received_date, date):
        errors["received_date"] = "请填写交办日期（YYYY-MM-DD）"
    elif received_date > timezone.localdate():
        errors["received_date"] = "交办日期不能晚于今天"
    if errors:
        raise Invalid(details=errors)
    return reference


def _read_bytes(file) -> tuple[bytes, str]:
    if isinstance(file, bytes | bytearray):
        return bytes(file), ""
    if isinstance(file, str | Path):
        path = Path(file)
        return path.read_bytes(), path.name
    file.seek(0)
    return file.read(), getattr(file, "name", "") or ""


def _fields_of(values: dict, source: str) -> tuple[dict, list[str]]:
    """The intake service's fields for one row, and which column each subject came from."""
    subjects, subject_columns = [], []
    if values.get("subject_name") or values.get("subject_id_number"):
        subjects.append({"kind": "person", "name": values.get("subject_name") or "",
                         "id_number": values.get("subject_id_number") or ""})
        subject_columns.append("person")
    if values.get("org_name") or values.get("credit_code"):
        subjects.append({"kind": "organisation", "name": values.get("org_name") or "",
                         "credit_code": values.get("credit_code") or ""})
        subject_columns.append("organisation")
    fields = {
        "source": source, "reference_no": values.get("reference_no") or "", "batch": None,
        "received_date": values.get("received_date"), "content": values.get("content") or "",
        "domain": values.get("domain"), "region": values.get("region") or "",
        "real_name": bool(values.get("real_name")), "unit": None,
        "reporter": {"name": values.get("reporter_name") or "", "id_number": values.get("reporter_id_number") or "",
                     "phone": values.get("reporter_phone") or ""},
        "subjects": subjects,
    }
    return fields, subject_columns


def _column_of(key: str, subject_columns: list[str]) -> str | None:
    if key in SERVICE_KEYS:
        return SERVICE_KEYS[key]
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "subjects" and parts[1].isdigit() and int(parts[1]) < len(subject_columns):
        person = subject_columns[int(parts[1])] == "person"
        return {"name": "subject_name" if person else "org_name", "id_number": "subject_id_number",
                "credit_code": "credit_code"}.get(parts[2])
    return None


def _evaluate(actor, campaign: Campaign, data: bytes, file_name: str, source: str) -> ImportPreview:
    xl.check_upload(data, file_name)
    sheet = xl.read_sheet(data, file_name, COLUMNS, max_rows=MAX_ROWS)
    preview = ImportPreview(file_name, hashlib.sha256(data).hexdigest(), sheet.sheet)
    if not sheet.rows:
        raise Invalid(f"工作表“{sheet.sheet}”的表头下没有数据行。")
    references = {row.values["reference_no"] for row in sheet.rows if row.values.get("reference_no")}
    existing = set(Clue.objects.filter(campaign=campaign, source=source, reference_no__in=references)
                   .values_list("reference_no", flat=True))
    first_seen: dict[str, int] = {}
    for row in sheet.rows:
        reference = row.values.get("reference_no")
        if reference and reference in existing:
            row.errors.clear()  # skipped: nothing from this row is written, so nothing in it can be wrong
            preview.rows.append(PreviewRow(row.number, "existing", row.values))
            continue
        if reference and reference in first_seen:
            sheet.error_at(row, "reference_no", f"线索编号“{reference}”与第{first_seen[reference]}行重复")
        elif reference:
            first_seen[reference] = row.number
        fields, subject_columns = _fields_of(row.values, source)
        cleaned = None
        try:
            cleaned = services.validate_intake(actor, campaign, fields)
        except Invalid as exc:
            flagged = {error.column for error in row.errors}
            for key, message in (exc.details or {"": exc.message}).items():
                column = _column_of(key, subject_columns)
                if not column or sheet.column_name(column) not in flagged:
                    # A cell the reader already rejected is not reported twice.
                    sheet.error_at(row, column, message)
        status = "error" if row.errors else "ok"
        preview.rows.append(PreviewRow(row.number, status, row.values, cleaned if status == "ok" else None))
    preview.row_errors = sheet.errors
    return preview


def preview(actor, campaign: Campaign, file, source: str = Source.CENTRAL_GROUP, batch_reference: str = "",
            received_date: date | None = None, *, file_name: str = "") -> ImportPreview:
    """Read and check every row; writes nothing. File-level problems raise Invalid, row problems are listed."""
    check_allowed(actor)
    check_batch_inputs(source, batch_reference, received_date)
    data, name = _read_bytes(file)
    return _evaluate(actor, campaign, data, file_name or name, source)


def confirm_import(actor, campaign: Campaign, stored_file, source: str = Source.CENTRAL_GROUP,
                   batch_reference: str = "", received_date: date | None = None, *,
                   file_name: str = "") -> ImportResult:
    """Re-read and re-check the same file; only when every row is good, write the batch and all new clues in one
    transaction (all or none) and record one import event."""
    check_allowed(actor)
    reference = check_batch_inputs(source, batch_reference, received_date)
    if not campaign.is_active:
        raise Invalid("该专项行动已结束，不能再导入线索。")
    data, name = _read_bytes(stored_file)
    file_name = file_name or name
    result = _evaluate(actor, campaign, data, file_name, source)
    if not result.can_confirm:
        raise ImportRejected(result)
    skipped = len(result.rows_existing)
    batch, created = services.record_batch(
        actor, campaign, source=source, reference=reference, received_date=received_date, file_name=file_name,
        sha256=result.sha256, sheet=result.sheet, row_count=len(result.rows),
        validated_rows=[row.cleaned for row in result.rows_ok], skipped=skipped,
    )
    return ImportResult(batch, created, skipped)


def can_import(actor) -> bool:
    """For pages showing the 导入交办批次 button: the same rule `check_allowed` enforces."""
    return can_act_on(actor, "clue.create", Unit.objects.get_first_root_node())
