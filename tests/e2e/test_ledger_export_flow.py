"""In Chromium: the office filters the problem ledger, exports it, watches the job finish and downloads exactly the
rows the list showed, in the staff layout (R-REP-2, R-NFR-4)."""

import shutil
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_office_exports_the_filtered_problem_ledger(page_for, screenshot, e2e_demo, tmp_path, live_server):
    office = page_for("office")
    office.goto(f"{live_server.url}/problems/")
    everything = office.locator("tr[data-problem]").count()
    office.select_option("#f-source", "self_inspection")
    office.get_by_role("button", name="筛选").click()
    office.wait_for_url("**/problems/?*source=self_inspection*")
    shown = [f"P{int(pk):06d}" for pk in office.locator("tr[data-problem]").evaluate_all(
        "rows => rows.map(r => r.dataset.problem)")]
    assert 0 < len(shown) < everything  # the filter narrowed the list
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copy(screenshot(office, "export-list"), DOCS / "export-list.png")

    office.get_by_test_id("export").click()
    office.wait_for_url("**/jobs/*/")
    progress = office.get_by_test_id("job-progress")
    progress.and_(office.locator("[data-status=done]")).wait_for()
    assert office.get_by_test_id("job-status").inner_text() == "已完成"
    assert office.get_by_test_id("job-percent").inner_text() == "100%"
    assert office.get_by_test_id("job-message").inner_text() == f"已导出 {len(shown)} 行"
    assert "导出问题整改台账" in office.locator("body").inner_text()
    shutil.copy(screenshot(office, "export-progress"), DOCS / "export-progress.png")

    with office.expect_download() as info:
        office.get_by_test_id("job-download").click()
    download = info.value
    assert download.suggested_filename.startswith("问题整改台账_") and download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "市民政局扫黑办七查七摆问题整改台账"
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if any(v is not None for v in r)]
    assert [r[1] for r in rows] == shown
    assert {r[4] for r in rows} == {"自查发现"}
