"""Writes the committed Excel files the problem-import tests read. Deterministic: run it again, get the same bytes.

    .venv/bin/python tests/data/problems/make_files.py

ledger_messy.xlsx       城西区民政局's ledger as such files really arrive: a hidden sheet before the real one, a merged
                        title row and a unit/date row above the header, a 序号 column the import does not read, headers
                        with newlines, full-width spaces and trailing blanks, units with stray blanks, dates as date
                        cells, serial numbers and several text forms (full-width digits too), 整改节点 in full-width
                        digits, a whitespace-only row in the middle and formatted empty rows at the end. 8 problems.
bad_rows.xlsx           the template's layout with one mistake per row (see BAD_ROW_ERRORS in the tests).
wrong_header.xlsx       a clue list, not a problem ledger: no header found.
missing_column.xlsx     the header without 整改时限.
empty.xlsx              a workbook with one empty sheet.
ledger.csv              the ledger saved as CSV.
damaged.xls             the .xls signature followed by garbage.

Made by LibreOffice (only where soffice is installed; committed: LibreOffice Calc/Writer 7.4, Debian 12):
ledger_messy_libreoffice.xlsx   ledger_messy.xlsx opened and saved again by LibreOffice Calc.
ledger_messy.xls        ledger_messy.xlsx saved as Excel 97–2003 (.xls), as old Excel and WPS still write.
word_renamed.xlsx       a Word document (.docx written by LibreOffice Writer) renamed to .xlsx.
"""

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils.datetime import to_excel

HERE = Path(__file__).resolve().parent
FIXED = datetime(2026, 3, 20, 9, 0, 0)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def serial(text: str) -> int:
    return int(to_excel(datetime.fromisoformat(text)))


MESSY_HEADERS = ["序号", "责任单位 ", "查摆事项", "问题\n来源", "反馈方面", "问题描述 ", "问题类别", "整改类型",
                 "整改措施", "整改　时限", "整改节点", "责任领导", "责任部门", "责任人 "]
# (责任单位, 查摆事项, 问题来源, 反馈方面, 问题描述, 问题类别, 整改类型, 整改措施, 整改时限 cell, 整改节点, 领导, 部门, 责任人)
MESSY_ROWS = [
    ("城西区民政局", "（一）领导责任落实", "自查发现", "", "党组研究扫黑除恶工作的频次不足，对基层民政所的督促指导不够。", "工作落实",
     "立即整改", "党组每季度专题研究1次，班子成员分片督导基层民政所。", datetime(2026, 12, 31), "", "李某某", "办公室",
     "城西联络员"),
    ("城西区民政局社会救助股", 5, "督导检查发现", "", "农村低保动态管理不到位，抽查发现“人情保”嫌疑3户。", "低保",
     "限期整改", "逐户核查3户低保对象，不符合条件的停发并追回资金。", serial("2026-12-20"),
     "2026-12-01 完成逐户核查\n2026-12-15 完成停保和资金追回", "王某", "社会救助股", ""),
    (" 城西区民政局 ", "（三）督导组反馈问题整改", "督导组反馈", "1. 线索摸排不细致、不深入",
     "对村（居）委会成员涉黑涉恶线索摸排流于形式，台账不完整。", "线索摸排", "限期整改",
     "对全区村（居）委会成员逐一摸排，建立完整台账。", "2026-12-25", "2026-12-10 完成摸排；2026-12-20 建立台账",
     "李某某", "基层政权股", ""),
    ("城西区民政局基层政权股", "（四）交办案件线索办理", "上级交办", "", "交办线索办理超期，2条线索未在规定时限内反馈。",
     "线索办理", "长期整改", "建立交办线索台账和到期提醒，每月通报办理进度。", full_width("2026-12-31"),
     full_width("2026-12-10") + " 建立台账\n√" + full_width("2026-12-01") + " 梳理超期线索", "张某", "基层政权股", ""),
    ("城西区民政局", "（五）行业监管问题整治", "案件剖析", "", "殡葬服务机构收费公示不规范，存在捆绑销售。", "行业监管",
     "立即整改", "责令整改收费公示，开展殡葬服务收费专项检查。", "2026年12月30日", "", "李某某", "社会事务股", ""),
    ("城西区民政局办公室", "（六）线索核查新进展", "群众反映", "", "群众反映的2条线索核查结论未及时答复实名举报人。",
     "线索核查", "立即整改", "对实名举报人逐一答复并做好记录。", "20261229", "", "", "办公室", ""),
    ("城西区民政局", "（七）问责追责", "自查发现", "", "对履职不力人员的问责不及时。", "问责追责", "立即整改",
     "对照清单逐一研究问责意见，报纪检组。", "2026/12/28", "", "李某某", "办公室", ""),
    ("城西区民政局", 2, "自查发现", "", "承诺书签订后缺少跟踪检查。", "承诺制度", "立即整改",
     "每半年开展一次承诺事项检查。", "2026.12.27 ", "", "", "", ""),
]

TEMPLATE_HEADERS = ["问题编号", "责任单位*", "查摆事项", "问题来源*", "反馈方面", "问题描述*", "问题类别", "整改类型*",
                    "整改措施*", "整改时限*", "整改节点", "责任领导", "责任部门", "责任人"]
GOOD = ["", "城西区民政局", "（一）领导责任落实", "自查发现", "", "班子成员落实“一岗双责”不到位。", "工作落实", "立即整改",
        "签订责任书，年底述职时专项报告。", "2026-12-31", "", "李某某", "办公室", ""]


