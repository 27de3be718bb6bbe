"""The JSON API of api.md for what exists now: token, /me, /units, /campaigns, self-inspections, coverage."""

import re

from django.test import Client

from qicha.campaigns.models import SelfInspection
from qicha.orgs.models import ApiToken

from .conftest import DEMO_PASSWORD


def test_token_and_me(api, user):
    client = api("liaison_chengdong")
    me = client.get("/api/v1/me").json()
    assert me["username"] == "liaison_chengdong"
    assert me["unit"]["name"] == "城东区民政局"
    assert me["roles"] == [{"code": "liaison", "name": "联络员", "scope": "subtree", "scope_label": "本单位及下级", "custom_units": []}]
    assert "selfinspection.edit" in me["permissions"]


def test_token_is_stored_hashed_and_expires(api, demo):
    response = Client().post("/api/v1/auth/token", {"username": "office", "password": DEMO_PASSWORD}, content_type="application/json")
    body = response.json()
    assert body["expires_at"].endswith("+08:00")
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()


def test_wrong_credentials_get_401_with_one_message(demo):
    for username in ("office", "nobody"):
        response = Client().post("/api/v1/auth/token", {"username": username, "password": "x"}, content_type="application/json")
        assert response.status_code == 401
        assert response.json() == {"code": "invalid_credentials", "message": "用户名或密码错误。", "details": {}}


def test_bad_token_is_401(demo):
    response = Client(headers={"Authorization": "Bearer forged"}).get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_units_only_in_scope(api):
    body = api("liaison_chengdong").get("/api/v1/units").json()
    assert body["count"] == 4
    names = [u["name"] for u in body["results"]]
    assert names[0] == "城东区民政局" and all(n.startswith("城东区民政局") for n in names)
    first = body["results"][0]
    assert set(first) >= {"id", "name", "parent_id", "kind", "path"}
    child = body["results"][1]
    assert child["parent_id"] == first["id"]


def test_units_page_size_is_bounded(api):
    response = api("office").get("/api/v1/units?page_size=501")
    assert response.status_code == 422 and "page_size" in response.json()["details"]


def test_campaign_detail_has_phases_and_items(api, demo):
    body = api("liaison_chengdong").get(f"/api/v1/campaigns/{demo.pk}").json()
    assert [p["kind"] for p in body["phases"]] == ["deploy", "rectify", "consolidate"]
    assert [i["ordinal"] for i in body["check_items"]] == [1, 2, 3, 4, 5, 6, 7]
    assert body["check_items"][0]["check_text"].startswith("查各区县X局")


def test_get_self_inspections_defaults_to_own_unit(api, demo):
    body = api("liaison_chengxi").get(f"/api/v1/campaigns/{demo.pk}/self-inspections").json()
    assert body["unit"]["name"] == "城西区民政局"
    assert len(body["entries"]) == 7 and all(e["filled"] for e in body["entries"])


def test_put_self_inspections_then_conflict(api, demo, unit):
    client = api("liaison_chengdong")
    url = f"/api/v1/campaigns/{demo.pk}/self-inspections?unit={unit('城东区民政局').pk}"
    created = client.put(url, {"entries": [{"check_item": 1, "statement": "主要领导带头部署。"}]}, content_type="application/json")
    assert created.status_code == 200
    entry = created.json()["entries"][0]
    assert entry["filled"] and entry["version"] == 1
    updated = client.put(url, {"entries": [{"check_item": 1, "statement": "补充", "version": 1}]}, content_type="application/json")
    assert updated.json()["entries"][0]["version"] == 2
    stale = client.put(url, {"entries": [{"check_item": 1, "statement": "过期", "version": 1}]}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert SelfInspection.objects.get(unit__name="城东区民政局", check_item__ordinal=1).statement == "补充"


def test_put_is_all_or_nothing_and_locates_errors(api, demo):
    client = api("liaison_chengdong")
    response = client.put(
        f"/api/v1/campaigns/{demo.pk}/self-inspections",
        {"entries": [
            {"check_item": 1, "statement": "好的一条"},
            {"check_item": 2, "no_problem_found": True},
            {"check_item": 9, "statement": "不存在的事项"},
        ]},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "填报内容有误，未保存任何一条。"
    assert body["details"] == {
        "entries.1.reason": "选择“未发现问题”时，请写明理由。",
        "entries.2.check_item": "查摆事项序号应为 1 至 7",
    }
    assert not SelfInspection.objects.filter(unit__name="城东区民政局").exists()


def test_malformed_body_gets_chinese_details(api, demo):
    response = api("liaison_chengdong").put(
        f"/api/v1/campaigns/{demo.pk}/self-inspections", {"entries": [{"statement": 1}]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["details"]["entries.0.check_item"] == "缺少此项"


def test_coverage(api, demo):
    body = api("office").get(f"/api/v1/campaigns/{demo.pk}/coverage").json()
    assert len(body["rows"]) == 15
    assert body["totals"] == {"missing": 15 * 7 - 9, "filled": 8, "problems": 1}
    chengxi = next(r for r in body["rows"] if r["unit"]["name"] == "城西区民政局")
    assert [c["label"] for c in chengxi["cells"]] == ["有问题"] + ["已填报"] * 6


def test_openapi_and_docs_are_local(demo, login):
    spec = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/units", "/api/v1/campaigns/{campaign_id}/coverage"):
        assert path in spec["paths"]
    docs = login("office").get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    # Every script and stylesheet is served from this host (offline intranet); the CSRF token is random text,
    # so look at the URLs, not at arbitrary substrings.
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert assets and all(url.startswith("/") for url in assets), assets


def test_session_writes_need_csrf(demo):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    csrf = client.cookies["qicha_csrftoken"].value
    signed_in = client.post("/login/", {"username": "liaison_chengdong", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": csrf})
    assert signed_in.status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    url = f"/api/v1/campaigns/{demo.pk}/self-inspections"
    body = {"entries": [{"check_item": 1, "statement": "x"}]}
    refused = client.put(url, body, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert not SelfInspection.objects.filter(unit__name="城东区民政局").exists()
    csrf = client.cookies["qicha_csrftoken"].value
    accepted = client.put(url, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200
