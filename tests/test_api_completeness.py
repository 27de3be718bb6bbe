"""Issue 14 item 8: PATCH /clues/{id} and /cases/{id} (version, 409), the clue batch import through POST /imports,
choice errors that list the accepted codes, and the caller's own notifications and to-dos."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qicha.clues.models import Case, Clue, ClueBatch
from qicha.clues.services import cases as case_services
from qicha.core.models import AuditEvent
from qicha.notify.services import notify_users
from qicha.orgs.models import Unit, User

from .clue_helpers import bring_to, intake
from .test_clue_import import CENTRAL, xl_mime

JSON = "application/json"


def _case(campaign) -> Case:
    return case_services.register_case(
        User.objects.get(username="office"), campaign, Unit.objects.get(name="城西区民政局"), name="某社会组织涉黑涉恶案",
        source="central_group", reference_no="督交〔2026〕12号", received_date=timezone.localdate(),
        summary="中央督导组交办：某社会组织负责人涉嫌强揽工程。")


def test_patch_clue_with_version_then_409_and_audit(api, demo):
    clue = intake(demo)
    client = api("office")
    response = client.patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version, "region": "城东区新华街道",
                                                         "content": "反映村委会主任违规为亲属办理低保（补充：涉及3户）"},
                            content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == "城东区新华街道" and body["version"] == clue.version + 1
    assert body["content"].endswith("涉及3户）")
    event = AuditEvent.objects.filter(object_type="clues.clue", object_id=str(clue.pk), event_type="update").get()
    assert event.before["region"] == "城东区新华街道幸福村" and event.after["region"] == "城东区新华街道"
    stale = client.patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version, "region": "过期"}, content_type=JSON)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Clue.objects.get(pk=clue.pk).region == "城东区新华街道"
    refused = client.patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version + 1, "status": "closed"},
                           content_type=JSON)
    assert refused.status_code == 422 and "status" in refused.json()["details"]


def test_patch_clue_choice_error_lists_codes_and_labels(api, demo):
    clue = intake(demo)
    response = api("office").patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version, "domain": "低保"},
                                   content_type=JSON)
    assert response.status_code == 422
    message = response.json()["details"]["domain"]
    assert "社会组织、低保、殡葬、基层组织、其他" in message
    assert "social_org, subsistence, funeral, grassroots, other" in message


def test_reply_channel_error_lists_codes(api, demo):
    clue = bring_to(intake(demo), "verified", result="true")
    client = api("liaison_chengdong")
    response = client.post(f"/api/v1/clues/{clue.pk}/actions/record_reply",
                           {"version": clue.version, "channel": "微信", "date": timezone.localdate().isoformat(),
                            "reporter_response": "满意"}, content_type=JSON)
    assert response.status_code == 422
    message = response.json()["details"]["channel"]
    assert message == "请选择答复方式（当面答复、电话答复、书面答复、其他）；可选代码：in_person, phone, written, other"


def test_only_the_office_or_the_registrant_patches_a_clue(api, demo):
    clue = intake(demo, unit_name="城东区民政局")
    response = api("liaison_chengxi").patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version, "region": "x"},
                                            content_type=JSON)
    assert response.status_code == 404  # another unit's clue does not exist for them
    # The unit's liaison sees the office's clue but did not register it.
    assert api("liaison_chengdong").patch(f"/api/v1/clues/{clue.pk}", {"version": clue.version, "region": "x"},
                                          content_type=JSON).status_code == 403
    own = intake(demo, by="liaison_chengdong", unit_name="城东区民政局", content="反映某村干部优亲厚友")
    response = api("liaison_chengdong").patch(f"/api/v1/clues/{own.pk}", {"version": own.version, "region": "城东区"},
                                              content_type=JSON)
    assert response.status_code == 200 and response.json()["region"] == "城东区"


def test_patch_case_with_version_then_409_and_refused_after_close(api, demo):
    case = _case(demo)
    client = api("office")
    response = client.patch(f"/api/v1/cases/{case.pk}", {"version": case.version, "name": "某协会负责人强揽工程案",
                                                         "summary": "经初查，涉及工程3项。"}, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "某协会负责人强揽工程案" and response.json()["version"] == case.version + 1
    assert AuditEvent.objects.filter(object_type="clues.case", object_id=str(case.pk), event_type="update").exists()
    stale = client.patch(f"/api/v1/cases/{case.pk}", {"version": case.version, "name": "旧"}, content_type=JSON)
    assert stale.status_code == 409
    empty = client.patch(f"/api/v1/cases/{case.pk}", {"version": case.version + 1, "summary": " "}, content_type=JSON)
    assert empty.status_code == 422 and empty.json()["details"] == {"summary": "请填写基本案情。"}
    assert api("liaison_chengxi").patch(f"/api/v1/cases/{case.pk}", {"version": case.version + 1, "name": "x"},
                                        content_type=JSON).status_code == 403
    Case.objects.filter(pk=case.pk).update(status="closed")
    closed = client.patch(f"/api/v1/cases/{case.pk}", {"version": case.version + 1, "name": "x"}, content_type=JSON)
    assert closed.status_code == 422 and "已销号" in closed.json()["message"]


def test_case_source_error_lists_codes(api, demo):
    response = api("office").post("/api/v1/cases", {
        "campaign": demo.pk, "unit": Unit.objects.get(name="城西区民政局").pk, "name": "x", "source": "督导组",
        "received_date": timezone.localdate().isoformat(), "summary": "案情"}, content_type=JSON)
    assert response.status_code == 422
    assert "central_group" in response.json()["details"]["source"]


def _upload(client, **form):
    fields = {"ledger": "clues", "source": "central_group", "batch_reference": "中央第5督导组第3批",
              "received_date": "2026-03-10"} | form
    fields["file"] = SimpleUploadedFile(CENTRAL.name, CENTRAL.read_bytes(), content_type=xl_mime())
    return client.post("/api/v1/imports", fields)


def test_clue_batch_import_through_the_api(api, demo):
    client = api("office")
    refused = _upload(client, received_date="2026-02-30")
    assert refused.status_code == 422 and "2026-02-30" in refused.json()["details"]["received_date"]
    missing = _upload(client, batch_reference="")
    assert missing.status_code == 422 and missing.json()["details"]["batch_reference"] == "请填写批次号"
    assert _upload(api("liaison_chengxi")).status_code == 404
    started = _upload(client)
    assert started.status_code == 202, started.content
    job = client.get(f"/api/v1/jobs/{started.json()['job']}").json()
    assert job["status"] == "done", job
    assert job["result"]["rows_ok"] == 20 and job["result"]["errors"] == [] and job["result"]["can_confirm"]
    assert Clue.objects.count() == 0
    assert api("liaison_chengxi").post(f"/api/v1/imports/{started.json()['id']}/confirm").status_code == 404
    confirm = client.post(f"/api/v1/imports/{started.json()['id']}/confirm")
    assert confirm.status_code == 202
    done = client.get(f"/api/v1/jobs/{confirm.json()['job']}").json()
    assert done["status"] == "done" and done["result"]["created"] == 20
    assert Clue.objects.count() == 20 and ClueBatch.objects.get().reference == "中央第5督导组第3批"
    again = client.post(f"/api/v1/imports/{started.json()['id']}/confirm")
    assert again.status_code == 409 and "已导入：新增 20 条线索" in again.json()["message"]
    # The same file again: every row is already there.
    second = client.get(f"/api/v1/jobs/{_upload(client).json()['job']}").json()
    assert second["result"]["rows_existing"] == 20 and not second["result"]["can_confirm"]


def test_notifications_are_the_callers_own(api, demo):
    liaison, other = User.objects.get(username="liaison_chengxi"), User.objects.get(username="liaison_chengdong")
    notify_users([liaison], kind="test", title="问题被退回", body="理由：证据不足", link="/problems/1/")
    notify_users([liaison], kind="test", title="第二条")
    notify_users([other], kind="test", title="别人的消息")
    client = api("liaison_chengxi")
    body = client.get("/api/v1/notifications?page_size=1").json()
    assert body["count"] == 2 and body["unread"] == 2 and len(body["results"]) == 1
    assert body["results"][0]["title"] == "第二条" and body["results"][0]["read"] is False
    titles = [n["title"] for n in client.get("/api/v1/notifications").json()["results"]]
    assert "别人的消息" not in titles
    theirs = api("liaison_chengdong").get("/api/v1/notifications").json()["results"][0]
    assert client.post(f"/api/v1/notifications/{theirs['id']}/read").status_code == 404
    first = next(n for n in client.get("/api/v1/notifications").json()["results"] if n["title"] == "问题被退回")
    read = client.post(f"/api/v1/notifications/{first['id']}/read").json()
    assert read["read"] is True and read["body"] == "理由：证据不足"
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert unread["count"] == 1 and unread["unread"] == 1
    assert client.post("/api/v1/notifications/read-all").json()["marked"] == 1
    assert api("liaison_chengdong").get("/api/v1/notifications").json()["unread"] == 1


def test_todos_are_the_workbench_cards(api, login, demo):
    clue = intake(demo)
    body = api("office").get("/api/v1/todos").json()
    assert body["campaign"]["id"] == demo.pk
    todos = {t["key"]: t for t in body["todos"]}
    html = login("office").get("/").content.decode()
    for key, todo in todos.items():
        assert f'data-testid="todo-{key}"' in html
        assert len(todo["items"]) == min(todo["count"], 10)
    waiting = [t for t in body["todos"] if any(i["link"] == f"/clues/{clue.pk}/" for i in t["items"])]
    assert waiting and waiting[0]["count"] >= 1 and f"线索 #{clue.pk}" in waiting[0]["items"][0]["text"]
    assert body["total"] == sum(t["count"] for t in body["todos"])
    # A liaison's to-dos are their own unit's: the office's unassigned clue is not among them.
    theirs = api("liaison_chengxi").get("/api/v1/todos").json()
    assert not any(i["link"] == f"/clues/{clue.pk}/" for t in theirs["todos"] for i in t["items"])
