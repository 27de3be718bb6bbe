"""责任人 can be anyone: a name (with post and phone), linked to the unit's account of that name when there is one —
through the page, the API and the import; sign-off needs a named 责任人."""

from qicha.core.models import AuditEvent
from qicha.problems.models import Problem

from .problem_helpers import add_evidence, bring_to, register
from .test_problem_import import confirm_through_pages, made, preview_through_pages, workbook_bytes


def page_plan(unit, **extra) -> dict:
    return {"unit": unit.pk, "source": "self_inspection", "description": "低保台账更新不及时",
            "rectification_type": "immediate", "measures": "每周更新台账", "deadline": "2027-01-31"} | extra


def test_page_takes_any_name_and_links_the_matching_account(login, demo, unit, user):
    client = login("liaison_chengdong")
    form = client.get("/problems/new/").content.decode()
    # The unit's people are offered as suggestions, the field takes free text.
    assert '<datalist id="responsible-people" data-follows="#id_unit">' in form
    # The handler works in a section of 城东区民政局: offered when that bureau (or the section) is chosen.
    offered = form.split('<option value="钱承办" data-units="', 1)[1].split('"', 1)[0].split()
    assert {str(unit("城东区民政局").pk), str(unit("城东区民政局社会救助股").pk)} <= set(offered)
    assert 'list="responsible-people"' in form

    # A name with no account: kept as typed, no account linked; post and phone shown (the phone masked).
    response = client.post("/problems/new/", page_plan(
        unit("城东区民政局"), description="无账号的责任人", responsible_person_name="李明",
        responsible_person_post="副科长", responsible_person_phone="13905710000"))
    assert response.status_code == 302, response.content.decode()[:3000]
    nobody = Problem.objects.get(description="无账号的责任人")
    assert (nobody.responsible_person_name, nobody.responsible_person_id) == ("李明", None)
    detail = client.get(f"/problems/{nobody.pk}/").content.decode()
    assert "李明（副科长）" in detail and "139****0000" in detail and "13905710000" not in detail
    assert "未关联账号" in detail

    # The name of an active user of the unit (here of a unit below it): linked, so the to-do reaches that user.
    response = client.post("/problems/new/", page_plan(
        unit("城东区民政局"), description="承办人负责的问题", responsible_person_name="钱承办"))
    assert response.status_code == 302
    owned = Problem.objects.get(description="承办人负责的问题")
    assert owned.responsible_person == user("handler") and owned.responsible_person_name == "钱承办"
    assert "已关联账号" in client.get(f"/problems/{owned.pk}/").content.decode()
    handler = login("handler")
    mine = handler.get("/problems/?mine=1&rectifying=1").content.decode()
    assert "承办人负责的问题" in mine and "无账号的责任人" not in mine
    assert "承办人负责的问题" in handler.get("/").content.decode()  # the 工作台's 分配给我的问题


def test_editing_the_name_moves_the_account_and_keeps_the_masked_phone(login, demo, unit, user):
    client = login("liaison_chengdong")
    client.post("/problems/new/", page_plan(unit("城东区民政局"), responsible_person_name="钱承办",
                                            responsible_person_phone="13905710000"))
    problem = Problem.objects.get(description="低保台账更新不及时")
    edit = client.get(f"/problems/{problem.pk}/edit/").content.decode()
    assert 'value="139****0000"' in edit and "13905710000" not in edit
    response = client.post(f"/problems/{problem.pk}/edit/", page_plan(
        unit("城东区民政局"), responsible_person_name="张三", responsible_person_phone="139****0000",
        version=problem.version))
    assert response.status_code == 302, response.content.decode()[:3000]
    problem.refresh_from_db()
    assert (problem.responsible_person_name, problem.responsible_person_id) == ("张三", None)
    assert problem.responsible_person_phone.clear() == "13905710000"  # the masked number sent back changes nothing
    assert "张三" not in login("handler").get("/problems/?mine=1").content.decode()


