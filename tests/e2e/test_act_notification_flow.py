"""In Chromium: the office returns a problem; its owner's liaison learns of it the minute it happens — the bell,
the message with the reason, and the 被退回 card on the 工作台 showing that reason (issue 14 item 1)."""

import pytest

from ..problem_helpers import bring_to, register

pytestmark = pytest.mark.e2e

REASON = "佐证材料缺少整改前后对比照片"


def test_liaison_learns_of_a_return_with_its_reason(page_for, screenshot, e2e_demo):
    problem = bring_to(register(e2e_demo, description="低保档案缺少入户调查记录"), "submitted")

    office = page_for("office")
    office.goto(f"{office.url.rstrip('/')}/problems/{problem.pk}/")
    office.fill("#reason-return", REASON)
    office.get_by_role("button", name="退回").click()
    assert "已退回" in office.locator(".alert-success").inner_text()

    liaison = page_for("liaison_chengdong")
    assert liaison.get_by_test_id("notify-badge").inner_text() == "1"
    returned = liaison.get_by_test_id("todo-returned")
    assert REASON in returned.inner_text()
    screenshot(liaison, "act-notice-returned-card")
    liaison.get_by_test_id("notify-bell").click()
    liaison.wait_for_url("**/notifications/")
    message = liaison.get_by_test_id("notification").first
    assert "被退回" in message.inner_text() and REASON in message.inner_text()
    screenshot(liaison, "act-notice-inbox")
