"""全局搜索 (issue 19): one box in the header finds problems, clues (an identity number through the blind index, a
credit code), cases and units — only in the searcher's scope, grouped by kind, counting what the list it links to
shows."""

import re

from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no

from .clue_helpers import PERSON_ID, bring_to, intake

CREDIT_CODE = "51110000MJ00000006"


def group_count(page: str, key: str) -> int | None:
    match = re.search(rf'data-testid="search-count-{key}">(\d+)<', page)
    return int(match.group(1)) if match else None


def test_the_header_has_a_search_box(login, demo):
    page = login("liaison_chengdong").get("/problems/").content.decode()
    assert 'data-testid="search-box"' in page and 'action="/search/"' in page


def test_a_problem_is_found_by_its_number_and_the_count_matches_the_list(login, demo):
    office = login("office")
    problem = Problem.objects.order_by("pk").first()
    page = office.get("/search/", {"q": format_problem_no(problem.pk)}).content.decode()
    assert f"/problems/{problem.pk}/" in page and group_count(page, "problems") >= 1
    word = problem.description[:4]
    page = office.get("/search/", {"q": word}).content.decode()
    listed = office.get("/problems/", {"q": word}).content.decode()
    all_tab = int(re.search(r'全部 <span class="badge[^"]*">(\d+)<', listed).group(1))
    assert group_count(page, "problems") == all_tab


def test_a_clue_is_found_by_an_identity_number_or_credit_code_only_in_scope(login, demo):
    clue = intake(demo, reference_no="SS-1", content="反映某公司强揽工程",
                  subjects=[{"kind": "person", "name": "赵某某", "id_number": PERSON_ID},
                            {"kind": "organisation", "name": "某建设公司", "credit_code": CREDIT_CODE}])
    bring_to(clue, "assigned", unit_name="城西区民政局", worker="liaison_chengxi")
    for username in ("office", "liaison_chengxi"):
        client = login(username)
        for q in (PERSON_ID, PERSON_ID.lower(), CREDIT_CODE, "赵某某", "SS-1"):
            page = client.get("/search/", {"q": q}).content.decode()
            assert f"/clues/{clue.pk}/" in page, (username, q)
            assert group_count(page, "clues") == 1
        assert PERSON_ID not in client.get("/search/", {"q": "赵某某"}).content.decode()  # hits never show it
    # Another district's liaison: the same number finds nothing, and says so.
    page = login("liaison_chengdong").get("/search/", {"q": PERSON_ID}).content.decode()
    assert f"/clues/{clue.pk}/" not in page and 'data-testid="search-empty"' in page
    # Part of a number finds nothing (no probing digit by digit).
    assert group_count(login("office").get("/search/", {"q": PERSON_ID[:12]}).content.decode(), "clues") is None
    # The clue list's keyword finds it the same way.
    assert "SS-1" in login("office").get("/clues/", {"q": PERSON_ID}).content.decode()


def test_units_are_found_and_grouped(login, demo):
    page = login("office").get("/search/", {"q": "城东区"}).content.decode()
    assert group_count(page, "units") >= 1 and "城东区民政局" in page
    assert page.index('data-testid="search-group-problems"') < page.index('data-testid="search-group-units"') \
        if 'data-testid="search-group-problems"' in page else True
    chengdong = login("liaison_chengdong").get("/search/", {"q": "城西区"}).content.decode()
    assert group_count(chengdong, "units") is None  # a unit outside the liaison's scope is not named


def test_the_manual_has_a_page_per_role_and_the_api_is_under_developer_interface(login, demo):
    client = login("liaison_chengdong")
    index = client.get("/help/").content.decode()
    assert "操作手册" in index and "开发接口" in index and "接口文档" not in index
    for role, name in [("office", "扫黑办"), ("leader", "局领导"), ("liaison", "联络员"), ("handler", "承办人"),
                       ("inspector", "督导员"), ("sysadmin", "系统管理员"), ("secadmin", "安全管理员"),
                       ("auditor", "审计管理员")]:
        page = client.get(f"/help/{role}/").content.decode()
        assert f"操作手册：{name}" in page and "<ol" in page, role
    assert client.get("/help/nobody/").status_code == 404
