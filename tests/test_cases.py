"""R-CAS-1..2: supervised cases (案件督办) — the transition table for every role, progress, the 一案一整治 record
that a case cannot close without, rectification problems in the ledger, versions and data scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.clues.models import Case, SectorRectification
from qicha.clues.services import cases as services
from qicha.clues.workflow import CASE_TRANSITIONS
from qicha.core.errors import Conflict, Invalid
from qicha.orgs.demo import DEMO_USERS
from qicha.orgs.models import Role, Unit, User
from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no

from .conftest import DEMO_PASSWORD
from .problem_helpers import bring_to, pdf, register

CHENGXI = "城西区民政局"
# Users the demo does not have, made here so every builtin business role is walked.
EXTRA_USERS = [
    ("unit_leader_chengxi", CHENGXI, "unit_leader"),
    ("unit_leader_chengdong", "城东区民政局", "unit_leader"),
    ("inspector", "局扫黑办", "inspector"),
]
EVERYONE = [u[0] for u in DEMO_USERS] + [u[0] for u in EXTRA_USERS]
SEES = {"office", "leader", "liaison_chengxi", "unit_leader_chengxi"}
# Who may do what on a case of 城西区民政局.
ALLOWED = {
    "start": {"office", "liaison_chengxi"},
    "conclude": {"office", "liaison_chengxi"},
    "return": {"office"},
    "close": {"office"},
}
PAYLOAD = {"conclude": {"conclusion": "查实并已移送公安机关"}, "return": {"reason": "办理结果不完整"}}
NO_PROBLEM_REASON = "相关漏洞已由既有问题整改覆盖，不另立问题"


@pytest.fixture
def people(demo):
    office, secadmin = User.objects.get(username="office"), User.objects.get(username="secadmin")
    from qicha.orgs import services as org_services

    sysadmin = User.objects.get(username="sysadmin")
    for username, unit_name, role_code in EXTRA_USERS:
        created, _ = org_services.create_user(sysadmin, username=username, full_name=username,
                                              unit=Unit.objects.get(name=unit_name))
        created = User.objects.get(pk=created.pk)
        org_services.assign_roles(secadmin, created, [Role.objects.get(code=role_code)], version=created.version)
        created = User.objects.get(pk=created.pk)
        created.set_password(DEMO_PASSWORD)
        created.is_demo, created.must_change_password = True, False
        created.save()
    return office


def get(username) -> User:
    return User.objects.get(username=username)


def new_case(campaign, unit_name=CHENGXI, **extra) -> Case:
    fields = {
        "name": "某社会组织涉黑涉恶案", "source": "central_group", "reference_no": "督交〔2026〕12号",
        "received_date": timezone.localdate(), "summary": "中央督导组交办：某社会组织负责人涉嫌强揽工程。",
    } | extra
    return services.register_case(get("office"), campaign, Unit.objects.get(name=unit_name), **fields)


def complete_record(case, by="liaison_chengxi", **extra) -> SectorRectification:
    record = SectorRectification.objects.filter(case=case).first()
    fields = {"gap": "社会组织年检流于形式", "measures": "建立年检实地核查制度", "no_problem_reason": NO_PROBLEM_REASON,
              "problem_ids": []} | extra
    return services.save_rectification(get(by), case, record.version if record else None, **fields)


def bring_case_to(case, status, worker="liaison_chengxi") -> Case:
    if status == "open":
        return case
    case = services.start_case(get(worker), case, version=case.version)
    if status == "investigating":
        return case
    case = services.conclude_case(get(worker), case, version=case.version, conclusion="查实")
    if status == "concluded":
        return case
    complete_record(case, by=worker)
    case = Case.objects.get(pk=case.pk)
    return services.close_case(get("office"), case, version=case.version)


# --- the transition table, every action for every role --------------------------------------------------------

@pytest.mark.parametrize("transition", CASE_TRANSITIONS, ids=lambda t: t.action)
@pytest.mark.parametrize("username", EVERYONE)
def test_every_action_for_every_role(api, demo, people, transition, username):
    case = bring_case_to(new_case(demo), transition.sources[-1])
    if transition.action == "close":
        complete_record(case)
    client = api(username)
    detail = client.get(f"/api/v1/cases/{case.pk}")
    response = client.post(f"/api/v1/cases/{case.pk}/actions/{transition.action}", PAYLOAD.get(transition.action, {}),
                           content_type="application/json")
    after = Case.objects.get(pk=case.pk)
    if username not in SEES:
        assert detail.status_code == 404 and response.status_code == 404
        assert after.status == case.status
    elif username in ALLOWED[transition.action]:
        assert transition.action in detail.json()["allowed_actions"]
        assert response.status_code == 200, response.content
        assert after.status == transition.target and response.json()["status"] == transition.target
    else:
        assert detail.status_code == 200 and transition.action not in detail.json()["allowed_actions"]
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert after.status == case.status


@pytest.mark.parametrize("transition", CASE_TRANSITIONS, ids=lambda t: t.action)
def test_actions_refused_from_wrong_status(api, demo, transition):
    wrong = next(s for s in ("open", "investigating", "concluded", "closed") if s not in transition.sources)
    case = bring_case_to(new_case(demo), wrong)
    response = api("office").post(f"/api/v1/cases/{case.pk}/actions/{transition.action}",
                                  PAYLOAD.get(transition.action, {}), content_type="application/json")
    assert response.status_code == 422 and "不能执行" in response.json()["message"]
    assert Case.objects.get(pk=case.pk).status == wrong


def test_unknown_action_is_404(api, demo):
    case = new_case(demo)
    assert api("office").post(f"/api/v1/cases/{case.pk}/actions/vanish", {}, content_type="application/json").status_code == 404


def test_conclude_needs_a_conclusion_and_return_a_reason(api, demo):
    case = bring_case_to(new_case(demo), "investigating")
    client = api("liaison_chengxi")
    refused = client.post(f"/api/v1/cases/{case.pk}/actions/conclude", {"conclusion": " "}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["details"] == {"conclusion": "请填写办理结果"}
    ok = client.post(f"/api/v1/cases/{case.pk}/actions/conclude", {"conclusion": "已查实，移送公安"},
                     content_type="application/json")
    assert ok.json()["status"] == "concluded" and ok.json()["conclusion"] == "已查实，移送公安"
    office = api("office")
    refused = office.post(f"/api/v1/cases/{case.pk}/actions/return", {"reason": ""}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["details"] == {"reason": "请填写退回理由"}
    back = office.post(f"/api/v1/cases/{case.pk}/actions/return", {"reason": "证据链不完整"}, content_type="application/json")
    assert back.json()["status"] == "investigating"


# --- 一案一整治: no close without it ---------------------------------------------------------------------------

def close(api, case):
    return api("office").post(f"/api/v1/cases/{case.pk}/actions/close", {}, content_type="application/json")


def test_close_refused_without_any_record(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    response = close(api, case)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "“一案一整治”记录不完整，不能销号。尚缺：暴露的行业监管漏洞、整治措施、整改问题（或未立问题的理由）。"
    assert set(body["details"]) == {"gap", "measures", "problems"}
    assert Case.objects.get(pk=case.pk).status == "concluded"


def test_close_refused_without_problems_or_a_reason(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    complete_record(case, no_problem_reason="")
    response = close(api, case)
    assert response.status_code == 422
    assert response.json()["message"].endswith("尚缺：整改问题（或未立问题的理由）。")
    assert response.json()["details"] == {"problems": "请关联为本案所立的整改问题，或说明未立整改问题的理由。"}
    assert api("office").get(f"/api/v1/cases/{case.pk}").json()["missing_for_close"] == ["整改问题（或未立问题的理由）"]


def test_close_refused_with_a_problem_but_no_gap_or_measures(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    services.open_rectification_problem(get("liaison_chengxi"), case, "年检核查不到位", "逐一实地核查",
                                        timezone.localdate() + timedelta(days=30))
    response = close(api, case)
    assert response.status_code == 422
    assert set(response.json()["details"]) == {"gap", "measures"}
    assert "尚缺：暴露的行业监管漏洞、整治措施。" in response.json()["message"]


def test_a_voided_problem_does_not_count(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    problem = register(demo, unit_name=CHENGXI, by="liaison_chengxi")
    complete_record(case, no_problem_reason="", problem_ids=[problem.pk])
    bring_to(problem, "voided", worker="liaison_chengxi")
    response = close(api, case)
    assert response.status_code == 422 and set(response.json()["details"]) == {"problems"}


def test_close_accepted_with_a_reason_why_none(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    complete_record(case)
    response = close(api, case)
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["rectification"]["no_problem_reason"] == NO_PROBLEM_REASON


def test_close_accepted_with_a_linked_problem(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    problem = register(demo, unit_name="城西区民政局社会救助股", by="liaison_chengxi")  # a sub-unit's problem counts
    client = api("liaison_chengxi")
    saved = client.put(f"/api/v1/cases/{case.pk}/rectification",
                       {"gap": "低保审核把关不严", "measures": "开展低保专项清查", "problems": [problem.pk]},
                       content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert [p["id"] for p in saved.json()["rectification"]["problems"]] == [problem.pk]
    assert saved.json()["missing_for_close"] == []
    response = close(api, case)
    assert response.status_code == 200 and response.json()["status"] == "closed"
    # Closed: the record is frozen.
    again = client.put(f"/api/v1/cases/{case.pk}/rectification",
                       {"version": 1, "gap": "改", "measures": "改"}, content_type="application/json")
    assert again.status_code == 422 and "不能再修改" in again.json()["message"]


def test_record_needs_gap_and_measures(api, demo):
    case = new_case(demo)
    response = api("liaison_chengxi").put(f"/api/v1/cases/{case.pk}/rectification", {"gap": " ", "measures": ""},
                                          content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {"gap": "请填写案件暴露的行业监管漏洞。", "measures": "请填写整治措施。"}
    assert not SectorRectification.objects.filter(case=case).exists()


def test_only_problems_of_the_cases_unit_can_be_linked(api, demo):
    case = new_case(demo)
    elsewhere = register(demo, unit_name="城东区民政局", by="liaison_chengdong")
    for username in ("office", "liaison_chengxi"):
        response = api(username).put(f"/api/v1/cases/{case.pk}/rectification",
                                     {"gap": "漏洞", "measures": "措施", "problems": [elsewhere.pk]},
                                     content_type="application/json")
        assert response.status_code == 422 and format_problem_no(elsewhere.pk) in response.json()["details"]["problems"]
    assert not SectorRectification.objects.filter(case=case).exists()


def test_rectification_problem_lands_in_the_ledger(api, demo):
    case = bring_case_to(new_case(demo), "concluded")
    deadline = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = api("liaison_chengxi").post(
        f"/api/v1/cases/{case.pk}/rectification/problems",
        {"description": "社会组织年检实地核查缺失", "measures": "建立实地核查清单", "deadline": deadline},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    problem = Problem.objects.get(pk=response.json()["id"])
    assert (problem.source, problem.rectification_type, problem.unit.name, problem.campaign_id) == (
        "case_analysis", "immediate", CHENGXI, demo.pk)
    ledger = api("office").get("/api/v1/problems?source=case_analysis").json()
    assert [p["id"] for p in ledger["results"]] == [problem.pk]
    record = SectorRectification.objects.get(case=case)
    assert list(record.problems.all()) == [problem] and record.gap == ""
    # A problem needs its deadline, as in the ledger.
    refused = api("liaison_chengxi").post(f"/api/v1/cases/{case.pk}/rectification/problems",
                                          {"description": "x", "measures": "", "deadline": deadline},
                                          content_type="application/json")
    assert refused.status_code == 422 and "measures" in refused.json()["details"]
    # Then the gap and measures are written, keeping the problem linked.
    complete_record(case, no_problem_reason="", problem_ids=[problem.pk])
    assert close(api, case).json()["status"] == "closed"


def test_leader_cannot_open_a_rectification_problem(api, demo):
    case = new_case(demo)
    response = api("leader").post(f"/api/v1/cases/{case.pk}/rectification/problems",
                                  {"description": "x", "measures": "y", "deadline": "2030-01-01"},
                                  content_type="application/json")
    assert response.status_code == 403
    assert not Problem.objects.filter(source="case_analysis").exists()


# --- versions ---------------------------------------------------------------------------------------------------

def test_stale_rectification_version_is_409_and_writes_nothing(api, demo):
    case = new_case(demo)
    client = api("liaison_chengxi")
    url = f"/api/v1/cases/{case.pk}/rectification"
    first = client.put(url, {"gap": "甲漏洞", "measures": "甲措施"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["rectification"]["version"] == 1
    second = client.put(url, {"version": 1, "gap": "乙漏洞", "measures": "乙措施"}, content_type="application/json")
    assert second.json()["rectification"]["version"] == 2
    stale = client.put(url, {"version": 1, "gap": "过期", "measures": "过期"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    recreate = client.put(url, {"gap": "重建", "measures": "重建"}, content_type="application/json")
    assert recreate.status_code == 409
    assert SectorRectification.objects.get(case=case).gap == "乙漏洞"


def test_opening_a_problem_moves_the_record_version(demo):
    case = new_case(demo)
    record = complete_record(case)
    services.open_rectification_problem(get("liaison_chengxi"), case, "问题", "措施", timezone.localdate())
    with pytest.raises(Conflict):  # a form opened before the problem would silently unlink it
        services.save_rectification(get("liaison_chengxi"), case, record.version, "漏洞", "措施", "", [])
    assert SectorRectification.objects.get(case=case).problems.count() == 1


def test_stale_case_version_is_409(api, demo):
    case = bring_case_to(new_case(demo), "investigating")
    response = api("office").post(f"/api/v1/cases/{case.pk}/actions/conclude",
                                  {"version": case.version - 1, "conclusion": "旧"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Case.objects.get(pk=case.pk).status == "investigating"


def test_two_closes_at_once_leave_one(demo):
    case = bring_case_to(new_case(demo), "concluded")
    complete_record(case)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.close_case(get("office"), first, version=first.version)
    with pytest.raises(Conflict):
        services.close_case(get("office"), second, version=second.version)


# --- registration and progress ----------------------------------------------------------------------------------

def test_registration_validation(api, demo, unit):
    client = api("office")
    body = {"campaign": demo.pk, "unit": unit(CHENGXI).pk, "name": "批示案件", "source": "leader_instruction",
            "received_date": timezone.localdate().isoformat(), "summary": "案情"}
    refused = client.post("/api/v1/cases", body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["details"] == {"instruction": "领导批示案件须填写批示内容。"}
    created = client.post("/api/v1/cases", body | {"instruction": "请市局督办，务必查清"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "open" and created.json()["allowed_actions"] == ["start"]
    # The liaison works cases but does not register them.
    assert api("liaison_chengxi").post("/api/v1/cases", body, content_type="application/json").status_code == 404
    with pytest.raises(Invalid):
        new_case(demo, received_date=timezone.localdate() + timedelta(days=1))


def test_progress_until_concluded(api, demo):
    case = bring_case_to(new_case(demo), "investigating")
    liaison = get("liaison_chengxi")
    evidence = pdf(liaison, "询问笔录.pdf")
    client = api("liaison_chengxi")
    response = client.post(f"/api/v1/cases/{case.pk}/progress", {"text": "已调取工程合同", "attachments": [evidence.pk]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["attachments"][0]["name"] == "询问笔录.pdf"
    assert api("leader").post(f"/api/v1/cases/{case.pk}/progress", {"text": "领导"},
                              content_type="application/json").status_code == 403
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert [p["text"] for p in detail["progress"]] == ["已调取工程合同"]
    case = Case.objects.get(pk=case.pk)
    services.conclude_case(liaison, case, version=case.version, conclusion="查实")
    refused = client.post(f"/api/v1/cases/{case.pk}/progress", {"text": "迟到"},
                          content_type="application/json")
    assert refused.status_code == 422 and "不能再填报" in refused.json()["message"]


# --- pages ------------------------------------------------------------------------------------------------------

def test_pages_register_work_and_refuse_close(login, demo, unit):
    office = login("office")
    form = {"name": "领导批示：某殡葬服务机构欺行霸市", "source": "leader_instruction", "reference_no": "批〔2026〕5号",
            "unit": unit(CHENGXI).pk, "received_date": timezone.localdate().isoformat(), "summary": "群众反映垄断经营",
            "instruction": "请民政局牵头查处"}
    response = office.post("/cases/new/", form)
    assert response.status_code == 302
    case = Case.objects.get(name=form["name"])
    assert response["Location"] == f"/cases/{case.pk}/"

    liaison = login("liaison_chengxi")
    assert liaison.post(f"/cases/{case.pk}/actions/start/", {"version": case.version}).status_code == 302
    liaison.post(f"/cases/{case.pk}/progress/", {"text": "已约谈机构负责人"})
    assert liaison.post(f"/cases/{case.pk}/actions/conclude/", {"conclusion": "", "version": 2}).status_code == 422
    liaison.post(f"/cases/{case.pk}/actions/conclude/", {"conclusion": "责令整改并罚款", "version": 2})
    assert Case.objects.get(pk=case.pk).status == "concluded"

    refused = office.post(f"/cases/{case.pk}/actions/close/", {"version": 3})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "“一案一整治”记录不完整，不能销号" in html and 'data-testid="action-error"' in html

    saved = liaison.post(f"/cases/{case.pk}/rectification/", {"rect-gap": "殡葬服务价格监管缺位", "rect-measures": "开展殡葬服务收费专项检查",
                                                              "rect-version": "0"})
    assert saved.status_code == 302
    opened = liaison.post(f"/cases/{case.pk}/problems/new/", {
        "problem-description": "殡葬服务收费公示不规范", "problem-measures": "统一收费公示牌",
        "problem-deadline": (timezone.localdate() + timedelta(days=15)).isoformat()})
    assert opened.status_code == 302
    no = format_problem_no(Problem.objects.get(description="殡葬服务收费公示不规范").pk)
    page = liaison.get(opened["Location"]).content.decode()
    assert f"已立整改问题 {no}，" in page  # the flash
    assert f'{no} 城西区民政局：殡葬服务收费公示不规范' in page  # the record form's problem picker
    assert office.post(f"/cases/{case.pk}/actions/close/", {"version": 3}).status_code == 302
    detail = office.get(f"/cases/{case.pk}/").content.decode()
    assert "已销号" in detail and "殡葬服务收费公示不规范" in detail
    assert f'">{no}</a><span class="flex-fill">殡葬服务收费公示不规范' in detail
    for step in ("登记案件", "开始办理", "填报办理进展", "办结", "填写“一案一整治”记录", "立整改问题", "销号"):
        assert step in detail, step


def test_stale_rectification_form_shows_the_conflict(login, demo):
    case = new_case(demo)
    complete_record(case)
    response = login("liaison_chengxi").post(f"/cases/{case.pk}/rectification/",
                                             {"rect-gap": "旧", "rect-measures": "旧", "rect-version": "0"})
    assert response.status_code == 422 and "该记录已被他人修改" in response.content.decode()


def test_list_tabs_and_filters(login, demo):
    bring_case_to(new_case(demo, name="甲案"), "investigating")
    new_case(demo, name="乙案", source="leader_instruction", instruction="批示")
    new_case(demo, name="丙案", unit_name="城东区民政局")
    office = login("office")
    html = office.get("/cases/?status=investigating").content.decode()
    assert "甲案" in html and "乙案" not in html
    assert "乙案" in office.get("/cases/?source=leader_instruction").content.decode()
    by_unit = office.get(f"/cases/?unit={Unit.objects.get(name=CHENGXI).pk}").content.decode()
    assert "丙案" not in by_unit and "甲案" in by_unit
    assert "丙案" in office.get("/cases/?q=丙").content.decode()
    assert office.get("/cases/?status=bogus").status_code == 200


def test_navigation_shows_cases_to_those_who_may_see_them(login, people):
    assert 'href="/cases/"' in login("office").get("/").content.decode()
    assert 'href="/cases/"' in login("liaison_chengxi").get("/").content.decode()
    assert 'href="/cases/"' not in login("handler").get("/").content.decode()
    assert login("handler").get("/cases/").status_code == 403
    assert login("office").get("/sections/cases/").status_code == 404


# --- data scope -------------------------------------------------------------------------------------------------

def test_another_districts_liaison_never_sees_a_chengxi_case(login, api, demo):
    case = bring_case_to(new_case(demo, name="城西机密案件"), "investigating")
    liaison = get("liaison_chengxi")
    services.add_case_progress(liaison, case, "进展", attachment_ids=[pdf(liaison).pk])
    attachment = case.progress_entries.get().attachments.get()
    page, client = login("liaison_chengdong"), api("liaison_chengdong")
    assert page.get(f"/cases/{case.pk}/").status_code == 404
    assert page.post(f"/cases/{case.pk}/actions/conclude/", {"conclusion": "越权", "version": case.version}).status_code == 404
    assert page.get(f"/cases/attachments/{attachment.pk}/").status_code == 404
    assert "城西机密案件" not in page.get("/cases/").content.decode()
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert client.put(f"/api/v1/cases/{case.pk}/rectification", {"gap": "越权", "measures": "越权"},
                      content_type="application/json").status_code == 404
    assert client.get("/api/v1/cases").json()["count"] == 0
    assert Case.objects.get(pk=case.pk).status == "investigating"
    assert not SectorRectification.objects.filter(case=case).exists()
    # Its own liaison downloads the file.
    assert login("liaison_chengxi").get(f"/cases/attachments/{attachment.pk}/").status_code == 200
    assert api("liaison_chengxi").get("/api/v1/cases").json()["count"] == 1
