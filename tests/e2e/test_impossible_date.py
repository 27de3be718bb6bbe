"""In Chromium: an impossible date typed into a date field stays there and is refused by name; the calendar starts
its weeks on Monday (周一)."""

import pytest

pytestmark = pytest.mark.e2e


def test_impossible_date_is_kept_and_refused(page_for, screenshot, e2e_demo):
    page = page_for("liaison_chengdong")
    page.goto(page.url.rstrip("/") + "/problems/new/")
    page.fill("#id_description", "日期写错的问题")
    page.fill("#id_measures", "立行立改")
    page.locator("input[name=rectification_type][value=immediate]").check()

    # The calendar opens on the date field with Monday first.
    page.click("#id_deadline")
    calendar = page.locator(".flatpickr-calendar.open")
    calendar.wait_for()
    assert calendar.locator(".flatpickr-weekday").first.inner_text().strip() == "周一"
    page.keyboard.press("Escape")

    page.fill("#id_deadline", "2026-02-30")
    page.keyboard.press("Escape")
    assert page.input_value("#id_description") == "日期写错的问题"
    page.get_by_role("button", name="保存").click()
    page.get_by_text("日期不存在：2026-02-30").first.wait_for()
    assert page.input_value("#id_deadline") == "2026-02-30"
    assert "/problems/new/" in page.url
    screenshot(page, "impossible-date")
