"""单位总结 (issue 19): units write and submit their own stage and final summaries to the office, collected like the
monthly reports — 未提交 / 已提交 / 已退回 / 已接收, the office's collection with who is late, return with a reason,
accept, act notices, the reminder before the due date, data scope — and the office's own summary quotes them."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from qicha.core.errors import Forbidden, Invalid
from qicha.core.models import AuditEvent
from qicha.documents import queries, unit_services
from qicha.documents.models import UnitSummary
from qicha.documents.reminders import send_unit_summary_reminders
from qicha.notify.models import Notification
from qicha.orgs.demo import MINIMAL_PDF
from qicha.orgs.models import User

from .test_summary_docx import generate

BEIJING = ZoneInfo("Asia/Shanghai")
TEXT = "一、工作开展情况\n城西区民政局对照七个方面逐项自查，举报人电话13912345678已回访。\n二、下一步工作打算\n持续抓好整改。"


def u(username: str) -> User:
    return User.objects.get(username=username)


def at(day, hour=10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)
    return run


def submitted(demo, username="liaison_chengxi", kind="stage", text=TEXT) -> UnitSummary:
    liaison = u(username)
    summary = unit_services.save_unit_summary(liaison, demo, kind, text=text)
    return unit_services.submit_unit_summary(liaison, summary, version=summary.version)


def docx_bytes(*lines: str) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_unit_submits_on_the_page_and_the_office_accepts(demo, login, committed):
    page = login("liaison_chengxi")
    assert "单位总结报送" in page.get("/").content.decode()  # in the sidebar
    assert page.get("/documents/units/").status_code == 200
    with committed():
        response = page.post("/documents/units/mine/?kind=stage", {"text": TEXT, "version": "0", "then": "submit"})
    assert response.status_code == 302
    summary = UnitSummary.objects.get(unit__name="城西区民政局", kind="stage")
    assert summary.status == "submitted" and summary.submitted_by == u("liaison_chengxi")
    office_notice = Notification.objects.get(user=u("office"), kind="unit_summary.submit")
    assert "城西区民政局阶段性总结" in office_notice.title

    office = login("office")
    assert "待接收的单位总结" in office.get("/").content.decode()  # the 工作台's to-do card
    matrix = office.get("/documents/units/?kind=stage").content.decode()
    assert "已提交" in matrix and "审阅" in matrix
    detail = office.get(f"/documents/units/{summary.pk}/").content.decode()
    assert "139****5678" in detail and "13912345678" not in detail  # free text masked on the page
    with committed():
        office.post(f"/documents/units/{summary.pk}/actions/accept/", {"version": summary.version})
    summary.refresh_from_db()
    assert summary.status == "accepted" and summary.reviewed_by == u("office")
    assert Notification.objects.get(user=u("liaison_chengxi"), kind="unit_summary.accept")
    office_notice.refresh_from_db()
    assert office_notice.read_at is not None  # the 待您接收 is done
    events = AuditEvent.objects.filter(object_type="documents.unitsummary", object_id=str(summary.pk))
    actions = list(events.order_by("seq").values_list("event_type", "action"))
    assert actions == [("create", ""), ("transition", "submit"), ("transition", "accept")]


def test_the_office_returns_with_a_reason_and_the_unit_resubmits(demo, committed, login):
    summary = submitted(demo)
    with pytest.raises(Invalid) as refused:
        unit_services.return_unit_summary(u("office"), summary, version=summary.version, reason=" ")
    assert refused.value.details == {"reason": "请填写退回理由"}
    with committed():
        unit_services.return_unit_summary(u("office"), summary, version=summary.version, reason="存在的问题写得太笼统")
    assert summary.status == "returned" and summary.return_reason == "存在的问题写得太笼统"
    notice = Notification.objects.get(user=u("liaison_chengxi"), kind="unit_summary.return")
    assert "存在的问题写得太笼统" in notice.body
    assert "退回理由：存在的问题写得太笼统" in login("liaison_chengxi").get("/").content.decode()  # on the 工作台
    # A unit may not accept its own; the office may not act on a returned one.
    with pytest.raises(Forbidden):
        unit_services.accept_unit_summary(u("liaison_chengxi"), summary, version=summary.version)
    liaison = u("liaison_chengxi")
    summary = unit_services.save_unit_summary(liaison, demo, "stage", text=TEXT + "\n三、存在的问题\n逐条说明。",
                                              version=summary.version)
    with committed():
        summary = unit_services.submit_unit_summary(liaison, summary, version=summary.version)
    assert summary.status == "submitted" and summary.return_reason == ""
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Once submitted, the unit can no longer rewrite it.
    with pytest.raises(Invalid):
        unit_services.save_unit_summary(liaison, demo, "stage", text="改动", version=summary.version)


def test_a_summary_is_typed_or_a_docx_or_pdf(demo, login):
    liaison = u("liaison_chengxi")
    with pytest.raises(Invalid) as empty:
        unit_services.save_unit_summary(liaison, demo, "stage", text="  ")
    assert "请填写总结正文" in empty.value.details["text"]
    page = login("liaison_chengxi")
    png = SimpleUploadedFile("总结.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    refused = page.post("/documents/units/mine/?kind=stage", {"file": png, "version": "0", "then": "save"})
    assert refused.status_code == 400 and not UnitSummary.objects.exists()
    upload = SimpleUploadedFile("城西区民政局阶段性总结.docx", docx_bytes("一、工作开展情况", "对照七个方面逐项自查。"))
    assert page.post("/documents/units/mine/?kind=stage", {"file": upload, "version": "0", "then": "save"}).status_code == 302
    summary = UnitSummary.objects.get()
    assert summary.status == "draft" and summary.file.kind == "docx" and summary.text == ""
    summary = unit_services.save_unit_summary(liaison, demo, "final", upload=SimpleUploadedFile("工作总结.pdf", MINIMAL_PDF))
    assert summary.file.kind == "pdf"
    download = login("office").get(f"/documents/units/{UnitSummary.objects.get(kind='stage').pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_the_collection_says_who_is_late(demo, login):
    due = demo.stage_summary_due
    with time_machine.travel(at(due - timedelta(days=2)), tick=False):
        submitted(demo, "liaison_chengxi")
    with time_machine.travel(at(due + timedelta(days=3)), tick=False):
        submitted(demo, "liaison_chengdong")
        unit_services.save_unit_summary(u("liaison_nanshan"), demo, "stage", text="草稿")
        grid = queries.collection(u("office"), demo, "stage")
        rows = {row.unit.name: row for row in grid.rows}
        assert rows["城西区民政局"].status_label == "已提交" and not rows["城西区民政局"].late
        assert rows["城东区民政局"].late and rows["城东区民政局"].days_late == 3
        assert rows["南山县民政局"].status_label == "未提交" and rows["南山县民政局"].days_late == 3  # a draft is not in
        assert rows["北湖县民政局"].summary is None and rows["北湖县民政局"].late
        assert grid.handed_in == 2 and len(grid.late) == len(grid.rows) - 1
        page = login("office").get("/documents/units/?kind=stage").content.decode()
        assert "已提交 2 个" in page and f"逾期 {len(grid.late)} 个" in page and "逾期 3 天" in page


def test_another_unit_gets_404_and_sees_nothing_of_it(demo, login, api):
    summary = submitted(demo, "liaison_chengxi", text="城西机密总结")
    unit_services.save_unit_summary(u("liaison_chengxi"), demo, "final",
                                    upload=SimpleUploadedFile("工作总结.pdf", MINIMAL_PDF))
    final = UnitSummary.objects.get(kind="final")
    for username in ("liaison_chengdong", "liaison_city"):
        page = login(username)
        assert page.get(f"/documents/units/{summary.pk}/").status_code == 404
        assert page.get(f"/documents/units/{final.pk}/file/").status_code == 404
        assert page.post(f"/documents/units/{summary.pk}/actions/accept/", {"version": summary.version}).status_code == 404
        listing = page.get("/documents/units/?kind=stage").content.decode()
        assert "城西区民政局" not in listing and "城西机密总结" not in listing
    assert login("handler").get("/documents/units/").status_code == 403
    summary.refresh_from_db()
    assert summary.status == "submitted"
    assert login("leader").get(f"/documents/units/{summary.pk}/").status_code == 200  # 局领导 reads, cannot act
    assert "accept-button" not in login("leader").get(f"/documents/units/{summary.pk}/").content.decode()


def test_the_api_does_what_the_pages_do(demo, api):
    liaison = api("liaison_chengxi")
    written = liaison.post("/api/v1/unit-summaries", {"kind": "stage", "text": TEXT}, content_type="application/json")
    assert written.status_code == 201 and written.json()["status"] == "submitted"
    assert "139****5678" in written.json()["text"]
    summary_id = written.json()["id"]
    assert api("liaison_chengdong").get(f"/api/v1/unit-summaries/{summary_id}").status_code == 404
    office = api("office")
    rows = {r["unit"]["name"]: r for r in office.get("/api/v1/unit-summaries?kind=stage").json()["rows"]}
    assert rows["城西区民政局"]["status"] == "submitted" and rows["城东区民政局"]["status"] == "draft"
    refused = office.post(f"/api/v1/unit-summaries/{summary_id}/actions/return", {"reason": ""},
                          content_type="application/json")
    assert refused.status_code == 422
    accepted = office.post(f"/api/v1/unit-summaries/{summary_id}/actions/accept",
                           {"version": written.json()["version"]}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_the_reminder_comes_before_the_due_date_and_once_after_it(demo):
    due = demo.stage_summary_due
    chengxi, chengdong = u("liaison_chengxi"), u("liaison_chengdong")
    with time_machine.travel(at(due - timedelta(days=2)), tick=False):
        assert send_unit_summary_reminders(due - timedelta(days=2)) == 0  # not a lead day
        submitted(demo, "liaison_chengxi")
    with time_machine.travel(at(due - timedelta(days=3)), tick=False):
        assert send_unit_summary_reminders(due - timedelta(days=3)) > 0
        assert send_unit_summary_reminders(due - timedelta(days=3)) == 0  # a rerun sends nothing new
    reminders = Notification.objects.filter(kind="unit_summary_reminder")
    assert reminders.filter(user=chengdong, title__contains="阶段性总结将于3 天后（6月23日）截止").exists()
    assert not reminders.filter(user=chengxi).exists()  # handed in
    after = due + timedelta(days=1)
    assert send_unit_summary_reminders(after) > 0
    assert reminders.filter(user=chengdong, title="城东区民政局阶段性总结逾期未提交").count() == 1
    assert send_unit_summary_reminders(after + timedelta(days=1)) == 0


def test_the_office_summary_quotes_the_accepted_unit_summaries(demo, login):
    chengxi = submitted(demo, "liaison_chengxi", text=TEXT + "\n身份证号110105194912310021的群众反映已核实。")
    unit_services.accept_unit_summary(u("office"), chengxi, version=chengxi.version)
    liaison = u("liaison_chengdong")
    upload = SimpleUploadedFile("城东总结.docx", docx_bytes("城东区民政局建立问题台账，逐条销号。"))
    chengdong = unit_services.save_unit_summary(liaison, demo, "stage", upload=upload)
    chengdong = unit_services.submit_unit_summary(liaison, chengdong, version=chengdong.version)
    unit_services.accept_unit_summary(u("office"), chengdong, version=chengdong.version)
    submitted(demo, "liaison_nanshan", text="南山尚未接收的总结")

    doc = generate(login("office"), "stage")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "附件：1.专项行动工作情况统计表" in text and "2.各单位阶段性总结摘编" in text
    quoted = text.split("各单位阶段性总结摘编")[-1]
    assert "城西区民政局" in quoted and "城西区民政局对照七个方面逐项自查" in quoted
    assert "139****5678" in quoted and "13912345678" not in quoted
    assert "110105********0021" in quoted and "110105194912310021" not in text
    assert "城东区民政局建立问题台账，逐条销号。" in quoted  # read from its .docx
    assert "南山尚未接收的总结" not in text


def test_job_menu_is_for_those_who_start_jobs_or_have_one(demo, login):
    from qicha.jobs.models import Job

    assert "我的后台任务" in login("liaison_chengxi").get("/").content.decode()  # imports its ledgers
    assert "我的后台任务" in login("office").get("/").content.decode()
    for username in ("leader", "handler"):
        assert "我的后台任务" not in login(username).get("/").content.decode(), username
    leader = login("leader")
    assert leader.post("/jobs/export/problems/").status_code == 302  # 导出Excel on the problem ledger
    assert Job.objects.filter(owner=u("leader")).exists()
    assert "我的后台任务" in leader.get("/").content.decode()


def test_workbench_clue_rows_name_the_clue_number_and_mask_the_content(demo, login):
    from qicha.core.registry import CLUES, load_demo_data

    from .conftest import DEMO_PASSWORD

    load_demo_data(DEMO_PASSWORD, through=CLUES)
    from qicha.clues.models import Clue

    clue = Clue.objects.filter(status="received").order_by("due_date", "id").first()  # the card's first row
    reference = clue.reference_no or "JB-2026-0999"
    Clue.objects.filter(pk=clue.pk).update(content="电话13912345678反映" + clue.content, reference_no=reference)
    clue.reference_no = reference
    page = login("office").get("/").content.decode()
    assert f"线索 {clue.reference_no}" in page and f"线索 #{clue.pk}" not in page
    assert "139****5678" in page and "13912345678" not in page
