"""In Chromium: the bureau chief opens the cockpit at 1366×768, sees the red units first in the league table, clicks a
red unit's overdue figure and lands on exactly those overdue problems (R-REP-4/5)."""

import shutil
from pathlib import Path

import pytest

from ..problem_helpers import register

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NANSHAN = "南山县民政局"


def test_leader_opens_a_red_units_overdue_problems(page_for, screenshot, e2e_demo, live_server):
    for days in (-4, -9):  # with the demo's one, three overdue: a red light
        register(e2e_demo, unit_name=f"{NANSHAN}社会救助股", by="liaison_nanshan", days=days)
    leader = page_for("leader")
    refused = []  # the policy forbids inline scripts and styles: ECharts must draw without either
    leader.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    leader.set_viewport_size({"width": 1366, "height": 768})
    leader.get_by_test_id("open-cockpit").click()
    leader.wait_for_url("**/dashboard/")
    leader.locator("body[data-cockpit-ready]").wait_for()
    league = leader.get_by_test_id("panel-league_table")
    red = league.locator("tr[data-light=red]").filter(has_text=NANSHAN)
    red.wait_for()
    assert league.locator("tbody tr").first.get_attribute("data-light") == "red"
    assert "红灯：" in league.get_by_test_id("panel-note").inner_text()
    overdue = red.locator("a.cockpit-figure").first
    count = int(overdue.inner_text())
    assert count == 3
    assert leader.evaluate("document.documentElement.scrollWidth") <= 1366  # nothing overflows sideways
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(leader, "cockpit"), DOCS / "cockpit-full.png")  # test-artifacts keeps the whole page
    leader.screenshot(path=str(DOCS / "cockpit.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1366, "height": 1700})
    (DOCS / "cockpit-full.png").unlink()

    # The meeting room's big screen: full screen at 1920×1080, reloading itself.
    leader.get_by_test_id("screen-mode").click()
    leader.wait_for_url("**/dashboard/?*screen=1*")
    leader.set_viewport_size({"width": 1920, "height": 1080})
    leader.locator("body[data-cockpit-ready]").wait_for()
    assert leader.locator('meta[http-equiv="refresh"]').count() == 1
    assert leader.evaluate("document.documentElement.scrollWidth") <= 1920
    screenshot(leader, "cockpit-screen")
    leader.get_by_test_id("leave-screen").click()
    leader.wait_for_url(lambda url: "/dashboard/" in url and "screen=1" not in url)
    leader.set_viewport_size({"width": 1366, "height": 768})
    overdue = leader.get_by_test_id("panel-league_table").locator("tr[data-light=red]").filter(
        has_text=NANSHAN).locator("a.cockpit-figure").first
    overdue.click()
    leader.wait_for_url("**/problems/?*overdue=1*")
    rows = leader.locator("tr[data-problem]")
    rows.first.wait_for()
    assert rows.count() == count
    assert all(NANSHAN in text for text in rows.all_inner_texts())
    assert not refused, refused