def bad(**changes) -> list:
    row = list(GOOD)
    for header, value in changes.items():
        row[TEMPLATE_HEADERS.index(header)] = value
    return row


BAD_ROWS = [
    GOOD,                                                                               # row 2: good
    bad(**{"责任单位*": "城东区民政局", "问题描述*": "城东的问题。"}),                     # row 3: not the importer's unit
    bad(**{"整改时限*": "2026-02-30", "问题描述*": "日期不存在。"}),                       # row 4
    bad(**{"整改类型*": "马上整改", "问题描述*": "整改类型不是选项。"}),                    # row 5
    bad(**{"整改类型*": "限期整改", "问题描述*": "限期整改没有节点。"}),                    # row 6
    bad(**{"问题描述*": "  "}),                                                         # row 7: no description
    bad(**{"责任人": "不存在的人", "问题描述*": "责任人不在本单位。"}),                      # row 8
    bad(**{"问题编号": "P999999", "问题描述*": "编号不存在。"}),                            # row 9
    bad(**{"问题来源*": "督导组反馈", "问题描述*": "反馈问题没有方面。"}),                   # row 10
    bad(**{"整改类型*": "限期整改", "整改节点": "2027-01-15 完成整改", "问题描述*": "节点晚于时限。"}),  # row 11
    GOOD,                                                                               # row 12: same as row 2
    bad(**{"查摆事项": "（九）不存在的事项", "问题描述*": "查摆事项不存在。"}),               # row 13
]


def freeze(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so the committed bytes do not change from run to run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2026, 3, 20, 9, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-03-20T09:00:00Z", content)
            target.writestr(member, content)
    return out.getvalue()


def save(workbook: Workbook, name: str) -> None:
    workbook.properties.creator = "qicha tests"
    workbook.properties.created = workbook.properties.modified = FIXED
    buffer = io.BytesIO()
    workbook.save(buffer)
    (HERE / name).write_bytes(freeze(buffer.getvalue()))


def messy() -> None:
    workbook = Workbook()
    old = workbook.active
    old.title = "旧台账"
    old.append(TEMPLATE_HEADERS)
    old.append(["", "不存在的单位", "", "拆迁", "", "", "", "马上", "", "2026-02-30"])  # errors if it were read
    old.sheet_state = "hidden"
    sheet = workbook.create_sheet("城西区问题台账")
    width = len(MESSY_HEADERS)
    sheet.append(["城西区民政局七查七摆问题整改台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：城西区民政局（盖章）　　　　　　填报日期：2026年3月20日"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append(MESSY_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for number, row in enumerate(MESSY_ROWS, start=1):
        if number == 5:
            sheet.append([" ", "  ", None, "　"])  # looks empty, is empty: skipped (row 8)
        sheet.append([number, *row])
        excel_row = sheet.max_row
        if isinstance(row[8], datetime):
            sheet.cell(row=excel_row, column=10).number_format = "yyyy-mm-dd"
        for cell in sheet[excel_row]:
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for _ in range(3):  # formatted but empty rows after the list
        sheet.append([None] * width)
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
    sheet.freeze_panes = "A4"
    save(workbook, "ledger_messy.xlsx")


def bad_rows() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题整改台账"
    sheet.append(TEMPLATE_HEADERS)
    for row in BAD_ROWS:
        sheet.append(row)
    save(workbook, "bad_rows.xlsx")


def other_files() -> None:
    workbook = Workbook()
    workbook.active.title = "线索清单"
    workbook.active.append(["线索编号*", "受理日期*", "反映内容*", "涉及领域*"])
    workbook.active.append(["ZY-1", "2026-03-02", "反映某村低保评议不公开。", "低保"])
    save(workbook, "wrong_header.xlsx")

    workbook = Workbook()
    workbook.active.title = "问题台账"
    workbook.active.append([h for h in TEMPLATE_HEADERS if h != "整改时限*"])
    workbook.active.append([v for h, v in zip(TEMPLATE_HEADERS, GOOD, strict=True) if h != "整改时限*"])
    save(workbook, "missing_column.xlsx")

    workbook = Workbook()
    workbook.active.title = "Sheet1"
    save(workbook, "empty.xlsx")

    lines = [",".join(TEMPLATE_HEADERS), ",".join(GOOD)]
    (HERE / "ledger.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "damaged.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00not really a workbook" * 40)


def libreoffice() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not installed: the LibreOffice-made files are left as committed")
        return
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        profile = f"-env:UserInstallation=file://{work / 'profile'}"
        shutil.copy(HERE / "ledger_messy.xlsx", work / "ledger_messy.xlsx")
        for target in ("xlsx:Calc MS Excel 2007 XML", "xls:MS Excel 97"):
            out = work / target.split(":")[0]
            subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir", str(out),
                            str(work / "ledger_messy.xlsx")], check=True, capture_output=True, timeout=180)
        shutil.copy(work / "xlsx" / "ledger_messy.xlsx", HERE / "ledger_messy_libreoffice.xlsx")
        shutil.copy(work / "xls" / "ledger_messy.xls", HERE / "ledger_messy.xls")
        (work / "通知.txt").write_text("关于报送七查七摆问题整改台账的通知\n请各单位于每月21日前报送。\n", encoding="utf-8")
        subprocess.run([soffice, profile, "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                        str(work / "docx"), str(work / "通知.txt")], check=True, capture_output=True, timeout=180)
        shutil.copy(work / "docx" / "通知.docx", HERE / "word_renamed.xlsx")


if __name__ == "__main__":
    messy()
    bad_rows()
    other_files()
    libreoffice()
