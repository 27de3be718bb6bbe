"""In Chromium: a central-group batch imported and assigned, one clue verified untrue and answered, and a new
public report on the same person flagged as a repeat and sent to 提级复核 (R-CLU-1..6)."""

from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = pytest.mark.e2e

BATCH = Path(__file__).resolve().parents[1] / "data" / "clues" / "central_batch_20.xlsx"
PERSON_ID = "110102196803040315"  # 张某某 in row 1 of the batch


def test_clue_from_batch_to_escalated_re_review(page_for, screenshot, live_server):
    office = page_for("office")
    office.get_by_role("link", name="线索核查").click()
    office.get_by_role("link", name="导入交办批次").click()
    office.fill("#id_batch_reference", "中央督导组交办第3批")
    office.fill("#id_received_date", "2026-03-10")
    office.set_input_files("#id_file", str(BATCH))
    office.get_by_role("button", name="上传并预览").click()
    office.wait_for_url("**/clues/import/*/")
    screenshot(office, "40-clue-import-preview")
    office.once("dialog", lambda dialog: dialog.accept())  # "确认导入 20 条线索？"
    office.get_by_role("button", name="确认导入").click()
    office.wait_for_url("**/clues/?batch=*")
    assert "已导入 20 条线索" in office.locator(".alert-success").inner_text()
    rows = office.get_by_test_id("clue-table").locator("tbody tr")
    assert rows.count() == 20

    # Assign the whole batch to 城西 in one go.
    office.get_by_role("button", name="全选本页").click()
    office.locator("#id_unit").select_option(label="城西区民政局", force=True)
    office.get_by_test_id("bulk-assign-submit").click()
    assert "已将 20 条线索分办至城西区民政局" in office.locator(".alert-success").inner_text()
    screenshot(office, "41-clue-batch-assigned")

    # 城西's liaison verifies ZY5-3-001 as 不属实 and answers the real-name reporter.
    liaison = page_for("liaison_chengxi")
    todo = liaison.get_by_test_id("todo-clue_to_verify")
    assert int(todo.get_by_test_id("todo-count").inner_text()) == 20
    liaison.goto(f"{live_server.url}/clues/?q=ZY5-3-001")
    liaison.get_by_test_id("clue-table").locator("tbody tr a").first.click()
    reporter = liaison.get_by_test_id("reporter").inner_text()
    assert "王*" in reporter and "139****0001" in reporter and "13905710001" not in reporter
    assert liaison.get_by_test_id("reveal-form").count() == 1  # the unit's liaison may call the reporter back
    liaison.get_by_role("button", name="开始核查").click()
    form = liaison.get_by_test_id("report_result-form")
    form.locator("input[name=result][value=untrue]").check()
    form.locator("textarea[name=findings]").fill("经入户核查、比对低保档案，张某某亲属均符合低保条件，反映问题不属实。")
    form.get_by_role("button", name="报告核查结论").click()
    assert "已核查" in liaison.get_by_test_id("clue-status").inner_text()
    reply = liaison.get_by_test_id("record_reply-form")
    reply.locator("input[name=date]").fill(timezone.localdate().isoformat())
    reply.locator("select[name=channel]").select_option("in_person")
    reply.locator("textarea[name=reporter_response]").fill("举报人对核查结论表示认可")
    reply.get_by_role("button", name="登记答复").click()
    assert "举报人对核查结论表示认可" in liaison.get_by_test_id("replies").inner_text()
    screenshot(liaison, "42-clue-verified-and-answered")
    clue_url = liaison.url

    office.goto(clue_url)
    office.get_by_role("button", name="办结销号").click()
    assert "已办结" in office.get_by_test_id("clue-status").inner_text()

    # A new public report names the same person (by the 15-digit number he once held): a repeat, escalated.
    office.goto(f"{live_server.url}/clues/new/")
    office.locator("#id_source").select_option("public_report")
    office.locator("#id_domain").select_option("subsistence")
    office.fill("#id_region", "城西区新华街道幸福村")
    office.fill("#id_content", "又有群众举报幸福村村主任张某某给亲属吃低保，之前的核查是走过场。")
    office.fill("#id_person_0_name", "张某某")
    office.fill("#id_person_0_id_number", PERSON_ID[:6] + PERSON_ID[8:17])
    screenshot(office, "43-clue-public-report")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url("**/clues/*/")
    assert "已转提级复核" in office.locator(".alert-success").inner_text()
    assert "提级复核中" in office.get_by_test_id("clue-status").inner_text()
    assert "同一身份证号" in office.get_by_test_id("repeats").inner_text()
    assert office.get_by_test_id("escalated").is_visible()
    screenshot(office, "44-clue-escalated")

    # The board: the batch is counted by unit and source.
    office.goto(f"{live_server.url}/clues/board/")
    assert "城西区民政局" in office.get_by_test_id("board-units").inner_text()
    screenshot(office, "45-clue-board")
