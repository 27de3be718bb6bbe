"""In Chromium: the office opens the stage summary from the sidebar, rewrites a narrative section, saves it, generates
the Word document, watches the job finish and downloads a .docx that carries the edit (R-REP-3)."""

from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EDIT = "（一）高位推动。局党组先后4次专题研究部署，主要负责同志带队督导城东、城西等区县。\n全局上下形成合力。"


def test_office_edits_and_downloads_the_stage_summary(page_for, screenshot, e2e_demo, tmp_path):
    from django.utils import timezone

    from qicha.documents import queries
    from qicha.documents.models import SummaryDraft

    office = page_for("office")
    office.get_by_role("link", name="总结文档").click()
    office.wait_for_url("**/documents/")
    row = office.locator('tr[data-kind="stage"]')
    due = e2e_demo.stage_summary_due
    assert f"{due.year}年{due.month}月{due.day}日" in row.get_by_test_id("due").inner_text()
    assert "尚未编写" in row.inner_text()
    row.get_by_role("link", name="编辑正文").click()
    office.wait_for_url("**/documents/stage/")
    assert "尚未保存" in office.get_by_test_id("draft-state").inner_text()
    # By default the stage summary counts as of the stage's end: the problems registered by then, not those since.
    end = queries.default_as_of(e2e_demo, "stage")
    assert f"截至 {end.year}年{end.month}月{end.day}日" in office.get_by_test_id("figures").inner_text()
    found_then = int(office.get_by_test_id("fig-found").inner_text())
    assert f"截至{end.year}年{end.month}月{end.day}日，共查摆问题{found_then}个" in office.locator("#text-2").input_value()
    today = timezone.localdate()
    office.goto(office.url.split("?")[0] + f"?as_of={today:%Y-%m-%d}")
    office.wait_for_url("**/documents/stage/?as_of=*")
    # The default text cites the ledger's figures, which the side panel shows too.
    found = office.get_by_test_id("fig-found").inner_text()
    assert f"共查摆问题{found}个" in office.locator("#text-2").input_value() and int(found) > found_then

    office.fill("#text-1", EDIT)
    office.fill("#heading-4", "四、下一步工作打算")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    office.screenshot(path=str(SCREENSHOTS / "summary-edit.png"))
    office.get_by_test_id("save").click()
    office.wait_for_url("**/documents/stage/?as_of=*")
    assert "阶段性总结已保存" in office.locator(".alert-success").inner_text()
    assert "第 1 版" in office.get_by_test_id("draft-state").inner_text()
    assert office.locator("#text-1").input_value() == EDIT
    draft = SummaryDraft.objects.get(campaign=e2e_demo, kind="stage")
    assert draft.sections[0]["text"] == EDIT and draft.sections[3]["heading"] == "四、下一步工作打算"

    office.get_by_test_id("save-generate").click()
    office.wait_for_url("**/jobs/*/")
    progress = office.get_by_test_id("job-progress")
    progress.and_(office.locator('[data-status="done"]')).wait_for(timeout=30_000)
    assert "已生成" in office.get_by_test_id("job-message").inner_text()
    screenshot(office, "80-summary-job")
    with office.expect_download() as info:
        office.get_by_test_id("job-download").click()
    download = info.value
    assert download.suggested_filename.endswith("阶段性工作总结.docx")
    path = tmp_path / "summary.docx"
    download.save_as(str(path))
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "（一）高位推动。局党组先后4次专题研究部署" in text and "四、下一步工作打算" in text
    assert "四、四、" not in text  # the typed numbering is not doubled

    # The summaries page lists the generated document for download.
    office.get_by_role("link", name="总结文档").click()
    assert "阶段性总结" in office.get_by_test_id("recent-jobs").inner_text()
    assert "第 1 版" not in office.locator('tr[data-kind="stage"]').inner_text()  # the list names the title instead
    assert "市民政局" in office.locator('tr[data-kind="stage"]').inner_text()
    screenshot(office, "81-summary-home")
