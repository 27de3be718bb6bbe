"""In Chromium: a 限期整改 problem from registration to 销号, with a return on the way (R-PRB-1..5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.orgs.demo import MINIMAL_PDF

pytestmark = pytest.mark.e2e


def counter(page, name) -> int:
    return int(page.get_by_test_id(f"counter-{name}").inner_text())


def test_problem_lifecycle(page_for, screenshot, e2e_demo, tmp_path):
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    milestone = (timezone.localdate() + timedelta(days=10)).isoformat()

    office = page_for("office")
    closed_before = counter(office, "closed")

    liaison = page_for("liaison_chengdong")
    liaison.get_by_role("link", name="去填报").click()
    first = liaison.get_by_test_id("self-inspection-item").first
    first.get_by_role("link", name="填报").click()
    liaison.fill("#id_statement", "局主要领导带头部署；查摆出：乡镇民政所线索台账不完整。")
    liaison.get_by_role("button", name="保存").click()
    liaison.get_by_test_id("self-inspection-item").first.get_by_test_id("register-problem").click()

    liaison.fill("#id_description", "乡镇民政所涉黑涉恶线索台账不完整，部分线索未登记。")
    assert liaison.locator("input[name=rectification_type][value=deadline]").is_checked()
    liaison.fill("#id_measures", "逐所核对线索台账，补登遗漏线索，建立月度核对制度。")
    liaison.fill("#id_deadline", deadline)
    liaison.fill("#id_responsible_leader", "张副局长")
    liaison.fill("#id_responsible_person_name", "刘明")  # anyone: 销号 needs a named 责任人
    liaison.fill("#id_milestones", f"{milestone} 完成各所台账核对")
    screenshot(liaison, "10-register-problem")
    liaison.get_by_role("button", name="保存").click()
    liaison.wait_for_url("**/problems/*/")
    assert "已登记问题" in liaison.locator(".alert-success").inner_text()
    problem_url = liaison.url

    liaison.fill("#id_text", "已完成8个乡镇所的台账核对，补登线索3条。")
    liaison.fill("#id_percent", "80")
    liaison.set_input_files("#id_files", str(evidence))
    liaison.get_by_role("button", name="保存进展").click()
    assert "整改报告.pdf" in liaison.get_by_test_id("progress-entry").first.inner_text()
    liaison.get_by_role("button", name="申请销号").click()
    assert "申请销号" in liaison.get_by_test_id("problem-status").inner_text()
    screenshot(liaison, "11-submitted")

    office.goto(office.url)  # back to the workbench: the problem waits for review
    review = office.get_by_test_id("todo-to_review")
    review.get_by_role("link").filter(has_text="乡镇民政所").click()
    office.fill("#reason-return", "佐证材料只有核对报告，缺少补登线索的登记表。")
    office.get_by_role("button", name="退回").click()
    assert "已退回" in office.locator(".alert-success").inner_text()

    liaison.goto(liaison.url.split("/problems/")[0] + "/")
    returned = liaison.get_by_test_id("todo-returned")
    assert returned.get_by_test_id("todo-count").inner_text() == "1"
    screenshot(liaison, "12-returned-on-workbench")
    returned.get_by_role("link").filter(has_text="乡镇民政所").click()
    assert "缺少补登线索的登记表" in liaison.get_by_test_id("return-reason").inner_text()
    liaison.fill("#id_text", "补充线索登记表3份。")
    liaison.fill("#id_percent", "100")
    liaison.set_input_files("#id_files", str(evidence))
    liaison.get_by_role("button", name="保存进展").click()
    liaison.get_by_role("button", name="申请销号").click()

    office.goto(problem_url)
    form = office.get_by_test_id("sign-off-form")
    form.get_by_role("button", name="销号").click()  # nothing ticked: refused, in Chinese
    assert "以下“不放过”尚未确认" in office.get_by_test_id("sign-off-form").inner_text()
    screenshot(office, "13a-sign-off-refused")
    for label in ("问题查清", "整改到位", "责任落实", "群众满意", "漏洞堵住", "短板补齐"):
        office.get_by_test_id("sign-off-form").get_by_label(f"{label}不放过").check()
    office.fill("#id_opinion", "整改到位，佐证齐全，同意销号。")
    screenshot(office, "13-sign-off")
    office.get_by_test_id("sign-off-form").get_by_role("button", name="销号").click()
    assert "已销号" in office.get_by_test_id("problem-status").inner_text()
    screenshot(office, "14-closed")

    office.goto(problem_url.split("/problems/")[0] + "/")
    assert counter(office, "closed") == closed_before + 1
    office.goto(problem_url.split("/problems/")[0] + "/campaigns/coverage/")
    row = office.locator("tr[data-unit='城东区民政局']")
    assert row.locator("td[data-state]").first.get_attribute("data-state") == "problems"


def test_an_impossible_date_is_refused_not_rolled_over(page_for, e2e_demo, screenshot):
    from qicha.problems.models import Problem

    page = page_for("liaison_chengxi")
    page.goto(page.url + "problems/new/")
    page.fill("#id_description", "日期校验")
    page.fill("#id_measures", "无")
    page.check("input[name=rectification_type][value=immediate]")
    page.fill("#id_deadline", "2026-02-30")
    page.locator("#id_measures").click()  # leave the date field, as a person would
    page.get_by_role("button", name="保存").click()
    assert page.get_by_test_id("form-error").is_visible()
    screenshot(page, "15-impossible-date")
    assert not Problem.objects.filter(description="日期校验").exists()
