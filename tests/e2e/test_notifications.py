"""In Chromium: the morning's overdue digest reaches the problem's owner, who sees the badge, opens the inbox and
follows the digest to the problem; the message is then read and the badge gone (R-NTF-2)."""

import pytest
from django.utils import timezone

from ..problem_helpers import register

pytestmark = pytest.mark.e2e



def test_owner_reads_the_overdue_digest(page_for, screenshot, e2e_demo):
    from qicha.notify.models import Notification
    from qicha.problems.reminders import send_overdue_digests

    problem = register(e2e_demo, unit_name="城东区民政局社会救助股", person="handler", days=-4,
                       description="低保对象入户核查记录缺失，未按季度开展动态复核")
    register(e2e_demo, unit_name="城东区民政局社会救助股", person="handler", days=-1,
             description="困难群众救助资金发放台账未逐月公示")
    send_overdue_digests(timezone.localdate())

    page = page_for("handler")
    assert page.get_by_test_id("notify-badge").inner_text() == "1"
    assert page.get_by_test_id("nav-unread").inner_text() == "1"
    page.get_by_test_id("notify-bell").click()
    page.wait_for_url("**/notifications/")
    digest = page.get_by_test_id("notification").first
    assert "逾期提醒：您负责的 2 个问题已超过整改时限" in digest.inner_text()
    items = digest.get_by_test_id("notification-items")
    assert "已逾期 4 天" in items.locator("li").first.inner_text()  # the most overdue first
    screenshot(page, "notifications")

    items.get_by_role("button", name="低保对象入户核查记录缺失", exact=False).click()
    page.wait_for_url(f"**/problems/{problem.pk}/")
    assert "低保对象入户核查记录缺失" in page.content()
    assert page.get_by_test_id("notify-badge").count() == 0
    assert Notification.objects.get(user__username="handler").read_at is not None

    page.get_by_role("link", name="消息通知").first.click()
    assert page.get_by_test_id("notification").first.get_attribute("data-read") == "1"
    assert page.get_by_test_id("read-all").count() == 0
