"""The download template built from a column spec: styled header, drop-downs for choice columns, an
instructions sheet with one example row; every cell passed through `spreadsheet.safe_cell`."""

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..spreadsheet import safe_cell
from .cells import BOOLEAN, CHOICE, DATE, Column

TEMPLATE_ROWS = 1000           # how far down the template's drop-downs and text formats reach
INLINE_LIST_LIMIT = 250        # Excel caps an inline list formula at 255 characters
# Template

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"


def _options(column: Column) -> list[str]:
    if column.kind == CHOICE:
        return [label for _, label in column.choices]
    if column.kind == BOOLEAN:
        return ["是", "否"]
    return []


def build_template(columns: Sequence[Column], *, sheet_title: str, notes: Sequence[str] = (),
                   examples: Sequence[dict] = ()) -> bytes:
    """An .xlsx to fill in: header row (bold, filled, bordered, frozen), drop-downs for choice and yes/no columns,
    text format for ID-like columns; a 填写说明 sheet listing every column, the `notes` and the example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([safe_cell(column.label) for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.as_text:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "A2"
    options_sheet, option_col = None, 0
    for index, column in enumerate(columns, start=1):
        options = _options(column)
        if not options:
            continue
        inline = ",".join(options)
        if len(inline) <= INLINE_LIST_LIMIT and "," not in "".join(options):
            formula = f'"{inline}"'
        else:
            if options_sheet is None:
                options_sheet = workbook.create_sheet(OPTIONS_SHEET)
                options_sheet.sheet_state = "hidden"
            option_col += 1
            option_letter = get_column_letter(option_col)
            for row, option in enumerate(options, start=1):
                options_sheet.cell(row=row, column=option_col, value=safe_cell(option))
            formula = f"{quote_sheetname(OPTIONS_SHEET)}!${option_letter}$1:${option_letter}${len(options)}"
        validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required,
                                    showErrorMessage=True, errorTitle="输入有误",
                                    error=f"请从下拉列表中选择{column.header}", promptTitle=column.header,
                                    prompt="请从下拉列表中选择", showInputMessage=True)
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    help_sheet.append([safe_cell(v) for v in ("列名", "是否必填", "填写要求")])
    for cell in help_sheet[1]:
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
    for column in columns:
        requirement = column.note or {
            DATE: "日期，写成 YYYY-MM-DD（如 2026-03-05），也可用日期格式的单元格",
            CHOICE: "从下拉列表选择：" + "、".join(_options(column)),
            BOOLEAN: "填写“是”或“否”",
        }.get(column.kind, "文字")
        help_sheet.append([safe_cell(column.header), "必填" if column.required else "选填", safe_cell(requirement)])
    help_sheet.append([])
    help_sheet.append([safe_cell("说明")])
    help_sheet.cell(row=help_sheet.max_row, column=1).font = HEADER_FONT
    for number, note in enumerate(notes, start=1):
        help_sheet.append([safe_cell(f"{number}. {note}")])
    if examples:
        # The example lives here, not on the list itself, so a forgotten example row is never imported.
        help_sheet.append([])
        help_sheet.append([safe_cell("填写示例（请在第一个工作表中填写，本表不会被导入）")])
        help_sheet.cell(row=help_sheet.max_row, column=1).font = HEADER_FONT
        help_sheet.append([safe_cell(column.label) for column in columns])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        for example in examples:
            help_sheet.append([safe_cell(example.get(column.key, "")) for column in columns])
            for cell in help_sheet[help_sheet.max_row]:
                cell.border = BORDER
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 80
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Keep the instructions right after the list, the option lists (hidden) last.
    if options_sheet is not None:
        workbook.move_sheet(options_sheet, offset=len(workbook.sheetnames))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

