"""In Chromium: 城西's liaison downloads the problem-ledger template, fills it in, uploads it with mistakes and sees
each one located (sheet, row, column); fixes the file, watches the check run as a job, previews, confirms (another
job) and finds the problems in the ledger."""

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.e2e

ROWS = [
    ["", "城西区民政局", "（一）领导责任落实", "自查发现", "", "导入测试：党组研究扫黑除恶工作频次不足。", "工作落实",
     "立即整改", "党组每季度专题研究1次。", "2026-12-31", "", "李某某", "办公室", "城西联络员"],
    ["", "城西区民政局社会救助股", "（五）行业监管问题整治", "督导检查发现", "", "导入测试：低保动态管理不到位。", "低保",
     "限期整改", "逐户核查，不符合条件的停发。", "2026-02-30", "2026-12-01 完成逐户核查", "王某", "社会救助股", ""],
    ["", "城东区民政局", "", "群众反映", "", "导入测试：写错了单位的问题。", "", "立即整改", "立行立改。",
     "2026年12月30日", "", "", "", ""],
]


def fill_template(template_path, target, rows):
    workbook = load_workbook(template_path)
    sheet = workbook["问题整改台账"]
    for row in rows:
        sheet.append(row)
    workbook.save(target)


def open_result(page):
    """The job's progress page; once done, its 查看结果 link leads on."""
    page.wait_for_url("**/jobs/*/")
    progress = page.get_by_test_id("job-progress")
    assert progress.get_attribute("data-status") in ("queued", "running", "done")
    page.get_by_test_id("job-next").wait_for()
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    return progress


def test_liaison_imports_the_problem_ledger(page_for, screenshot, live_server, tmp_path):
    liaison = page_for("liaison_chengxi")
    liaison.get_by_role("link", name="问题整改").first.click()
    liaison.get_by_test_id("import").click()
    liaison.wait_for_url("**/problems/import/")
    assert "下载导入模板" in liaison.get_by_test_id("import-template").inner_text()
    assert "全部成功，要么一条也不登记" in liaison.get_by_test_id("import-instructions").inner_text()
    with liaison.expect_download() as downloaded:
        liaison.get_by_test_id("import-template").click()
    template = tmp_path / "模板.xlsx"
    downloaded.value.save_as(template)
    assert downloaded.value.suggested_filename == "问题整改台账导入模板.xlsx"
    assert load_workbook(template).sheetnames == ["问题整改台账", "填写说明"]

    # First attempt: a date that does not exist and a unit that is not 城西's.
    wrong = tmp_path / "城西问题台账.xlsx"
    fill_template(template, wrong, ROWS)
    liaison.set_input_files("#id_file", str(wrong))
    liaison.get_by_test_id("import-submit").click()
    open_result(liaison)
    screenshot(liaison, "problem-import-1-job")
    liaison.get_by_test_id("job-next").click()
    liaison.wait_for_url("**/problems/import/*/")
    errors = liaison.get_by_test_id("import-errors").locator("tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().split("\t") == [
        "问题整改台账", "第3行", "J列（整改时限）", "日期不存在：2026-02-30"]
    assert errors.nth(1).inner_text().split("\t") == [
        "问题整改台账", "第4行", "B列（责任单位）", "“城东区民政局”不是您可以登记问题的单位，请从下拉列表中选择"]
    assert liaison.get_by_test_id("count-errors").inner_text() == "错误 2 处"
    assert liaison.get_by_test_id("confirm-form").count() == 0
    screenshot(liaison, "problem-import-2-errors")

    # Fixed: the right date, and the row for 城东 belongs to 城西's 基层政权股 after all.
    ROWS[1][9] = "2026-12-20"
    ROWS[2][1] = "城西区民政局基层政权股"
    fixed = tmp_path / "城西问题台账（改）.xlsx"
    fill_template(template, fixed, ROWS)
    liaison.get_by_test_id("cancel-import").click()
    liaison.wait_for_url("**/problems/import/")
    liaison.set_input_files("#id_file", str(fixed))
    liaison.get_by_test_id("import-submit").click()
    open_result(liaison)
    liaison.get_by_test_id("job-next").click()
    liaison.wait_for_url("**/problems/import/*/")
    assert liaison.get_by_test_id("count-ok").inner_text() == "可导入 3 条"
    assert liaison.get_by_test_id("count-errors").inner_text() == "错误 0 处"
    assert liaison.get_by_test_id("import-rows").locator("tbody tr[data-status=ok]").count() == 3
    screenshot(liaison, "problem-import-3-preview")
    liaison.once("dialog", lambda dialog: dialog.accept())  # "确认导入 3 个问题？…"
    liaison.get_by_test_id("confirm-import").click()
    liaison.wait_for_url("**/jobs/*/")
    liaison.get_by_test_id("job-link").wait_for()  # the page stays on the outcome, with a button to the ledger
    assert "已导入 3 个问题" in liaison.get_by_test_id("job-message").inner_text()
    screenshot(liaison, "problem-import-4-done")
    liaison.get_by_test_id("job-link").click()
    liaison.wait_for_url("**/problems/")
    liaison.goto(f"{live_server.url}/problems/?q=导入测试")
    table = liaison.get_by_test_id("problem-table").inner_text()
    for description in ("党组研究扫黑除恶工作频次不足", "低保动态管理不到位", "写错了单位的问题"):
        assert description in table
    screenshot(liaison, "problem-import-4-ledger")
