"""In Chromium: the office starts next year's campaign from the 七查七摆 template on the page, then writes the real
name into a check item (issue 14 item 5)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_office_creates_a_campaign_from_the_template(page_for, screenshot, e2e_demo, live_server):
    from qicha.campaigns.models import Campaign

    year = e2e_demo.year + 1
    office = page_for("office")
    office.goto(f"{live_server.url}/campaigns/")
    office.get_by_role("link", name="新建专项行动").click()
    office.wait_for_url("**/campaigns/new/")
    expect(office.locator("#id_source option:checked")).to_contain_text("七查七摆")
    office.fill("#id_name", f"{year}年“七查七摆”专项行动")
    office.fill("#id_year", str(year))
    office.fill("#id_document_no", f"民扫办〔{year}〕1号")
    for name in ("城东区民政局", "城西区民政局"):
        office.locator("#id_participating_units-ts-control").fill(name)
        office.locator(".ts-dropdown").get_by_role("option", name=name, exact=True).click()
    office.keyboard.press("Escape")
    expect(office.locator("#id_participating_units option:checked")).to_have_count(2)
    dates = (("deploy_start_date", f"{year}-03-01"), ("deploy_end_date", f"{year}-03-31"),
             ("rectify_start_date", f"{year}-04-01"), ("rectify_end_date", f"{year}-06-30"),
             ("consolidate_start_date", f"{year}-07-01"), ("consolidate_end_date", f"{year}-12-31"),
             ("stage_summary_due", f"{year}-06-23"), ("clue_clearance_date", f"{year}-06-30"),
             ("final_summary_due", f"{year}-12-20"))
    for field, value in dates:
        office.fill(f"#id_{field}", value)
        office.keyboard.press("Escape")
    office.locator("#id_description").click()  # away from the last date picker
    expect(office.locator("#id_name")).to_have_value(f"{year}年“七查七摆”专项行动")
    # Every typed date stayed typed: no picker or late list refresh took the focus (and the keystrokes) elsewhere.
    for field, value in dates:
        expect(office.locator(f"#id_{field}")).to_have_value(value)
    screenshot(office, "60-campaign-new")
    office.get_by_role("button", name="创建专项行动").click()
    office.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    assert "已创建" in office.locator(".alert-success").inner_text()
    expect(office.get_by_test_id("check-item")).to_have_count(7)

    office.get_by_test_id("edit-item-3").click()
    office.wait_for_url("**/items/3/edit/")
    office.fill("#id_check_text", "查对中央扫黑除恶第10督导组反馈问题的整改方案")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url(re.compile(r".*/campaigns/\d+/$"))
    expect(office.get_by_test_id("check-item").nth(2)).to_contain_text("第10督导组")
    screenshot(office, "61-campaign-created")
    campaign = Campaign.objects.get(year=year)
    assert campaign.participating_units.count() == 2 and campaign.check_items.get(ordinal=3).version == 2
