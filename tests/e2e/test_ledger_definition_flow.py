"""In Chromium: the office defines a new ledger from an Excel header row (types guessed, one corrected), a district
liaison fills two rows on the generated form and imports ten more from the ledger's own template, and the office
sees all twelve and exports them."""


import pytest
from openpyxl import Workbook, load_workbook

pytestmark = pytest.mark.e2e

HEADER = ["序号", "组织名称", "发现日期", "涉及金额（元）", "问题类别", "是否办结"]


def header_file(path):
    book = Workbook()
    book.active.append(["养老机构乱象排查情况统计表"])
    book.active.append(HEADER)
    book.save(path)


def open_job(page):
    page.wait_for_url("**/jobs/*/")
    page.get_by_test_id("job-download").wait_for(timeout=60_000)
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert page.get_by_test_id("job-message").inner_text() == "已导出 12 行"


def test_office_defines_liaison_fills_and_imports_office_exports(page_for, screenshot, tmp_path):
    office = page_for("office")
    office.get_by_role("link", name="专项治理台账").first.click()
    office.wait_for_url("**/ledgers/")
    office.get_by_test_id("define-from-excel").click()
    source = tmp_path / "养老机构排查表.xlsx"
    header_file(source)
    office.get_by_test_id("header-file").set_input_files(str(source))
    office.get_by_test_id("header-submit").click()
    editor = office.get_by_test_id("column-editor")
    editor.wait_for()
    assert office.locator("[name=col-1-type]").input_value() == "date"
    assert office.locator("[name=col-2-type]").input_value() == "amount"
    assert office.locator("[name=col-4-type]").input_value() == "yesno"
    office.locator("[name=col-3-type]").select_option("choice")
    office.locator("[name=col-3-options]").fill("消防安全、食品安全、非法集资")
    office.locator("[name=col-0-required]").check()
    office.get_by_test_id("preview").click()
    office.get_by_test_id("form-preview").wait_for()
    assert "非法集资" in office.get_by_test_id("form-preview").inner_text()
    screenshot(office, "ledger-define-1-from-excel")
    office.get_by_test_id("save-definition").click()
    office.wait_for_url("**/ledgers/*/")
    key = office.url.rstrip("/").rsplit("/", 1)[1]

    liaison = page_for("liaison_chengdong")
    liaison.get_by_role("link", name="专项治理台账").first.click()
    liaison.get_by_role("link", name="养老机构排查表").first.click()
    liaison.wait_for_url(f"**/ledgers/{key}/")
    for name, kind in (("城东区某养老院", "消防安全"), ("城东区某托老所", "非法集资")):
        liaison.get_by_test_id("new-row").click()
        liaison.wait_for_url(f"**/ledgers/{key}/new/")
        liaison.get_by_label("组织名称").fill(name)
        liaison.get_by_label("涉及金额（元）").fill("12000")
        liaison.get_by_label("问题类别").select_option(kind)
        liaison.get_by_label("是否办结").select_option("否")
        liaison.get_by_label("发现日期").fill("2026-03-05")
        liaison.keyboard.press("Escape")
        liaison.locator("h2.page-title").click()  # a click outside closes the date picker
        liaison.locator(".flatpickr-calendar.open").wait_for(state="hidden")
        assert liaison.get_by_label("组织名称").input_value() == name
        liaison.get_by_test_id("save-row").click()
        liaison.wait_for_url(f"**/ledgers/{key}/*/")
        assert name in liaison.get_by_test_id("row-values").inner_text()
        liaison.get_by_role("link", name="养老机构排查表").last.click()
        liaison.wait_for_url(f"**/ledgers/{key}/")

    liaison.get_by_test_id("import").click()
    liaison.wait_for_url(f"**/ledgers/{key}/import/")
    with liaison.expect_download() as downloaded:
        liaison.get_by_test_id("template").click()
    template = tmp_path / "template.xlsx"
    downloaded.value.save_as(template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["填报单位*", "组织名称*", "发现日期", "涉及金额（元）", "问题类别", "是否办结"]
    for i in range(10):
        sheet.append(["城东区民政局社会救助股" if i % 2 else "城东区民政局", f"导入养老机构{i}", f"2026-04-{i + 1:02d}",
                      1000 + i, "食品安全", "是"])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    liaison.get_by_test_id("import-file").set_input_files(str(filled))
    liaison.get_by_test_id("import-submit").click()
    liaison.wait_for_url(f"**/ledgers/{key}/")
    assert liaison.get_by_test_id("row-count").inner_text() == "共 12 条"
    screenshot(liaison, "ledger-define-2-liaison-rows")

    office.goto(office.url.split("/ledgers/")[0] + f"/ledgers/{key}/?f_c4=%E9%A3%9F%E5%93%81%E5%AE%89%E5%85%A8")
    assert office.get_by_test_id("row-count").inner_text() == "共 10 条"
    office.goto(office.url.split("?")[0])
    assert office.get_by_test_id("row-count").inner_text() == "共 12 条"
    office.get_by_test_id("export").click()
    open_job(office)
    with office.expect_download() as downloaded:
        office.get_by_test_id("job-download").click()
    target = tmp_path / downloaded.value.suggested_filename
    assert target.suffix == ".xlsx"
    downloaded.value.save_as(target)
    exported = load_workbook(target).active
    rows = [r for r in exported.iter_rows(values_only=True)]
    assert "养老机构排查表" in rows[0][0]
    assert list(rows[2][:4]) == ["序号", "填报单位", "组织名称", "发现日期"]
    assert len([r for r in rows[3:] if r[0]]) == 12
