"""Issue 14 item 5: the office starts a campaign on a page or by the API (from the 七查七摆 template or as a copy of
an earlier campaign) and edits the check items' texts while the campaign runs — versioned, audited."""

from datetime import date

from qicha.campaigns.models import Campaign
from qicha.campaigns.template import SEVEN_CHECKS, load_template
from qicha.core.models import AuditEvent


def _participants(unit):
    return [unit("城东区民政局").pk, unit("城西区民政局").pk]


def test_office_creates_a_campaign_on_the_page_from_the_template(login, unit, demo):
    client = login("office")
    page = client.get("/campaigns/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "“七查七摆”模板" in html and f"复制：{demo.name}" in html
    response = client.post("/campaigns/new/", {
        "source": "template", "name": "2027年“七查七摆”专项行动", "year": 2027, "document_no": "民扫办〔2027〕1号",
        "organiser": unit("局扫黑办").pk, "report_due_day": 20, "participating_units": _participants(unit),
        "deploy_start_date": "2027-03-01", "deploy_end_date": "2027-03-31",
        "rectify_start_date": "2027-04-01", "rectify_end_date": "2027-06-30",
        "consolidate_start_date": "2027-07-01", "consolidate_end_date": "2027-12-31",
        "stage_summary_due": "2027-06-23", "clue_clearance_date": "2027-06-30", "final_summary_due": "2027-12-20",
    })
    campaign = Campaign.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.document_no == "民扫办〔2027〕1号" and campaign.report_due_day == 20
    assert campaign.stage_summary_due == date(2027, 6, 23) and campaign.clue_clearance_date == date(2027, 6, 30)
    assert [(p.kind, p.start_date) for p in campaign.phases.all()] == [
        ("deploy", date(2027, 3, 1)), ("rectify", date(2027, 4, 1)), ("consolidate", date(2027, 7, 1))]
    assert sorted(u.name for u in campaign.participating_units.all()) == ["城东区民政局", "城西区民政局"]
    items = load_template(SEVEN_CHECKS)["items"]
    assert list(campaign.check_items.values_list("check_text", flat=True)) == [i["check_text"] for i in items]
    assert AuditEvent.objects.filter(event_type="create", object_type="campaigns.campaign",
                                     object_id=str(campaign.pk), actor_username="office").exists()
    detail = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "2027年“七查七摆”专项行动" in detail and "专项行动“2027年“七查七摆”专项行动”已创建" in detail


def test_page_refuses_an_end_before_the_start_and_writes_nothing(login, unit):
    client = login("office")
    response = client.post("/campaigns/new/", {
        "source": "template", "name": "新行动", "year": 2027, "organiser": unit("局扫黑办").pk,
        "report_due_day": 21, "participating_units": _participants(unit),
        "deploy_start_date": "2027-03-31", "deploy_end_date": "2027-03-01", "stage_summary_due": "2026-06-23",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "安排部署阶段的结束日期早于开始日期。" in html
    assert "阶段总结报送时限（2026-06-23）早于行动开始日期（2027-03-31）。" in html
    assert not Campaign.objects.filter(year=2027).exists()


def test_a_liaison_cannot_open_the_new_campaign_page(login):
    assert login("liaison_chengdong").get("/campaigns/new/").status_code in (403, 404)


def test_api_creates_from_the_template_with_default_dates(api, unit):
    client = api("office")
    response = client.post("/api/v1/campaigns", {
        "name": "2027年“七查七摆”专项行动", "year": 2027, "document_no": "民扫办〔2027〕2号",
        "participating_units": _participants(unit),
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["template"] == SEVEN_CHECKS and len(body["check_items"]) == 7
    assert body["organiser"]["name"] == "局扫黑办"
    assert [(p["kind"], p["start_date"]) for p in body["phases"]] == [
        ("deploy", "2027-03-01"), ("rectify", "2027-04-01"), ("consolidate", "2027-07-01")]
    assert body["report_due_day"] == 21 and body["stage_summary_due"] == "2027-06-23"
    assert {u["name"] for u in body["participating_units"]} == {"城东区民政局", "城西区民政局"}


def test_api_copies_an_earlier_campaign_with_its_edited_items(api, unit, demo):
    client = api("office")
    first = client.patch(f"/api/v1/campaigns/{demo.pk}/check-items/1",
                         {"version": 1, "check_text": "查各区县民政局及局属各单位履行领导责任情况"},
                         content_type="application/json")
    assert first.status_code == 200
    response = client.post("/api/v1/campaigns", {
        "name": "下一年度专项行动", "year": demo.year + 1, "copy_from": demo.pk,
        "participating_units": _participants(unit),
        "phases": [{"kind": "deploy", "start_date": f"{demo.year + 1}-02-01", "end_date": f"{demo.year + 1}-02-28"}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["check_items"][0]["check_text"] == "查各区县民政局及局属各单位履行领导责任情况"
    assert [i["version"] for i in body["check_items"]] == [1] * 7
    assert body["phases"] == [{"kind": "deploy", "name": "安排部署阶段", "start_date": f"{demo.year + 1}-02-01",
                               "end_date": f"{demo.year + 1}-02-28"}]
    assert body["stage_summary_due"] == demo.stage_summary_due.replace(year=demo.year + 1).isoformat()


def test_api_refuses_bad_input_with_chinese_messages(api, unit):
    client = api("office")
    response = client.post("/api/v1/campaigns", {
        "name": " ", "year": 2027, "participating_units": [], "report_due_day": 31,
        "phases": [{"kind": "later"}],
    }, content_type="application/json")
    assert response.status_code == 422
    details = response.json()["details"]
    assert "deploy, rectify, consolidate" in details["phases.0.kind"]
    count = Campaign.objects.count()
    response = client.post("/api/v1/campaigns", {"name": " ", "year": 2027, "report_due_day": 31,
                                                 "participating_units": []}, content_type="application/json")
    details = response.json()["details"]
    assert details["name"] == "请填写行动名称。" and "1 至 28" in details["report_due_day"]
    assert details["participating_units"] == "请至少选择一个参与单位。"
    assert Campaign.objects.count() == count
    assert api("liaison_chengdong").post("/api/v1/campaigns", {"name": "x", "year": 2027, "participating_units": []},
                                         content_type="application/json").status_code == 403


def test_check_item_edit_is_versioned_audited_and_refused_after_close(api, login, demo):
    client = login("office")
    url = f"/campaigns/{demo.pk}/items/3/edit/"
    item = demo.check_items.get(ordinal=3)
    form = {"title": item.title, "check_text": "查对中央扫黑除恶第10督导组反馈问题的整改方案",
            "present_text": item.present_text, "key_points": item.key_points, "version": 1}
    assert client.post(url, form).status_code == 302
    item.refresh_from_db()
    assert item.check_text == "查对中央扫黑除恶第10督导组反馈问题的整改方案" and item.version == 2
    event = AuditEvent.objects.get(event_type="update", object_type="campaigns.checkitem", object_id=str(item.pk))
    assert event.before["check_text"] == "查对中央扫黑除恶第X督导组反馈问题的整改方案"
    assert event.after["check_text"] == "查对中央扫黑除恶第10督导组反馈问题的整改方案"
    stale = client.post(url, {**form, "check_text": "过期的修改"})
    assert stale.status_code == 200 and "已被他人修改" in stale.content.decode()
    token = api("office")
    conflict = token.patch(f"/api/v1/campaigns/{demo.pk}/check-items/3", {"version": 1, "title": "x"},
                           content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    Campaign.objects.filter(pk=demo.pk).update(is_active=False)
    closed = token.patch(f"/api/v1/campaigns/{demo.pk}/check-items/3", {"version": 2, "title": "x"},
                         content_type="application/json")
    assert closed.status_code == 422 and closed.json()["message"] == "专项行动已结束，查摆事项不能再修改。"
    page = client.post(url, {**form, "version": 2})
    assert page.status_code == 200 and "专项行动已结束，查摆事项不能再修改。" in page.content.decode()
    item.refresh_from_db()
    assert item.version == 2 and item.title != "x"
    assert "data-testid=\"edit-item-3\"" not in client.get(f"/campaigns/{demo.pk}/").content.decode()


def test_page_copies_an_earlier_campaign_with_its_items_and_units(login, unit, demo):
    client = login("office")
    item = demo.check_items.get(ordinal=1)
    client.post(f"/campaigns/{demo.pk}/items/1/edit/", {
        "title": item.title, "check_text": "查各区县民政局及局属各单位履行领导责任情况", "present_text": item.present_text,
        "key_points": item.key_points, "version": 1})
    page = client.get(f"/campaigns/new/?copy={demo.pk}").content.decode()
    assert f'<option value="{demo.pk}" selected>复制：{demo.name}</option>' in page
    year = demo.year + 1
    form = {"source": str(demo.pk), "name": f"{year}年专项行动", "year": year, "organiser": unit("局扫黑办").pk,
            "report_due_day": 21, "participating_units": [u.pk for u in demo.participating_units.all()],
            "deploy_start_date": f"{year}-03-01", "deploy_end_date": f"{year}-03-31"}
    assert client.post("/campaigns/new/", form).status_code == 302
    copy = Campaign.objects.get(year=year)
    assert copy.check_items.get(ordinal=1).check_text == "查各区县民政局及局属各单位履行领导责任情况"
    assert copy.participating_units.count() == demo.participating_units.count()
    assert copy.template_code == demo.template_code
    # The earlier campaign's phase tasks come along; its dates are the ones typed.
    deploy = copy.phases.get(kind="deploy")
    assert deploy.tasks == demo.phases.get(kind="deploy").tasks and deploy.start_date == date(year, 3, 1)


def test_next_years_campaign_waits_in_the_wings_until_it_starts(api, login, user, demo):
    """Set up in December, next year's campaign must not take this year's open work off the pages before it starts."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from qicha.campaigns.queries import current_campaign

    year = demo.year + 1
    created = api("office").post("/api/v1/campaigns", {
        "name": f"{year}年“七查七摆”专项行动", "year": year, "participating_units": [u.pk for u in
                                                                          demo.participating_units.all()],
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    beijing = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(demo.year, 12, 6, 10, tzinfo=beijing), tick=False):
        assert current_campaign(user("office")) == demo
        assert demo.name in login("office").get("/").content.decode()
    with time_machine.travel(datetime(year, 3, 2, 10, tzinfo=beijing), tick=False):
        assert current_campaign(user("office")).year == year


def test_the_new_campaign_page_offers_the_first_year_without_one(login, demo):
    html = login("office").get("/campaigns/new/").content.decode()
    assert f'value="{demo.year + 1}年“七查七摆”专项行动"' in html
    assert f'value="{demo.year + 1}-03-01"' in html  # the template's dates follow the year


def test_a_stage_ending_before_it_starts_is_marked_at_its_end_date(login, unit):
    response = login("office").post("/campaigns/new/", {
        "source": "template", "name": "新行动", "year": 2027, "organiser": unit("局扫黑办").pk,
        "report_due_day": 21, "participating_units": _participants(unit),
        "deploy_start_date": "2027-03-31", "deploy_end_date": "2027-03-01",
    })
    html = response.content.decode()
    field = html[html.index('id="id_deploy_end_date"') - 300:html.index('id="id_deploy_end_date"') + 900]
    assert "is-invalid" in field and "安排部署阶段的结束日期早于开始日期。" in field


def test_stages_follow_one_another_within_the_campaigns_year(login, unit):
    response = login("office").post("/campaigns/new/", {
        "source": "template", "name": "新行动", "year": 2028, "organiser": unit("局扫黑办").pk,
        "report_due_day": 21, "participating_units": _participants(unit),
        "deploy_start_date": "2027-03-01", "deploy_end_date": "2027-04-30",
        "rectify_start_date": "2027-04-01", "rectify_end_date": "2027-06-30",
    })
    html = response.content.decode()
    assert response.status_code == 200 and not Campaign.objects.filter(name="新行动").exists()
    field = html[html.index('id="id_rectify_start_date"') - 300:html.index('id="id_rectify_start_date"') + 900]
    assert "集中整改阶段开始（2027-04-01）不晚于安排部署阶段结束（2027-04-30）：各阶段应依次进行。" in field
    assert "行动开始日期（2027-03-01）不在2028年度内：请核对年度或阶段日期。" in html
