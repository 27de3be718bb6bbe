"""In Chromium: a leader-instructed case from registration to 销号, refused until its 一案一整治 record is complete
(R-CAS-1..2)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qicha.orgs.demo import MINIMAL_PDF

pytestmark = pytest.mark.e2e

CASE_NAME = "领导批示：某殡葬服务机构强买强卖案"


def test_case_lifecycle(page_for, screenshot, e2e_demo, tmp_path):
    from qicha.clues.models import Case
    from qicha.problems.models import Problem

    record_file = tmp_path / "询问笔录.pdf"
    record_file.write_bytes(MINIMAL_PDF)
    today = timezone.localdate()

    office = page_for("office")
    office.get_by_role("link", name="案件督办").click()
    office.get_by_role("link", name="登记案件").click()
    office.fill("#id_name", CASE_NAME)
    office.select_option("#id_source", "leader_instruction")
    office.fill("#id_reference_no", "批〔2026〕7号")
    office.locator("#id_unit-ts-control").fill("城西区民政局")
    office.locator(".ts-dropdown").get_by_role("option", name="城西区民政局", exact=True).click()
    expect(office.locator("#id_unit option:checked")).to_have_text("城西区民政局")
    office.fill("#id_summary", "群众反映某殡葬服务机构强制丧属购买高价殡葬用品。")
    office.fill("#id_instruction", "请市民政局牵头，会同公安机关彻查，一查到底。")
    office.fill("#id_received_date", today.isoformat())
    office.keyboard.press("Escape")  # close the date picker before saving
    expect(office.locator("#id_summary")).to_have_value("群众反映某殡葬服务机构强制丧属购买高价殡葬用品。")
    screenshot(office, "30-case-register")
    office.get_by_role("button", name="保存").click()
    # /cases/new/ matches "**/cases/*/" too: wait for the new case's own page (a loaded CI may take its time).
    office.wait_for_url(re.compile(r".*/cases/\d+/$"), timeout=60_000)
    assert "已登记案件" in office.locator(".alert-success").inner_text()
    assert "待办理" in office.get_by_test_id("case-status").inner_text()
    case_url = office.url

    liaison = page_for("liaison_chengxi")
    liaison.get_by_role("link", name="案件督办").click()
    liaison.get_by_test_id("case-table").get_by_role("link", name=CASE_NAME).click()
    liaison.get_by_role("button", name="开始办理").click()
    assert "办理中" in liaison.get_by_test_id("case-status").inner_text()
    liaison.fill("#id_text", "已约谈机构负责人，调取近一年销售台账。")
    liaison.set_input_files("#id_files", str(record_file))
    liaison.get_by_role("button", name="保存进展").click()
    assert "询问笔录.pdf" in liaison.get_by_test_id("progress-entry").first.inner_text()
    liaison.fill("#conclusion", "查实强买强卖行为，已移送公安机关并责令停业整顿。")
    liaison.get_by_test_id("conclude-form").get_by_role("button", name="办结").click()
    assert "已办结" in liaison.get_by_test_id("case-status").inner_text()
    screenshot(liaison, "31-case-concluded")

    office.goto(case_url)
    office.get_by_test_id("close-form").get_by_role("button", name="销号").click()
    refusal = office.get_by_test_id("action-error").inner_text()
    assert "暴露的行业监管漏洞" in refusal and "整治措施" in refusal
    assert "“一案一整治”记录不完整，不能销号" in office.locator(".alert-danger").first.inner_text()
    assert Case.objects.get(name=CASE_NAME).status == "concluded"
    screenshot(office, "32-case-close-refused")

    liaison.goto(case_url)
    liaison.fill("#id_rect-gap", "殡葬服务机构收费监管缺位，价格公示与抽查制度未落实。")
    liaison.fill("#id_rect-measures", "全市殡葬服务机构收费专项检查；建立季度抽查与公示制度。")
    liaison.get_by_role("button", name="保存“一案一整治”记录").click()
    assert "已保存" in liaison.locator(".alert-success").inner_text()
    liaison.fill("#id_problem-description", "殡葬服务收费公示不规范，丧属知情权未保障。")
    liaison.fill("#id_problem-measures", "统一制作收费公示牌，公开投诉电话。")
    liaison.fill("#id_problem-deadline", (today + timedelta(days=15)).isoformat())
    liaison.locator("#id_problem-measures").click()  # leave the date field, as a person would
    liaison.get_by_role("button", name="立整改问题").click()
    assert "已立整改问题" in liaison.locator(".alert-success").inner_text()
    linked = liaison.get_by_test_id("rectification-problems").inner_text()
    assert "殡葬服务收费公示不规范" in linked and "待整改" in linked
    screenshot(liaison, "33-case-rectification")
    problem = Problem.objects.get(description__startswith="殡葬服务收费公示不规范")
    assert (problem.source, problem.rectification_type, problem.unit.name) == ("case_analysis", "immediate", "城西区民政局")

    office.goto(case_url)
    office.get_by_test_id("close-form").get_by_role("button", name="销号").click()
    assert "已销号" in office.get_by_test_id("case-status").inner_text()
    timeline = office.get_by_test_id("timeline").inner_text()
    for step in ("登记案件", "开始办理", "填报办理进展", "办结", "填写“一案一整治”记录", "立整改问题", "销号"):
        assert step in timeline, step
    screenshot(office, "34-case-closed")

    office.goto(case_url.split("/cases/")[0] + "/problems/?source=case_analysis")
    assert office.locator(f"tr[data-problem='{problem.pk}']").is_visible()
