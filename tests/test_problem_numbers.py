"""One 问题编号 everywhere a user meets it: the list, the detail page and its breadcrumbs show "P000013" as the
Excel export and import write it, and the list's keyword search finds a problem by that number ("P000013", "p13",
"#13"), within the viewer's scope only."""

import re

import pytest

from qicha.problems import queries
from qicha.problems.importing import format_problem_no

from .problem_helpers import register


def listed(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-problem="(\d+)"', html)}


@pytest.mark.parametrize("typed", ["{no}", "{no_lower}", "p{pk}", "#{pk}", "＃{pk}", "Ｐ{pk}", " {no} "])
def test_the_list_finds_a_problem_by_its_number_as_typed(login, demo, typed):
    wanted = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="按编号查找的问题")
    register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="另一个问题")
    no = format_problem_no(wanted.pk)
    query = typed.format(no=no, no_lower=no.lower(), pk=wanted.pk)
    response = login("liaison_chengxi").get("/problems/", {"q": query})
    assert listed(response.content.decode()) == {wanted.pk}


def test_a_number_still_searches_text_and_never_reaches_outside_the_scope(login, api, demo, user):
    chengdong = register(demo, unit_name="城东区民政局", by="liaison_chengdong", description="城东的问题")
    mentioned = register(demo, unit_name="城西区民政局", by="liaison_chengxi",
                         description=f"与 #{chengdong.pk} 同类的问题")
    no = format_problem_no(chengdong.pk)
    assert listed(login("liaison_chengxi").get("/problems/", {"q": no}).content.decode()) == set()
    assert listed(login("liaison_chengxi").get("/problems/", {"q": f"#{chengdong.pk}"}).content.decode()) \
        == {mentioned.pk}  # the text match stays; the other unit's problem is not found by its number
    assert listed(login("office").get("/problems/", {"q": no}).content.decode()) == {chengdong.pk}
    # The API reads the same filters.
    found = api("liaison_chengdong").get("/api/v1/problems", {"q": no.lower()}).json()
    assert [row["id"] for row in found["results"]] == [chengdong.pk]
    filters = queries.ProblemFilters.from_params({"q": "P0"})  # not a number: plain text, finds nothing odd
    assert not queries.problem_list(user("office"), filters).filter(pk=chengdong.pk).exists()


def test_list_detail_and_breadcrumbs_show_the_number_the_spreadsheets_use(login, demo):
    problem = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="显示编号的问题")
    no = format_problem_no(problem.pk)
    client = login("liaison_chengxi")
    html = client.get("/problems/", {"q": "显示编号的问题"}).content.decode()
    assert f'<a href="/problems/{problem.pk}/">{no}</a>' in html and f">#{problem.pk}<" not in html
    detail = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f"<title>问题 {no} · " in detail and f'<h2 class="page-title">问题 {no}</h2>' in detail
    assert f'<li class="breadcrumb-item active" aria-current="page">问题 {no}</li>' in detail
    assert f"问题 #{problem.pk}" not in detail
    edit = client.get(f"/problems/{problem.pk}/edit/").content.decode()
    assert f'href="/problems/{problem.pk}/">问题 {no}</a>' in edit


def test_the_audit_log_names_a_problem_by_its_number(demo):
    from qicha.core.models import AuditEvent

    problem = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description="审计日志里的问题")
    event = AuditEvent.objects.filter(object_type="problems.problem", object_id=str(problem.pk)).first()
    assert event.object_repr == f"{format_problem_no(problem.pk)} 审计日志里的问题"
