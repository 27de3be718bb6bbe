"""Writes the committed Excel files the clue-import tests read. Deterministic: run it again, get the same bytes.

    .venv/bin/python tests/data/clues/make_files.py

central_batch_20.xlsx   a central-group batch as such lists really arrive: a hidden and a very hidden sheet before
                        the real one, a merged title row and a unit/date row above the header, a 序号 column the
                        import does not know, headers with newlines, full-width spaces and trailing blanks, dates as
                        date cells, serial numbers and several text forms, one 15-digit and one full-width identity
                        number, a whitespace-only row in the middle and formatted empty rows at the end.
bad_rows.xlsx           the template's layout with one mistake per row (see EXPECTED_ERRORS in the tests).
not_excel.xlsx          a text file named .xlsx.
central_batch_20_libreoffice.xlsx   central_batch_20.xlsx saved again by LibreOffice, made only where soffice is
                        installed (committed: made by LibreOffice Calc 7.4, Debian 12).
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
from stdnum.cn import ric, uscc

HERE = Path(__file__).resolve().parent
FIXED = datetime(2026, 3, 10, 9, 0, 0)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# Region codes must be ones python-stdnum knows (its loc.dat), or the intake service rejects the number.
def id_number(region: str, birth: str, sequence: str) -> str:
    body = region + birth + sequence
    return body + ric.calc_check_digit(body + "0")


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# Fifteen-digit (first generation) number of 被反映人 in row ZY5-3-004, and what it becomes.
OLD_ID_15 = "110101580613215"
OLD_ID_18 = OLD_ID_15[:6] + "19" + OLD_ID_15[6:] + ric.calc_check_digit(OLD_ID_15[:6] + "19" + OLD_ID_15[6:] + "0")
# Typed with full-width digits (a Chinese input method) for 举报人 of ZY5-3-007.
WIDE_ID = id_number("330122", "19790921", "044")
ORG_CODES = {
    "城西区幸福里养老服务中心": credit_code("52110102MJ8821046"),
    "南山县殡葬服务协会": credit_code("51330122MJ3350178"),
    "北湖县老年人互助协会": credit_code("51330127MJ0049123"),
    "城东区安康殡仪服务有限公司": credit_code("91110101MA2D7K3Q5"),
}


def serial(text: str) -> int:
    return int(to_excel(datetime.fromisoformat(text)))


# (线索编号, 受理日期 cell value, 反映内容, 涉及领域, 涉及地区, 被反映人, 身份证号, 组织, 信用代码, 实名, 举报人, 举报人身份证号, 电话)
ROWS = [
    ("ZY5-3-001", datetime(2026, 3, 2), "反映城西区新华街道幸福村村委会主任张某某优亲厚友，为其不符合条件的亲属办理农村低保，每户每月领取低保金。",
     "低保", "城西区新华街道幸福村", "张某某", id_number("110102", "19680304", "031"), "", "", "是", "王某", "", "13905710001"),
    ("ZY5-3-002", serial("2026-03-02"), "反映城东区安康殡仪服务有限公司垄断医院太平间遗体接运，强制丧户购买高价寿衣、骨灰盒，不买就不让出殡。",
     "殡葬", "城东区", "", "", "城东区安康殡仪服务有限公司", ORG_CODES["城东区安康殡仪服务有限公司"], "否", "", "", ""),
    ("ZY5-3-003", "2026-03-03", "反映南山县殡葬服务协会以协会名义向丧葬用品店强收“会费”，不交者遭恐吓、砸店。",
     "社会组织", "南山县", "刘某", id_number("330122", "19750812", "057"), "南山县殡葬服务协会", ORG_CODES["南山县殡葬服务协会"], "是", "陈某某", id_number("330122", "19820105", "026"), "0571-86001234"),
    ("ZY5-3-004", "2026/3/3", "反映城东区东湖街道社区居委会副主任李某某长期把持低保评议，收取“好处费”后才给纳入低保。",
     "低保", "城东区东湖街道", "李某某", OLD_ID_15, "", "", "否", "", "", ""),
    ("ZY5-3-005", "2026年3月4日", "反映北湖县老年人互助协会以“养老互助”为名向老人推销保健品、收取入会费，涉嫌非法集资。",
     "社会组织", "北湖县", "", "", "北湖县老年人互助协会", ORG_CODES["北湖县老年人互助协会"], "否", "", "", ""),
    ("ZY5-3-006", "20260304", "反映北湖县青山镇石桥村党支部书记赵某某在村委会换届中拉票贿选，威胁不投票的村民。",
     "基层组织", "北湖县青山镇石桥村", "赵某某", id_number("330127", "19700215", "013"), "", "", "是", "孙某", "", 13905710006),
    ("ZY5-3-007", datetime(2026, 3, 5), "反映南山县城关镇民政所工作人员周某与社会闲散人员勾结，冒领已故人员低保金。",
     "低保", "南山县城关镇", "周某", id_number("330122", "19850630", "078"), "", "", "是", "吴某某", full_width(WIDE_ID), ""),
    ("ZY5-3-008", serial("2026-03-05"), "反映城西区幸福里养老服务中心以床位费名义向入住老人家属乱收费，并克扣老人伙食。",
     "社会组织", "城西区幸福里", "", "", "城西区幸福里养老服务中心", ORG_CODES["城西区幸福里养老服务中心"], "否", "", "", ""),
    ("ZY5-3-009", "2026-03-05 ", "反映城东区公墓周边有人私自圈地建墓穴，高价倒卖，并对举报村民进行殴打。",
     "殡葬", "城东区白鹭镇", "郑某", id_number("110101", "19730909", "052"), "", "", "否", "", "", ""),
    ("ZY5-3-010", "2026-03-06", "反映城西区新华街道某社区居委会委员钱某以帮助申请临时救助为名收取费用。",
     "低保", "城西区新华街道", "钱某", id_number("110102", "19800120", "044"), "", "", "", "", "", ""),
    ("ZY5-3-011", datetime(2026, 3, 6), "反映北湖县殡仪馆工作人员与丧葬中介勾结，强制捆绑销售殡葬服务。",
     "殡葬", "北湖县", "冯某某", id_number("330127", "19771103", "039"), "", "", "是", "何某", "", "13905710011"),
    ("ZY5-3-０１２", "2026-03-06", "反映南山县桃源乡上坪村村委会会计韩某把持村务，侵占集体土地补偿款。",
     "基层组织", "南山县桃源乡上坪村", "韩某", id_number("330122", "19660728", "015"), "", "", "否", "", "", ""),
    ("ZY5-3-013", "2026/3/7", "反映城东区某社会团体秘书长以“会员服务费”名义向个体工商户摊派费用。",
     "社会组织", "城东区", "杨某", id_number("110101", "19810417", "068"), "", "", "否", "", "", ""),
    ("ZY5-3-014", serial("2026-03-07"), "反映城西区某村民小组长朱某以“人情保”方式为亲属办理低保，群众意见很大。",
     "低保 ", "城西区", "朱某", id_number("110102", "19720528", "021"), "", "", "否", "", "", ""),
    ("ZY5-3-015", "2026-03-08", "反映北湖县湖滨街道某社区居委会主任秦某威胁反对其连任的居民。",
     "基层组织", "北湖县湖滨街道", "秦某", id_number("330127", "19690814", "017"), "", "", "是", "许某某", "", "0571-86005678"),
    ("ZY5-3-016", "2026年3月8日", "反映南山县某殡葬用品店店主何某纠集社会人员，强迫丧户在其店内购买用品。",
     "殡葬", "南山县", "何某", id_number("330122", "19880302", "094"), "", "", "否", "", "", ""),
    ("ZY5-3-017", datetime(2026, 3, 8), "反映城东区东湖街道特困人员供养资金被村干部截留，部分困难群众长期未领到补贴。",
     "低保", "城东区东湖街道", "", "", "", "", "否", "", "", ""),
    ("ZY5-3-018", "2026-03-09", "反映北湖县某民办非企业单位负责人吕某借慈善募捐名义敛财。",
     "社会组织", "北湖县", "吕某", id_number("330127", "19760101", "055"), "", "", "否", "", "", ""),
    ("ZY5-3-019", "2026-03-09", "反映城西区某村村委会在低保公示中弄虚作假，评议会议未实际召开。",
     "基层组织", "城西区", "", "", "", "", "否", "", "", ""),
    ("ZY5-3-020", "2026.3.9", "反映南山县城关镇某社区网格员施某向低保户索要“感谢费”。",
     "低保", "南山县城关镇", "施某", id_number("330122", "19900611", "032"), "", "", "否", "", "", ""),
]

CENTRAL_HEADERS = ["序号", "线索编号", "受理日期", "反映内容 ", "涉及领域", "涉及　地区", "被反映人姓名", "被反映人\n身份证号",
                   "被反映组织名称", "统一社会\n信用代码", "是否实名", "举报人姓名", "举报人\n身份证号", "举报人联系电话 "]


def freeze(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so the committed bytes do not change from run to run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2026, 3, 10, 9, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-03-10T09:00:00Z", content)
            target.writestr(member, content)
    return out.getvalue()


def save(workbook: Workbook, name: str) -> None:
    workbook.properties.creator = "qicha tests"
    workbook.properties.created = workbook.properties.modified = FIXED
    buffer = io.BytesIO()
    workbook.save(buffer)
    (HERE / name).write_bytes(freeze(buffer.getvalue()))


def central_batch() -> None:
    workbook = Workbook()
    old = workbook.active
    old.title = "旧版清单"
    old.append(["线索编号", "受理日期", "反映内容", "涉及领域"])
    old.append(["OLD-1", "2026-02-30", "", "拆迁"])  # would be errors if read: proves hidden sheets are skipped
    old.sheet_state = "hidden"
    scratch = workbook.create_sheet("工作底稿")
    scratch.append(["线索编号", "受理日期", "反映内容", "涉及领域"])
    scratch.append(["TMP-1", "不是日期", "草稿", "其它"])
    scratch.sheet_state = "veryHidden"

    sheet = workbook.create_sheet("交办清单")
    width = len(CENTRAL_HEADERS)
    sheet.append(["中央扫黑除恶第5督导组交办线索清单（第3批）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["交办单位：中央扫黑除恶第5督导组　　　　　　交办日期：2026年3月10日"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append(CENTRAL_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for number, row in enumerate(ROWS, start=1):
        if number == 11:
            sheet.append(["", "  ", None, "　"])  # looks empty, is "empty": skipped (row 14)
        sheet.append([number, *row])
        excel_row = sheet.max_row
        date_cell = sheet.cell(row=excel_row, column=3)
        if isinstance(row[1], datetime):
            date_cell.number_format = "yyyy-mm-dd"
        for column in (8, 10, 13, 14):
            if isinstance(sheet.cell(row=excel_row, column=column).value, str):
                sheet.cell(row=excel_row, column=column).number_format = "@"
        for cell in sheet[excel_row]:
            cell.border = BOX
    for _ in range(3):  # formatted but empty rows after the list, as Excel users leave them
        sheet.append([None] * width)
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
    sheet.freeze_panes = "A4"
    for letter, size in zip("ABCDEFGHIJKLMN", (6, 12, 12, 50, 10, 18, 10, 20, 26, 22, 8, 10, 20, 16), strict=True):
        sheet.column_dimensions[letter].width = size
    save(workbook, "central_batch_20.xlsx")


BAD_HEADERS = ["线索编号*", "受理日期*", "反映内容*", "涉及领域*", "涉及地区", "被反映人姓名", "被反映人身份证号",
               "被反映组织名称", "统一社会信用代码", "是否实名", "举报人姓名", "举报人身份证号", "举报人联系电话"]
GOOD_ID = id_number("110102", "19700101", "011")
BAD_CHECKSUM = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")


def bad_rows() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "线索清单"
    sheet.append(BAD_HEADERS)
    blank = [""] * 9
    sheet.append(["BAD-001", "2026-03-02", "反映某村低保评议不公开。", "低保", "城西区", *blank])               # row 2: good
    sheet.append(["BAD-002", "2026-02-30", "反映某殡仪馆乱收费。", "殡葬", "城东区", *blank])                 # row 3: no such date
    sheet.append(["BAD-003", "2026-03-03", "反映某协会强收会费。", "社会组织", "南山县", "张某", BAD_CHECKSUM,
                  "", "", "否", "", "", ""])                                                                      # row 4: checksum
    sheet.append(["BAD-004", "2026-03-03", "  ", "基层组织", "北湖县", *blank])                                # row 5: no content
    sheet.append(["BAD-005", "2026-03-04", "反映某地强拆。", "拆迁", "北湖县", *blank])                         # row 6: unknown domain
    sheet.append(["BAD-001", "2026-03-04", "重复编号的一行。", "低保", "城西区", *blank])                       # row 7: duplicate
    sheet.append(["BAD-006", "2026-03-05", "实名举报却未留联系方式。", "低保", "城西区", "", "", "", "", "是",
                  "李某", "", ""])                                                                                # row 8: no contact
    sheet.append(["BAD-007", "2026-03-05", "另一条没有问题的线索。", "殡葬", "南山县", *blank])                 # row 9: good
    save(workbook, "bad_rows.xlsx")


def not_excel() -> None:
    (HERE / "not_excel.xlsx").write_bytes("线索编号,受理日期,反映内容\nX-1,2026-03-05,这不是 Excel 文件\n".encode())


def libreoffice_copy() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not installed: central_batch_20_libreoffice.xlsx not made")
        return
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", folder,
                        str(HERE / "central_batch_20.xlsx")], check=True, capture_output=True)
        shutil.copy(Path(folder) / "central_batch_20.xlsx", HERE / "central_batch_20_libreoffice.xlsx")


if __name__ == "__main__":
    central_batch()
    bad_rows()
    not_excel()
    libreoffice_copy()
