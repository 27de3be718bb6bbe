"""In Chromium: the office plans a 随机抽查 and draws it (the seed shown and re-checked), records a finding on the
drawn unit, and that unit's liaison finds it as a problem on their 工作台 and in 问题整改 (R-SUP-3)."""

import re

import pytest
from playwright.sync_api import expect

from ..conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

FINDING = "城东区民政局低保审批档案缺少入户调查记录"


def test_random_inspection_draw_and_finding(page_for, screenshot, e2e_demo, live_server):
    from qicha.problems.models import Problem
    from qicha.supervision.demo_inspectors import load_demo_inspectors
    from qicha.supervision.models import Inspection

    load_demo_inspectors(DEMO_PASSWORD)

    office = page_for("office")
    office.get_by_role("link", name="督导检查").first.click()
    office.locator("a.card-link", has_text="专项督查、联合督查").click()
    office.get_by_role("link", name="随机抽查").click()
    office.fill("#id_title", "2026年第一次随机抽查：低保与社会救助")
    office.fill("#id_focus", "低保审核审批、特困人员供养")
    # Narrow the candidates to one unit, so the draw surely includes the unit whose liaison checks below.
    office.locator("#id_candidates-ts-control").fill("城东区民政局")
    office.locator(".ts-dropdown").get_by_role("option", name="城东区民政局", exact=True).click()
    office.keyboard.press("Escape")
    # The choice must have reached the form before it is sent (under a loaded CI the widget can lag behind the click).
    expect(office.locator("#id_candidates option:checked")).to_have_text("城东区民政局")
    office.fill("#id_count", "1")
    office.fill("#id_per_unit", "2")
    screenshot(office, "60-inspection-random-plan")
    office.get_by_role("button", name="保存计划并抽签").click()
    office.wait_for_url(re.compile(r".*/supervision/inspections/\d+/$"), timeout=60_000)
    assert "完成抽签" in office.locator(".alert-success").inner_text()
    seed = office.get_by_test_id("draw-seed").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{16}", seed)
    assert "城东区民政局" in office.get_by_test_id("targets").inner_text()
    inspection = Inspection.objects.get(title="2026年第一次随机抽查：低保与社会救助")
    assert inspection.draw.seed == seed and list(inspection.targets.values_list("unit__name", flat=True)) == ["城东区民政局"]
    drawn = office.get_by_test_id("draw-assignments").inner_text()
    assert "褚督导" not in drawn  # the 城东 inspector is not sent to 城东
    office.get_by_test_id("verify-draw").click()
    expect(office.get_by_test_id("verify-result")).to_contain_text("一致")
    screenshot(office, "61-inspection-drawn")

    office.get_by_test_id("start-form").get_by_role("button", name="开始检查").click()
    expect(office.get_by_test_id("inspection-status")).to_contain_text("实施中")
    form = office.get_by_test_id("finding-form")
    form.locator("#id_finding-description").fill(FINDING)
    form.locator("#id_finding-measures").fill("立即补齐入户调查记录，对近一年新增低保户逐户复核。")
    office.locator("#id_finding-responsible_person-ts-control").fill("城东联络员")
    office.locator(".ts-dropdown").get_by_role("option", name=re.compile("城东联络员")).click()
    office.keyboard.press("Escape")
    form.locator("#id_finding-measures").click()  # leave the chooser, as a person would
    form.get_by_role("button", name="登记并转入整改台账").click()

    expect(office.locator(".alert-success")).to_contain_text("已登记发现的问题")
    target = inspection.targets.get()
    rating = office.get_by_test_id(f"rating-form-{target.pk}")
    rating.locator("select").select_option("fair")
    rating.locator("textarea").fill("台账基本齐全，入户调查记录缺失。")
    rating.get_by_role("button", name="保存评价").click()
    expect(office.locator(".alert-success")).to_contain_text("已记录")
    assert "一般" in office.get_by_test_id("targets").inner_text()
    findings = office.get_by_test_id("findings").inner_text()
    assert FINDING in findings and "待整改" in findings
    screenshot(office, "62-inspection-finding")
    problem = Problem.objects.get(description=FINDING)
    assert (problem.source, problem.unit.name) == ("inspection", "城东区民政局")

    office.goto(f"{live_server.url}/supervision/inspections/risk/")
    assert "w = 1 +" in office.get_by_test_id("formula").inner_text()
    screenshot(office, "64-risk-settings")

    liaison = page_for("liaison_chengdong")
    assigned = liaison.get_by_test_id("todo-assigned")
    assert FINDING[:20] in assigned.inner_text()
    screenshot(liaison, "63-liaison-workbench")
    liaison.get_by_role("link", name="问题整改").click()
    liaison.select_option("#f-source", "inspection")
    liaison.get_by_role("button", name="筛选").click()
    liaison.wait_for_url(re.compile(r".*source=inspection.*"))
    expect(liaison.get_by_test_id("problem-table")).to_contain_text(FINDING[:20])
    screenshot(liaison, "65-liaison-problem-ledger")
