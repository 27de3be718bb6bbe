"""In Chromium: 城西's liaison prepares this month's report and sends it to the unit leader, who approves it (the
snapshot is frozen); the office sees the units × months matrix, opens 城西's report and returns it with a reason;
the liaison sees the reason (R-REP-1)."""

import shutil
from pathlib import Path

import pytest

from ..conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

UNIT = "城西区民政局"
REASON = "线索核查台账未填写核查结论，请补充后重新报送。"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_monthly_report_flow(page_for, screenshot, e2e_demo):
    from qicha.reporting.demo import load_reporting_demo
    from qicha.reporting.models import Submission

    load_reporting_demo(DEMO_PASSWORD)

    liaison = page_for("liaison_chengxi")
    liaison.on("dialog", lambda dialog: dialog.accept())
    liaison.locator("a.nav-link[href=\"/reporting/\"]").click()  # the sidebar entry (the 工作台 to-do names the month too)
    card = liaison.get_by_test_id("own-report")
    assert "本期报送" in card.inner_text() and "未报" in card.get_by_test_id("own-state").inner_text()
    card.locator("textarea[name=note]").fill("本月新增查摆问题2个，整改完成1个；线索核查均在时限内。")
    card.get_by_test_id("submit-report").click()
    liaison.wait_for_load_state()
    assert "已报单位领导审核" in liaison.locator(".alert-success").inner_text()
    assert "待领导审核" in liaison.get_by_test_id("own-state").inner_text()
    screenshot(liaison, "reporting-liaison-pending")

    leader = page_for("leader_chengxi")
    leader.goto(liaison.url)
    leader.get_by_test_id("approve-button").click()
    leader.wait_for_load_state()
    assert "已审核通过并报送" in leader.locator(".alert-success").inner_text()
    assert "一致" in leader.get_by_test_id("verify").inner_text()

    office = page_for("office")
    office.locator("a.nav-link[href=\"/reporting/\"]").click()
    matrix = office.get_by_test_id("report-matrix")
    row = matrix.locator(f'tr[data-unit="{UNIT}"]')
    assert "已报待接收" in row.inner_text() and "按时" in row.inner_text()
    assert "逾期" in matrix.inner_text() and "退回" in matrix.inner_text() and "已接收" in matrix.inner_text()
    path = screenshot(office, "reporting-matrix")
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, DOCS / "reporting-matrix.png")
    row.locator('td[data-state="submitted"]').last.get_by_test_id("matrix-cell").click()
    office.wait_for_url("**/reporting/submissions/*/")
    assert "SM3" in office.get_by_test_id("digest").inner_text()
    form = office.get_by_test_id("return-form")
    form.locator("textarea[name=reason]").fill(REASON)
    form.get_by_role("button", name="退回").click()
    office.wait_for_load_state()
    assert "已退回" in office.locator(".alert-success").inner_text()
    screenshot(office, "reporting-submission-returned")

    liaison.goto(liaison.url.split("/reporting/")[0] + "/reporting/")
    assert REASON in liaison.get_by_test_id("return-reason").inner_text()
    assert "退回" in liaison.get_by_test_id("own-state").inner_text()
    screenshot(liaison, "reporting-liaison-returned")
    assert Submission.objects.get(unit__name=UNIT, status="returned").return_reason == REASON
