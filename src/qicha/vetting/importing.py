"""The 联审 Excel lists, read through core.excel_import: the candidate list, a department's filled sheet, a negative
list and the 2019 members. Each list is read whole and checked row by row; one located error (工作表、行、列) and
nothing is written."""

from typing import Any

from qicha.core import excel_import as xl
from qicha.core.errors import Invalid

from .models import Ground, Verdict

MAX_ROWS = 5000


def parse_id_number(value: Any) -> str:
    """Identity numbers must arrive as text: Excel keeps only 15 significant digits of a number cell."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**15:
        raise xl.CellError("身份证号被 Excel 存成了数字，末几位已丢失；请将该列设为文本格式后重新填写号码")
    return xl.parse_text(value)


ID_NOTE = "18 位（15 位旧号码自动升为 18 位）；请保持单元格为文本格式"

CANDIDATE_COLUMNS = (
    xl.Column("village", "村（社区）", required=True, max_length=100, width=16, aliases=("村", "村名", "村（居）"),
              example="城西区河湾村"),
    xl.Column("name", "姓名", required=True, max_length=50, width=10, example="张建国"),
    xl.Column("id_number", "身份证号", required=True, parser=parse_id_number, as_text=True, width=22,
              aliases=("身份证号码", "公民身份号码"), note=ID_NOTE, example="110101198001010010"),
    xl.Column("post", "拟任职务", required=True, max_length=60, width=16, aliases=("职务", "拟任"),
              example="村党支部书记"),
    xl.Column("party_member", "是否党员", xl.BOOLEAN, width=10, aliases=("党员", "中共党员"), example="是"),
    xl.Column("serving", "是否现任", xl.BOOLEAN, width=10, aliases=("现任", "是否现任村两委成员"),
              note="现任村“两委”成员填“是”：联审不通过的，可一键纳入问题成员台账", example="是"),
)
CANDIDATE_SHEET = "候选人名单"
CANDIDATE_TEMPLATE = "联审候选人导入模板.xlsx"
CANDIDATE_NOTES = (
    f"在“{CANDIDATE_SHEET}”工作表中，从表头下一行起每行填写一名候选人；带 * 的列必须填写。",
    "身份证号请保持文本格式；同一批次中同一身份证号只能出现一次。",
    "导入前系统会逐行检查并列出错误（工作表、行号、列名），只要有一行有误就不会导入任何候选人。",
)

VERDICT_CHOICES = tuple(Verdict.choices)
GROUND_CHOICES = tuple(Ground.choices)

ANSWER_COLUMNS = (
    xl.Column("number", "序号", required=True, width=6),
    xl.Column("village", "村（社区）", width=16),
    xl.Column("name", "姓名", required=True, width=10),
    xl.Column("masked_id", "身份证号", width=22),
    xl.Column("post", "拟任职务", width=16),
    xl.Column("hints", "比对提示", width=24),
    xl.Column("verdict", "意见", xl.CHOICE, choices=VERDICT_CHOICES, width=10, aliases=("联审意见",),
              note="填写“无异议”或“有异议”；留空的行视为尚未答复，不导入"),
    xl.Column("ground", "异议依据", xl.CHOICE, choices=GROUND_CHOICES, width=14),
    xl.Column("note", "备注", max_length=500, width=30, aliases=("说明",)),
)

NEGATIVE_COLUMNS = (
    xl.Column("id_number", "身份证号", required=True, parser=parse_id_number, as_text=True, width=22,
              aliases=("身份证号码", "公民身份号码"), note=ID_NOTE, example="110101198001010010"),
    xl.Column("name", "姓名", required=True, max_length=50, width=10, example="李某"),
    xl.Column("ground", "依据", required=True, max_length=60, width=16, aliases=("类别", "问题类别", "依据/类别"),
              example="受过刑事处罚"),
)
NEGATIVE_SHEET = "负面清单"
NEGATIVE_TEMPLATE = "负面清单导入模板.xlsx"

REVIEW_COLUMNS = (
    xl.Column("village", "村（社区）", required=True, max_length=100, width=16, aliases=("村", "村名")),
    xl.Column("name", "姓名", required=True, max_length=50, width=10),
    xl.Column("id_number", "身份证号", required=True, parser=parse_id_number, as_text=True, width=22,
              aliases=("身份证号码", "公民身份号码"), note=ID_NOTE),
    xl.Column("post", "职务", required=True, max_length=60, width=16, aliases=("现任职务",)),
)
REVIEW_SHEET = "2019年联审成员"
REVIEW_TEMPLATE = "回头看成员导入模板.xlsx"


class ImportRejected(Invalid):
    """Some rows are wrong: the located errors, and nothing was written."""

    def __init__(self, errors: list[xl.RowError], what: str):
        self.errors = errors
        super().__init__(f"导入文件中有 {len(errors)} 处错误，未导入任何{what}。")

    @property
    def located(self) -> list[str]:
        return [error.located for error in self.errors]


def read(data: bytes, file_name: str, columns) -> xl.SheetData:
    """The whole first sheet, checked cell by cell (file-level problems raise Invalid at once)."""
    xl.check_upload(data, file_name)
    sheet = xl.read_sheet(data, file_name, columns, max_rows=MAX_ROWS)
    if not sheet.rows:
        raise Invalid(f"工作表“{sheet.sheet}”的表头下没有数据行。")
    return sheet


def template(columns, sheet_title: str, notes=()) -> bytes:
    example = {column.key: column.example for column in columns}
    return xl.build_template(columns, sheet_title=sheet_title, notes=notes, examples=[example])
