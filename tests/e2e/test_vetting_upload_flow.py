"""In Chromium: the 区公安分局's 联审 account opens its round from the sidebar (the only business entry it has),
downloads its department's sheet, fills it in with one mistake, uploads it and sees the error located (sheet, row,
column) with nothing saved; fixes it, uploads again and finds every answer recorded and one candidate objected to."""

import pytest
from openpyxl import load_workbook

from qicha.vetting.models import Opinion

from ..test_vetting_rounds import open_round

pytestmark = pytest.mark.e2e


def fill(path, target, *, objection_ground: str):
    book = load_workbook(path)
    sheet = book.active
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value in ("序号*", "序号"))
    headers = {sheet.cell(header_row, c).value.rstrip("*"): c for c in range(1, sheet.max_column + 1)
               if sheet.cell(header_row, c).value}
    for r in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(r, 1).value in (None, ""):
            continue
        number = int(sheet.cell(r, 1).value)
        if number == 6:
            sheet.cell(r, headers["意见"]).value = "有异议"
            sheet.cell(r, headers["异议依据"]).value = objection_ground
            sheet.cell(r, headers["备注"]).value = "2018年因故意伤害罪被判处有期徒刑"
        else:
            sheet.cell(r, headers["意见"]).value = "无异议"
    book.save(target)
    return header_row


def test_a_department_answers_by_uploading_its_sheet(e2e_demo, page_for, screenshot, tmp_path):
    round_ = open_round()
    police = round_.departments.get(name="区公安分局")
    page = page_for("t_dept_b")
    nav = page.locator("aside, nav").first.inner_text()
    assert "村“两委”联审" in nav and "问题整改" not in nav
    page.get_by_role("link", name="村“两委”联审").first.click()
    page.get_by_role("link", name="答复意见").click()
    page.wait_for_url(f"**/vetting/{round_.pk}/departments/{police.pk}/")
    with page.expect_download() as downloaded:
        page.get_by_test_id("department-sheet").click()
    sheet = tmp_path / "意见表.xlsx"
    downloaded.value.save_as(sheet)

    wrong = tmp_path / "有误.xlsx"
    header_row = fill(sheet, wrong, objection_ground="")
    page.get_by_test_id("upload-file").set_input_files(str(wrong))
    page.get_by_test_id("upload-submit").click()
    errors = page.get_by_test_id("import-errors").inner_text()
    assert f"第{header_row + 6}行" in errors and "异议依据" in errors and "未导入任何" in errors
    assert not Opinion.objects.exists()

    right = tmp_path / "意见表-已填.xlsx"
    fill(sheet, right, objection_ground="受过刑事处罚")
    page.get_by_test_id("upload-file").set_input_files(str(right))
    page.get_by_test_id("upload-submit").click()
    page.get_by_text("已导入联审意见 20 条").wait_for()
    assert "已答复 20 / 20" in page.get_by_test_id("answered").inner_text()
    row = page.locator('tr[data-candidate="6"]')
    assert "有异议（受过刑事处罚）" in row.inner_text()
    screenshot(page, "vetting-department-upload")
    assert Opinion.objects.filter(department=police).count() == 20
    assert Opinion.objects.get(department=police, candidate__number=6).ground == "criminal"
