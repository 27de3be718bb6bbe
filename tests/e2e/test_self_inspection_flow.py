"""In Chromium: a liaison signs in, fills one self-inspection item; the office sees it in the matrix."""

import pytest

pytestmark = pytest.mark.e2e


def test_liaison_fills_an_item_and_office_sees_it(page_for, screenshot, e2e_demo):
    page = page_for("liaison_chengdong")
    assert page.get_by_test_id("current-unit").inner_text() == "城东区民政局"
    assert page.get_by_test_id("my-filled").inner_text().startswith("0 / 7")
    screenshot(page, "01-liaison-workbench")

    page.get_by_role("link", name="去填报").click()
    page.wait_for_url("**/self-inspection/**")
    second = page.get_by_test_id("self-inspection-item").nth(1)
    assert "（二）承诺制度落实" in second.inner_text()
    second.get_by_role("link", name="填报").click()

    # First a mistake: "no problem found" without a reason is refused, in Chinese, and keeps the typing.
    page.check("#id_no_problem_found")
    page.get_by_role("button", name="保存").click()
    assert "请写明理由" in page.get_by_test_id("field-error").first.inner_text()
    screenshot(page, "02-validation-error")

    page.uncheck("#id_no_problem_found")
    page.fill("#id_statement", "已与局党组签订承诺书，设立监督电话，接受群众监督2次，未发现违诺情形。")
    page.get_by_role("button", name="保存").click()
    assert "查摆情况已保存" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("filled-count").inner_text() == "1"
    screenshot(page, "03-item-saved")

    office = page_for("office")
    office.get_by_role("link", name="查摆覆盖情况").first.click()
    office.wait_for_url("**/coverage/")
    row = office.locator("tr[data-unit='城东区民政局']")
    cells = row.locator("td[data-state]")
    assert cells.nth(1).get_attribute("data-state") == "filled"
    assert cells.nth(0).get_attribute("data-state") == "missing"
    assert office.get_by_test_id("missing-count").inner_text() == str(15 * 7 - 10)
    screenshot(office, "04-office-coverage")

    # Drill down to the filled cell.
    cells.nth(1).locator("a").click()
    assert "已与局党组签订承诺书" in office.locator(".statement").inner_text()


def test_login_failure_reads_well(browser, live_server, e2e_demo, screenshot):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.get_by_test_id("login-error").inner_text() == "用户名或密码错误，请重新输入。"
    screenshot(page, "00-login-error")
    context.close()
