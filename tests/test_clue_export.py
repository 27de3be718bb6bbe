"""The clue ledger exported to Excel: exactly the filtered rows in scope, the layout staff use, the reporter masked
unless an entitled user asks with a reason (audited), formulas neutralised."""

import io

import openpyxl

from qicha.core.models import AuditEvent

from .clue_helpers import PERSON_ID, bring_to, intake

REPORTER = {"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678"}


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


def test_export_is_the_filtered_scoped_ledger_in_the_usual_layout(login, demo):
    chengdong = bring_to(intake(demo, content="城东的线索", reference_no="E-1"), "assigned")
    bring_to(intake(demo, content="城西的线索", reference_no="E-2"), "assigned", unit_name="城西区民政局")
    intake(demo, content="=HYPERLINK(\"http://x\")，公式注入", reference_no="E-3")
    sheet = workbook(login("office").get("/clues/export/"))
    assert sheet["A1"].value == "局扫黑办涉黑涉恶线索核查台账"
    assert "截至日期" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:6] == ["序号", "线索编号", "线索来源", "交办批次", "受理日期", "反映内容"]
    assert sheet.freeze_panes == "A4" and sheet.page_setup.orientation == "landscape"
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:U1", "A2:U2"}
    assert len(data_rows(sheet)) == 3
    injected = next(r for r in data_rows(sheet) if r[1] == "E-3")
    assert injected[5].startswith("'=")
    only_chengdong = data_rows(workbook(login("office").get("/clues/export/?q=城东的")))
    assert [r[1] for r in only_chengdong] == ["E-1"]
    liaison = data_rows(workbook(login("liaison_chengdong").get("/clues/export/")))
    assert [r[1] for r in liaison] == [chengdong.reference_no]


def test_reporter_is_masked_unless_entitled_and_asked_with_a_reason(login, demo):
    intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-1")
    masked = data_rows(workbook(login("office").get("/clues/export/")))[0]
    assert masked[16] == "王**" and masked[17] == "139****5678"
    refused = login("office").post("/clues/export/", {"reason": ""}, follow=True)
    assert "导出理由" in refused.content.decode() or "说明理由" in refused.content.decode()
    clear = data_rows(workbook(login("office").post("/clues/export/", {"reason": "向上级报送举报人答复情况"})))[0]
    assert clear[16] == "王举报" and clear[17] == "13912345678"
    assert AuditEvent.objects.filter(event_type="reveal", action="reporter_export",
                                     detail="向上级报送举报人答复情况").exists()
    assert AuditEvent.objects.filter(event_type="export", action="clue_export").count() == 2
    # A liaison is not entitled: asking gets nothing in clear.
    bring_to(intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-2"), "assigned")
    assert login("liaison_chengdong").post("/clues/export/", {"reason": "想看"}).status_code == 404
    liaison = data_rows(workbook(login("liaison_chengdong").get("/clues/export/")))
    assert liaison and all("13912345678" not in str(r) and "王举报" not in str(r) for r in liaison)
