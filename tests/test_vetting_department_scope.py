"""A 联审部门 account sees its own rounds and nothing else: name, village, masked ID and post of the candidates it
answers for — not the other departments' answers, not the summary, not another round, and none of the platform's
other pages or API lists (the sidebar shows only 村“两委”联审)."""

import pytest

from qicha.orgs.models import User
from qicha.vetting import services

from .test_vetting_rounds import answer_all, dept, id_number, open_round

OTHER_PAGES = ["/campaigns/", "/campaigns/self-inspection/", "/problems/", "/problems/rules/", "/clues/", "/cases/",
               "/supervision/", "/ledgers/", "/ledgers/village_disputes/", "/reporting/", "/documents/", "/dashboard/",
               "/admin/units/", "/admin/users/", "/admin/roles/", "/audit/", "/vetting/new/", "/vetting/candidates/",
               "/vetting/members/", "/vetting/members/new/", "/vetting/review/", "/vetting/template/"]
OTHER_API_LISTS = ["/api/v1/campaigns", "/api/v1/problems", "/api/v1/clues", "/api/v1/cases",
                   "/api/v1/vetting/candidates", "/api/v1/vetting/members"]


@pytest.fixture
def rounds(demo):
    mine = open_round()
    answer_all(mine, "区公安分局", objections={3: "criminal"})
    office = User.objects.get(username="office")
    mine.departments.get(name="区公安分局").accounts.remove(User.objects.get(username="t_dept_b"))
    # A second round the court is not asked in.
    other = services.rounds.open_round(office, election="另一批次", region=mine.region, deadline=mine.deadline,
                                       departments=[("区委组织部", [User.objects.get(username="t_dept_a")])])
    return mine, other


def test_a_department_sees_nothing_else_by_page(rounds, login):
    mine, other = rounds
    client = login("t_dept_c")
    home = client.get("/").content.decode()
    assert "村“两委”联审" in home and "问题整改" not in home and "线索核查" not in home
    for url in OTHER_PAGES:
        assert client.get(url).status_code in (403, 404), url
    assert "操作手册：联审部门" in client.get("/help/vetting_department/").content.decode()
    found = client.get("/search/", {"q": "城西"}).content.decode()
    assert 'data-testid="search-group-' not in found  # the search box finds nothing either
    court = dept(mine, "区人民法院")
    assert client.get("/vetting/").status_code == 200
    assert client.get(f"/vetting/{mine.pk}/").status_code == 302  # to its own department's page
    page = client.get(f"/vetting/{mine.pk}/departments/{court.pk}/").content.decode()
    first = mine.candidates.get(number=1)
    assert first.name in page and first.village in page and first.post in page and first.id_number.masked in page
    assert id_number(1) not in page
    assert "经查有前科" not in page and "区公安分局" not in page  # the police's objection is not the court's business
    for url in [f"/vetting/{mine.pk}/departments/{dept(mine, '区公安分局').pk}/", f"/vetting/{mine.pk}/summary.xlsx",
                f"/vetting/{other.pk}/", f"/vetting/{other.pk}/summary.xlsx",
                f"/vetting/{other.pk}/departments/{other.departments.get().pk}/"]:
        assert client.get(url).status_code == (403 if url.endswith(".xlsx") else 404), url
    for url in [f"/vetting/{mine.pk}/import/", f"/vetting/{mine.pk}/precheck/", f"/vetting/{mine.pk}/actions/close/",
                f"/vetting/candidates/{first.pk}/decide/", f"/vetting/candidates/{first.pk}/to-ledger/"]:
        assert client.post(url).status_code in (403, 404), url


def test_a_department_sees_nothing_else_by_api(rounds, api):
    mine, other = rounds
    client = api("t_dept_c")
    for url in OTHER_API_LISTS:
        response = client.get(url)
        assert response.status_code == 404 or response.json()["count"] == 0, url
    assert client.get("/api/v1/dashboard").status_code in (403, 404)
    assert [r["id"] for r in client.get("/api/v1/vetting/rounds").json()] == [mine.pk]
    data = client.get(f"/api/v1/vetting/rounds/{mine.pk}").json()
    assert set(data["candidates"][0]) == {"id", "round", "number", "village", "name", "id_number", "post",
                                          "precheck_hints"}
    assert [d["name"] for d in data["departments"]] == ["区人民法院"]
    assert client.get(f"/api/v1/vetting/rounds/{other.pk}").status_code == 404
    police = dept(mine, "区公安分局")
    first = mine.candidates.get(number=1)
    put = client.put(f"/api/v1/vetting/rounds/{mine.pk}/departments/{police.pk}/answers/{first.pk}",
                     {"verdict": "none"}, content_type="application/json")
    assert put.status_code == 404
    court = dept(mine, "区人民法院")
    ok = client.put(f"/api/v1/vetting/rounds/{mine.pk}/departments/{court.pk}/answers/{first.pk}",
                    {"verdict": "objection", "ground": "discipline", "note": "2025年受过处分"},
                    content_type="application/json")
    assert ok.status_code == 200 and ok.json()["verdict"] == "objection"


def test_an_account_removed_from_a_department_sees_it_no_more(rounds, login):
    mine, _ = rounds
    client = login("t_dept_b")
    assert client.get(f"/vetting/{mine.pk}/").status_code == 404
    assert client.get(f"/vetting/{mine.pk}/departments/{dept(mine, '区公安分局').pk}/").status_code == 404
