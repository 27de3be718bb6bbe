"""The clue ledger exported to Excel as a background job: exactly the filtered rows in scope, the two-level layout staff
use, the reporter masked unless an entitled user asks with a reason (audited), formulas neutralised."""

import io

import openpyxl

from qicha.core.models import AuditEvent
from qicha.jobs.models import Job

from .clue_helpers import PERSON_ID, bring_to, intake

REPORTER = {"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678"}
MERGES = {"A1:U1", "A2:U2", "A3:A4", "B3:B4", "C3:I3", "J3:O3", "P3:R3", "S3:U3"}


def export(client, query="", data=None, path="/jobs/export/clues/"):
    """Start the export as the page does, follow to the job's progress page, download its file."""
    response = client.post(path + (f"?{query}" if query else ""), data or {})
    assert response.status_code == 302 and response.url.startswith("/jobs/"), response.content[:300]
    job = Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "下载" in page, page[-1500:]
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    return openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=5, values_only=True) if any(v is not None for v in row)]


def test_export_is_the_filtered_scoped_ledger_in_the_usual_layout(login, demo):
    chengdong = bring_to(intake(demo, content="城东的线索", reference_no="E-1"), "assigned")
    bring_to(intake(demo, content="城西的线索", reference_no="E-2"), "assigned", unit_name="城西区民政局")
    intake(demo, content="=HYPERLINK(\"http://x\")，公式注入", reference_no="E-3")
    sheet = export(login("office"))
    assert sheet["A1"].value == "市民政局扫黑办涉黑涉恶线索核查台账"  # the proper name, not 局扫黑办
    assert "截至日期" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:4] == ["序号", "线索编号", "线索情况", None]
    assert [c.value for c in sheet[4]][:6] == [None, None, "线索来源", "交办批次", "受理日期", "反映内容"]
    assert [c.value for c in sheet[3]][15:19] == ["举报人", None, None, "答复与处置"]
    assert sheet.freeze_panes == "A5" and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$4"
    assert {str(r) for r in sheet.merged_cells.ranges} == MERGES
    assert len(data_rows(sheet)) == 3
    injected = next(r for r in data_rows(sheet) if r[1] == "E-3")
    assert injected[5].startswith("'=")
    only_chengdong = data_rows(export(login("office"), "q=城东的"))
    assert [r[1] for r in only_chengdong] == ["E-1"]
    liaison = data_rows(export(login("liaison_chengdong")))
    assert [r[1] for r in liaison] == [chengdong.reference_no]
    # The old address still works: it starts the same job.
    assert [r[1] for r in data_rows(export(login("office"), "q=城东的", path="/clues/export/"))] == ["E-1"]


def test_reporter_is_masked_unless_entitled_and_asked_with_a_reason(login, api, demo):
    intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-1")
    masked = data_rows(export(login("office")))[0]
    assert masked[16] == "王**" and masked[17] == "139****5678"
    assert Job.objects.latest("id").result["masked"] is True
    jobs = Job.objects.count()
    refused = login("office").post("/jobs/export/clues/", {"reason": ""}, follow=True)
    assert "导出理由" in refused.content.decode() and Job.objects.count() == jobs
    clear = data_rows(export(login("office"), data={"reason": "向上级报送举报人答复情况"}))[0]
    assert clear[16] == "王举报" and clear[17] == "13912345678"
    job = Job.objects.latest("id")
    assert job.result["masked"] is False and "1 条举报人为明文" in job.message
    assert AuditEvent.objects.filter(event_type="reveal", action="reporter_export",
                                     detail="向上级报送举报人答复情况").exists()
    exports = [e.detail for e in AuditEvent.objects.filter(event_type="export", action="clue_export").order_by("id")]
    assert exports == ["导出线索台账 1 行（举报人脱敏）", "导出线索台账 1 行（举报人明文 1 条，理由：向上级报送举报人答复情况）"]
    # A liaison is not entitled: asking gets nothing in clear, by page or API.
    bring_to(intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-2"), "assigned")
    assert login("liaison_chengdong").post("/jobs/export/clues/", {"reason": "想看"}).status_code == 404
    assert login("liaison_chengdong").post("/clues/export/", {"reason": "想看"}).status_code == 404
    refused_api = api("liaison_chengdong").post("/api/v1/exports", {"ledger": "clues", "with_reporter": True,
                                                                     "reason": "想看"}, content_type="application/json")
    assert refused_api.status_code == 404
    liaison = data_rows(export(login("liaison_chengdong")))
    assert liaison and all("13912345678" not in str(r) and "王举报" not in str(r) for r in liaison)
    # The office by API, with a reason: in clear; without one: refused.
    started = api("office").post("/api/v1/exports", {"ledger": "clues", "with_reporter": True},
                                 content_type="application/json")
    assert started.status_code == 422 and "reason" in started.json()["details"]
