"""Units carry their 行政区划代码 (six-digit county, twelve-digit village): set on the unit page and through the API,
checked, audited; the demo sets the districts'."""

from qicha.orgs.models import Unit


def test_the_demo_districts_have_county_codes(demo):
    assert Unit.objects.get(name="南山县民政局").region_code == "410322"


def test_the_api_sets_a_region_code_and_refuses_a_malformed_one(api, unit):
    chengxi = unit("城西区民政局")
    client = api("sysadmin")
    answer = client.patch(f"/api/v1/units/{chengxi.pk}", {"version": chengxi.version, "region_code": "410303001002"},
                          content_type="application/json")
    assert answer.status_code == 200 and answer.json()["region_code"] == "410303001002"
    refused = client.patch(f"/api/v1/units/{chengxi.pk}", {"version": chengxi.version + 1, "region_code": "4103"},
                           content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["details"] == {"region_code": "行政区划代码应为 6 位（区县）或 12 位（乡镇、村）数字。"}
    assert api("liaison_chengxi").patch(f"/api/v1/units/{chengxi.pk}", {"version": 2, "region_code": "410303"},
                                        content_type="application/json").status_code == 403


def test_the_unit_page_edits_the_region_code(login, unit):
    beihu = unit("北湖县民政局")
    page = login("sysadmin")
    form = page.get(f"/admin/units/{beihu.pk}/").content.decode()
    assert "行政区划代码" in form and 'value="410323"' in form
    page.post(f"/admin/units/{beihu.pk}/", {"name": beihu.name, "kind": beihu.kind, "code": beihu.code,
                                                 "region_code": "410324", "is_active": "on", "version": beihu.version})
    beihu.refresh_from_db()
    assert beihu.region_code == "410324"
