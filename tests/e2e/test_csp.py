"""In Chromium: the Content-Security-Policy forbids inline styles as well as inline scripts (issue 13, finding 8),
and the pages still look and work the same — Tabler, htmx polling, Tom Select and flatpickr included."""

import pytest

pytestmark = pytest.mark.e2e


def watch_csp(page) -> list[str]:
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


def test_pages_run_under_a_csp_without_unsafe_inline(page_for, live_server):
    office = page_for("office")
    refused = watch_csp(office)
    response = office.goto(f"{live_server.url}/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    for path in ["/campaigns/coverage/", "/problems/", "/problems/feedback/", "/clues/", "/cases/", "/reporting/",
                 "/documents/", "/supervision/inspections/", "/notifications/"]:
        office.goto(f"{live_server.url}{path}")
        office.wait_for_load_state("networkidle")

    # Tom Select and flatpickr draw their pop-ups under the policy.
    office.goto(f"{live_server.url}/clues/")
    office.locator(".ts-control").first.click()
    office.locator(".ts-dropdown .option").first.wait_for()
    office.goto(f"{live_server.url}/clues/board/")
    office.locator("#cut-off").click()
    office.locator(".flatpickr-calendar.open").wait_for()

    # htmx polls the job page and swaps the progress bar; its width comes from a class now.
    office.goto(f"{live_server.url}/problems/")
    office.get_by_test_id("export").click()
    office.wait_for_url("**/jobs/*/")
    office.locator("[data-testid=job-progress][data-status=done]").wait_for()
    bar = office.locator(".progress-bar").first
    track = office.locator(".progress").first
    assert abs(bar.bounding_box()["width"] - track.bounding_box()["width"]) < 2  # 100 % still fills the track

    assert not refused, refused

    # The unit tree is still indented by depth.
    sysadmin = page_for("sysadmin")
    refused = watch_csp(sysadmin)
    sysadmin.goto(f"{live_server.url}/admin/units/")
    pads = sysadmin.locator("[data-testid=unit-row] td:first-child").evaluate_all(
        "cells => cells.map(c => parseFloat(getComputedStyle(c).paddingLeft))")
    assert len(set(pads)) >= 3  # city, district, bureau
    assert not refused, refused
