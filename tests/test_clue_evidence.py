"""The unit answers its reporter and keeps its clue's evidence and follow-through (issue 14 items 3 and 4):
the handler (and the unit's liaison) of a real-name clue may reveal the reporter's name and phone, audited; files
on a clue, scope-checked; a clue verified 属实 / 部分属实 closes only with a 后续处置 or a stated reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from qicha.clues.models import Clue, ClueEvidence
from qicha.core.errors import Invalid
from qicha.core.models import AuditEvent
from qicha.orgs.demo import MINIMAL_PDF

from .clue_helpers import PERSON_ID, act, bring_to, intake

REPORTER = {"name": "王举报", "phone": "13912345678", "id_number": PERSON_ID}


def real_name_clue(demo, **extra) -> Clue:
    clue = intake(demo, source="public_report", real_name=True, reporter=REPORTER, **extra)
    return bring_to(clue, "verifying", worker="handler", handler="handler")


def docx_bytes(text="核查报告：经核查，反映问题部分属实。") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- item 3: the unit answers its reporter -------------------------------------------------------------------------

def test_the_handler_reveals_name_and_phone_with_a_reason_audited(demo, login):
    clue = real_name_clue(demo)
    page = login("handler")
    before = page.get(f"/clues/{clue.pk}/").content.decode()
    assert 'data-testid="reveal-form"' in before and "13912345678" not in before
    refused = page.post(f"/clues/{clue.pk}/reveal/", {"reason": ""})
    assert refused.status_code == 422 and "13912345678" not in refused.content.decode()
    shown = page.post(f"/clues/{clue.pk}/reveal/", {"reason": "电话告知举报人核查结果"}).content.decode()
    assert "王举报" in shown and "13912345678" in shown
    assert PERSON_ID not in shown  # the unit gets name and phone only: the identity number stays masked
    event = AuditEvent.objects.get(event_type="reveal", object_id=str(clue.pk), outcome="success")
    assert (event.actor.username, event.action, event.detail) == ("handler", "reporter_name", "电话告知举报人核查结果")


def test_outside_demo_mode_the_handler_first_gives_a_second_factor(demo, settings):
    """The unit's staff sign in with a password only; revealing a reporter steps up to the TOTP page and back."""
    from datetime import timedelta

    import time_machine
    from django.test import Client
    from django_otp.oath import totp

    from qicha.orgs import services as accounts
    from qicha.orgs.models import SealedTOTPDevice, User

    from .conftest import DEMO_PASSWORD

    settings.DEMO_MODE = False
    clue = real_name_clue(demo)
    accounts.change_password(User.objects.get(username="handler"), DEMO_PASSWORD, "Qc-StepUp-2026!")
    page = Client()
    page.post("/login/", {"username": "handler", "password": "Qc-StepUp-2026!"})
    assert page.get(f"/clues/{clue.pk}/").status_code == 200  # no second factor needed to work the clue
    step_up = page.post(f"/clues/{clue.pk}/reveal/", {"reason": "电话告知举报人核查结果"})
    assert step_up.status_code == 302 and step_up["Location"] == f"/otp/?next=/clues/{clue.pk}/"
    assert not AuditEvent.objects.filter(event_type="reveal", object_id=str(clue.pk), outcome="success").exists()
    assert "绑定动态口令" in page.get(step_up["Location"]).content.decode()
    device = SealedTOTPDevice.objects.get(user__username="handler")
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        back = page.post(step_up["Location"], {"code": f"{totp(device.bin_key):06d}"})
        assert back["Location"] == f"/clues/{clue.pk}/"
        shown = page.post(f"/clues/{clue.pk}/reveal/", {"reason": "电话告知举报人核查结果"}).content.decode()
    assert "13912345678" in shown


def test_the_units_liaison_may_reveal_through_the_api(demo, api):
    clue = real_name_clue(demo)
    response = api("liaison_chengdong").post(f"/api/v1/clues/{clue.pk}/reveal", {"reason": "回访举报人"},
                                             content_type="application/json")
    assert response.status_code == 200, response.content
    reporter = response.json()["reporter"]
    assert reporter["name"] == "王举报" and reporter["phone"] == "13912345678" and reporter["id_number"] != PERSON_ID
    assert AuditEvent.objects.filter(event_type="reveal", actor__username="liaison_chengdong", outcome="success",
                                     detail="回访举报人").count() == 1


def test_nobody_else_may_reveal(demo, api, login):
    clue = real_name_clue(demo)
    # Another unit's liaison: the clue does not exist for them (404), and the probe is audited.
    other = api("liaison_chengxi").post(f"/api/v1/clues/{clue.pk}/reveal", {"reason": "想看"},
                                        content_type="application/json")
    assert other.status_code == 404 and "13912345678" not in other.content.decode()
    assert login("liaison_chengxi").post(f"/clues/{clue.pk}/reveal/", {"reason": "想看"}).status_code == 404
    assert AuditEvent.objects.filter(actor__username="liaison_chengxi", event_type="access_denied").exists()
    # The bureau leader reads the clue but may not reveal; the refusal is audited like the office's.
    leader = login("leader")
    assert 'data-testid="reveal-form"' not in leader.get(f"/clues/{clue.pk}/").content.decode()
    assert leader.post(f"/clues/{clue.pk}/reveal/", {"reason": "想看"}).status_code == 404
    assert AuditEvent.objects.filter(event_type="reveal", actor__username="leader", outcome="denied").exists()
    # An anonymous-source clue (not real-name) is not the unit's to reveal, even to its handler.
    plain = bring_to(intake(demo, reporter={"name": "李某", "phone": "13800000000"}), "verifying", worker="handler",
                     handler="handler")
    assert api("handler").post(f"/api/v1/clues/{plain.pk}/reveal", {"reason": "回访"},
                               content_type="application/json").status_code == 404


