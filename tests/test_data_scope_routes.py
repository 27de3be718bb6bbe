"""R-ORG-4 on every route that exists now: out-of-scope records are 404 by page and by API; the 三员 see no business data."""

import pytest

from qicha.campaigns.models import SelfInspection

ADMINS = ["sysadmin", "secadmin", "auditor"]


@pytest.fixture
def chengxi(unit):
    return unit("城西区民政局")


def page_urls(campaign, unit_id):
    return [
        f"/campaigns/{campaign.pk}/self-inspection/{unit_id}/",
        f"/campaigns/{campaign.pk}/self-inspection/{unit_id}/1/",
    ]


def test_liaison_gets_404_for_another_districts_pages(login, demo, chengxi):
    client = login("liaison_chengdong")
    for url in page_urls(demo, chengxi.pk):
        assert client.get(url).status_code == 404, url
    response = client.post(page_urls(demo, chengxi.pk)[1], {"statement": "篡改", "version": 1})
    assert response.status_code == 404
    assert not SelfInspection.objects.filter(statement="篡改").exists()


def test_liaison_gets_404_for_another_district_by_api(api, demo, chengxi):
    client = api("liaison_chengdong")
    url = f"/api/v1/campaigns/{demo.pk}/self-inspections?unit={chengxi.pk}"
    assert client.get(url).status_code == 404
    put = client.put(url, {"entries": [{"check_item": 1, "statement": "篡改", "version": 1}]}, content_type="application/json")
    assert put.status_code == 404 and put.json()["code"] == "not_found"
    assert not SelfInspection.objects.filter(statement="篡改").exists()


def test_nonexistent_and_out_of_scope_look_the_same(api, demo, chengxi):
    client = api("liaison_chengdong")
    foreign = client.get(f"/api/v1/campaigns/{demo.pk}/self-inspections?unit={chengxi.pk}").json()
    missing = client.get(f"/api/v1/campaigns/{demo.pk}/self-inspections?unit=999999").json()
    assert foreign == missing


def test_liaison_sees_own_subtree_only_in_the_matrix(login, demo):
    body = login("liaison_chengdong").get(f"/campaigns/{demo.pk}/coverage/").content.decode()
    assert "城东区民政局" in body and "城西区民政局" not in body


def test_handler_cannot_open_self_inspections(login, demo, unit):
    client = login("handler")
    assert client.get(f"/campaigns/{demo.pk}/self-inspection/{unit('城东区民政局').pk}/").status_code == 403
    assert client.get(f"/campaigns/{demo.pk}/coverage/").status_code == 403


def test_leader_reads_everything_but_cannot_write(login, demo, chengxi):
    client = login("leader")
    assert client.get(page_urls(demo, chengxi.pk)[1]).status_code == 200
    assert client.post(page_urls(demo, chengxi.pk)[1], {"statement": "领导改写", "version": 1}).status_code == 404
    assert not SelfInspection.objects.filter(statement="领导改写").exists()


@pytest.mark.parametrize("admin", ADMINS)
def test_admins_get_no_business_pages(login, demo, chengxi, admin):
    client = login(admin)
    for url in ["/campaigns/", f"/campaigns/{demo.pk}/", f"/campaigns/{demo.pk}/coverage/",
                "/campaigns/self-inspection/", "/reporting/", "/documents/", *page_urls(demo, chengxi.pk)]:
        assert client.get(url).status_code == 403, url
    home = client.get("/").content.decode()
    assert "城西区民政局" not in home and "查摆覆盖情况" not in home


@pytest.mark.parametrize("admin", ADMINS)
def test_admins_get_no_business_data_by_api(api, demo, chengxi, admin):
    client = api(admin)
    assert client.get("/api/v1/campaigns").json()["count"] == 0
    for url in [f"/api/v1/campaigns/{demo.pk}", f"/api/v1/campaigns/{demo.pk}/coverage",
                f"/api/v1/campaigns/{demo.pk}/self-inspections?unit={chengxi.pk}"]:
        assert client.get(url).status_code == 404, url


def test_refused_pages_are_audited(login):
    from qicha.core.models import AuditEvent

    login("auditor").get("/campaigns/")
    event = AuditEvent.objects.get(event_type="access_denied")
    assert event.actor_username == "auditor" and event.object_repr == "/campaigns/" and event.outcome == "denied"
