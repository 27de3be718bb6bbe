"""In Chromium: the office uploads the registers, starts a comparison, watches the job finish and reads the run's
record; a county reviewer opens their queue, confirms a hit and records it in the 低保 ledger."""

import pytest

from qicha.screening.models import Run

from ..screening_data import P, write_registers

pytestmark = pytest.mark.e2e


def test_office_runs_a_comparison_and_a_county_confirms_a_hit(page_for, screenshot, tmp_path, live_server):
    office = page_for("office")
    office.goto(f"{live_server.url}/screening/runs/")
    for kind, path in write_registers(tmp_path).items():
        office.select_option("#r-kind", kind)
        office.set_input_files("#r-file", str(path))
        office.get_by_test_id("register-upload").get_by_role("button", name="导入").click()
        office.wait_for_url("**/screening/runs/")
        assert f"“{path.name}”" in office.locator(".alert").first.inner_text()
    for box in office.locator("input[name=register]").all():
        box.check()
    office.fill("#payment-month", "2026-11")
    office.get_by_test_id("run-start").click()
    office.wait_for_url("**/jobs/*/")
    office.locator("[data-testid=job-progress][data-status=done]").wait_for()
    assert "命中 8 名低保对象" in office.get_by_test_id("job-message").inner_text()
    # The run's number is whatever the database gives it (other browser tests' runs went before it).
    office.goto(f"{live_server.url}/screening/runs/{Run.objects.latest('pk').pk}/")
    record = office.get_by_test_id("run-inputs").inner_text()
    assert "第 12 行：身份证号校验码错误" in record
    screenshot(office, "screening-run")

    county = page_for("liaison_nanshan")
    county.goto(f"{live_server.url}/screening/")
    assert county.locator("tr[data-hit]").count() == 4
    county.locator("tr[data-hit]", has_text="钱有车").get_by_role("link").first.click()
    county.get_by_test_id("act-confirm").locator("input[name=reason]").fill("入户核实，车辆为本人所有")
    county.get_by_test_id("act-confirm").get_by_role("button", name="属实").click()
    assert county.get_by_test_id("hit-status").inner_text() == "属实"
    county.get_by_test_id("act-to_ledger").get_by_role("button", name="登记到低保台账").click()
    county.get_by_test_id("hit-ledger-row").get_by_role("link").click()
    county.wait_for_url("**/ledgers/dibao/*/")
    assert "错保" in county.get_by_test_id("row-values").inner_text()
    assert P.car not in county.content()  # the identity number stays masked
    screenshot(county, "screening-ledger-row")