def test_api_accepts_a_name_or_the_old_user_id(api, demo, unit, user):
    client = api("liaison_chengdong")
    base = {"campaign": demo.pk, "unit": unit("城东区民政局").pk, "source": "self_inspection",
            "rectification_type": "immediate", "measures": "立行立改", "deadline": "2027-01-31"}
    named = client.post("/api/v1/problems", base | {"description": "甲", "responsible_person": "李明",
                                                     "responsible_person_phone": "13905710000"},
                        content_type="application/json")
    assert named.status_code == 201, named.content
    assert named.json()["responsible_person"] == {"name": "李明", "post": "", "phone": "139****0000", "id": None}
    linked = client.post("/api/v1/problems", base | {"description": "乙", "responsible_person": "钱承办"},
                         content_type="application/json").json()
    assert linked["responsible_person"]["id"] == user("handler").pk
    old_form = client.post("/api/v1/problems", base | {"description": "丙", "responsible_person": user("handler").pk},
                           content_type="application/json").json()
    assert old_form["responsible_person"]["name"] == "钱承办" and old_form["responsible_person"]["id"] == user("handler").pk
    # PATCH by name: the account follows the name.
    patched = client.patch(f"/api/v1/problems/{linked['id']}", {"version": linked["version"], "responsible_person": "王五"},
                           content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["responsible_person"] == {"name": "王五", "post": "", "phone": "", "id": None}
    # The handler's API to-do list follows the account.
    mine = api("handler").get("/api/v1/problems?mine=1").json()
    assert {p["description"] for p in mine["results"]} & {"甲", "乙", "丙"} == {"丙"}
    schema = client.get("/api/v1/openapi.json").json()
    assert "李明" in str(schema["components"]["schemas"]["ProblemIn"]["properties"]["responsible_person"])


def test_import_takes_any_name_and_the_preview_says_which_matched(login, demo, user):
    headers = [*made.TEMPLATE_HEADERS, "责任人职务", "责任人电话"]
    matched, unmatched = list(made.GOOD) + ["联络员", ""], list(made.GOOD) + ["科员", "13905710000"]
    matched[5], matched[13] = "有账号的责任人。", "城西联络员"
    unmatched[5], unmatched[13] = "无账号的责任人。", "陈某某"
    client = login("liaison_chengxi")
    job, html = preview_through_pages(client, "names.xlsx", workbook_bytes([matched, unmatched], headers=headers))
    assert job.result["can_confirm"] and job.result["errors_total"] == 0
    people = {row["responsible_person"]: row["account"] for row in job.result["sample"]}
    assert people == {"城西联络员": "已关联账号 liaison_chengxi", "陈某某": "未关联账号"}
    assert "已关联账号 liaison_chengxi" in html and "未关联账号" in html
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "done", confirm.message
    linked = Problem.objects.get(description="有账号的责任人。")
    assert (linked.responsible_person, linked.responsible_person_post) == (user("liaison_chengxi"), "联络员")
    free = Problem.objects.get(description="无账号的责任人。")
    assert (free.responsible_person_name, free.responsible_person_id) == ("陈某某", None)
    assert free.responsible_person_phone.clear() == "13905710000"


def test_sign_off_is_refused_without_a_named_person(api, demo):
    problem = bring_to(register(demo), "in_progress")
    add_evidence(problem)
    problem = bring_to(Problem.objects.get(pk=problem.pk), "submitted")
    assert problem.responsible_person_name == ""
    response = api("office").post(f"/api/v1/problems/{problem.pk}/actions/sign_off", {
        "checks": dict.fromkeys(["facts_clear", "rectified", "responsibility_fixed", "public_satisfied",
                                 "loophole_closed", "weakness_fixed"], True), "opinion": "同意"},
        content_type="application/json")
    assert response.status_code == 422
    assert "尚未明确责任人，不能确认“责任落实”" in response.json()["details"]["checks"]
    assert Problem.objects.get(pk=problem.pk).status == "submitted"
    assert not AuditEvent.objects.filter(object_id=str(problem.pk), action="sign_off", outcome="success").exists()


def test_the_sign_off_form_does_not_let_responsibility_be_ticked_without_a_name(login, demo):
    problem = bring_to(register(demo), "in_progress")
    add_evidence(problem)
    problem = bring_to(Problem.objects.get(pk=problem.pk), "submitted")
    html = login("office").get(f"/problems/{problem.pk}/").content.decode()
    box = html.split('name="check_responsibility_fixed"', 1)[0].rsplit("<input", 1)[1] + html.split(
        'name="check_responsibility_fixed"', 1)[1].split(">", 1)[0]
    assert "disabled" in box
    assert "尚未明确责任人：请先在整改方案中填写责任人。" in html