# --- item 4: follow-through ----------------------------------------------------------------------------------------

def test_a_true_clue_without_follow_up_cannot_close(demo, login):
    clue = bring_to(intake(demo), "verified", result="true")
    with pytest.raises(Invalid) as refused:
        act(clue, "close", "office")
    assert "no_follow_up_reason" in refused.value.details and "后续处置" in refused.value.message
    office = login("office")
    page = office.post(f"/clues/{clue.pk}/actions/close/", {"version": Clue.objects.get(pk=clue.pk).version})
    assert page.status_code == 422 and "尚未登记后续处置" in page.content.decode()
    assert Clue.objects.get(pk=clue.pk).status == "verified"
    closed = office.post(f"/clues/{clue.pk}/actions/close/", {"version": Clue.objects.get(pk=clue.pk).version,
                                                               "no_follow_up_reason": "已由公安机关另案处理"})
    assert closed.status_code == 302
    clue.refresh_from_db()
    assert clue.status == "closed" and clue.no_follow_up_reason == "已由公安机关另案处理"
    assert "已由公安机关另案处理" in office.get(f"/clues/{clue.pk}/").content.decode()


def test_a_partly_true_clue_with_a_follow_up_closes_and_an_untrue_one_needs_none(demo, api):
    clue = bring_to(intake(demo), "verified", result="partly_true")
    act(clue, "record_follow_up", "liaison_chengdong", kind="police", date=timezone.localdate(),
        document_no="城东民移〔2026〕3号")
    client = api("office")
    closed = client.post(f"/api/v1/clues/{clue.pk}/actions/close", {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    untrue = bring_to(intake(demo, content="反映某社区干部优亲厚友"), "verified", result="untrue")
    assert client.post(f"/api/v1/clues/{untrue.pk}/actions/close", {},
                       content_type="application/json").status_code == 200
    other = bring_to(intake(demo, content="反映某村低保评议走过场"), "verified", result="true")
    refused = client.post(f"/api/v1/clues/{other.pk}/actions/close", {}, content_type="application/json")
    assert refused.status_code == 422 and "no_follow_up_reason" in refused.json()["details"]


# --- item 4: evidence ----------------------------------------------------------------------------------------------

def test_evidence_upload_on_the_page_and_download_in_scope(demo, login):
    clue = real_name_clue(demo)
    handler = login("handler")
    report = SimpleUploadedFile("核查报告.docx", docx_bytes())
    response = handler.post(f"/clues/{clue.pk}/evidence/", {"category": "report", "note": "城东区民政局核查报告",
                                                            "files": [report]})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = ClueEvidence.objects.get(clue=clue)
    assert row.category == "report" and row.attachment.kind == "docx"
    detail = login("liaison_chengdong").get(f"/clues/{clue.pk}/").content.decode()
    assert "核查报告.docx" in detail and "城东区民政局核查报告" in detail
    download = login("liaison_chengdong").get(f"/clues/evidence/{row.attachment_id}/")
    assert download.status_code == 200
    text = Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs[0].text
    assert text == "核查报告：经核查，反映问题部分属实。"
    assert login("liaison_chengxi").get(f"/clues/evidence/{row.attachment_id}/").status_code == 404
    assert AuditEvent.objects.filter(event_type="update", action="add_evidence", object_id=str(clue.pk)).count() == 1


def test_evidence_refuses_bad_files_and_writes_nothing(demo, login):
    clue = real_name_clue(demo)
    handler = login("handler")
    fake = SimpleUploadedFile("谈话笔录.pdf", b"MZ\x90\x00 not a pdf at all")
    response = handler.post(f"/clues/{clue.pk}/evidence/", {"category": "interview", "files": [fake]})
    assert response.status_code == 422 and "不是允许的类型" in response.content.decode()
    no_category = handler.post(f"/clues/{clue.pk}/evidence/",
                               {"files": [SimpleUploadedFile("答复函.pdf", MINIMAL_PDF)]})
    assert no_category.status_code == 422 and "请选择材料类别" in no_category.content.decode()
    assert not ClueEvidence.objects.exists()
    # Someone who may not work the clue cannot add to it.
    assert login("leader").post(f"/clues/{clue.pk}/evidence/", {"category": "other", "files": [
        SimpleUploadedFile("x.pdf", MINIMAL_PDF)]}).status_code == 302
    assert not ClueEvidence.objects.exists()


def test_evidence_through_the_api(demo, api):
    clue = real_name_clue(demo)
    client = api("handler")
    uploaded = client.post("/api/v1/attachments", {"file": SimpleUploadedFile("答复函.pdf", MINIMAL_PDF)})
    assert uploaded.status_code == 201, uploaded.content
    added = client.post(f"/api/v1/clues/{clue.pk}/evidence",
                        {"category": "reply_letter", "attachments": [uploaded.json()["id"]]},
                        content_type="application/json")
    assert added.status_code == 201, added.content
    detail = client.get(f"/api/v1/clues/{clue.pk}").json()
    assert [e["category"] for e in detail["evidence"]] == ["reply_letter"]
    link = detail["evidence"][0]["attachment"]["download"]
    assert b"".join(client.get(link).streaming_content) == MINIMAL_PDF
    assert api("liaison_chengxi").get(link).status_code == 404
    wrong = client.post(f"/api/v1/clues/{clue.pk}/evidence", {"category": "letter", "attachments": []},
                        content_type="application/json")
    assert wrong.status_code == 422 and "reply_letter" in wrong.json()["details"]["category"]
