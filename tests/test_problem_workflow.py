"""R-PRB-3/4: the transition table walked for every action and every role, through the API."""

import pytest

from qicha.orgs.demo import DEMO_USERS
from qicha.problems.models import Problem, SignOff
from qicha.problems.workflow import TRANSITIONS

from .problem_helpers import ALL_CHECKS, add_evidence, bring_to, register

# Who may do what on a problem of 城东区民政局 whose 责任人 is `handler`.
ALLOWED = {
    "start": {"liaison_chengdong", "handler"},
    "submit": {"liaison_chengdong", "handler"},
    "return": {"office"},
    "sign_off": {"office"},
    "void": {"office"},
}
SEES = {"office", "leader", "liaison_chengdong", "handler"}
PAYLOAD = {"return": {"reason": "佐证不足"}, "void": {"reason": "重复登记"}, "sign_off": {"checks": ALL_CHECKS, "opinion": "同意"}}


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_action_for_every_role(api, demo, transition, username):
    problem = register(demo, person="handler")
    problem = bring_to(problem, transition.sources[-1] if transition.action != "submit" else "in_progress")
    if transition.action == "submit":
        add_evidence(problem)
    client = api(username)
    detail = client.get(f"/api/v1/problems/{problem.pk}")
    response = client.post(f"/api/v1/problems/{problem.pk}/actions/{transition.action}",
                           PAYLOAD.get(transition.action, {}), content_type="application/json")
    after = Problem.objects.get(pk=problem.pk)
    if username not in SEES:
        assert detail.status_code == 404 and response.status_code == 404
        assert after.status == problem.status
    elif username in ALLOWED[transition.action]:
        assert transition.action in detail.json()["allowed_actions"]
        assert response.status_code == 200, response.content
        assert after.status == transition.target
    else:
        assert transition.action not in detail.json()["allowed_actions"]
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert after.status == problem.status


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_actions_refused_from_wrong_status(api, demo, transition):
    wrong = next(s for s in ("open", "in_progress", "submitted", "closed", "voided") if s not in transition.sources)
    problem = bring_to(register(demo), wrong)
    actor = "office" if transition.permission in ("problem.review", "problem.sign_off", "problem.void") else "liaison_chengdong"
    response = api(actor).post(f"/api/v1/problems/{problem.pk}/actions/{transition.action}",
                               PAYLOAD.get(transition.action, {}), content_type="application/json")
    assert response.status_code == 422
    assert "不能执行" in response.json()["message"]


def test_submit_needs_evidence(api, demo):
    problem = bring_to(register(demo), "in_progress")
    response = api("liaison_chengdong").post(f"/api/v1/problems/{problem.pk}/actions/submit", {}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["message"] == "申请销号前，请至少填报一条附有佐证材料的整改进展。"


def test_return_needs_a_reason_and_shows_as_returned(api, demo):
    problem = bring_to(register(demo), "submitted")
    office = api("office")
    refused = office.post(f"/api/v1/problems/{problem.pk}/actions/return", {"reason": " "}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["details"] == {"reason": "请填写退回理由"}
    ok = office.post(f"/api/v1/problems/{problem.pk}/actions/return", {"reason": "佐证材料不全"}, content_type="application/json")
    assert ok.json()["status"] == "in_progress" and ok.json()["return_reason"] == "佐证材料不全"


def test_sign_off_needs_all_six_checks_and_an_opinion(api, demo):
    problem = bring_to(register(demo, responsible_person_name="赵某某"), "submitted")
    partial = dict(ALL_CHECKS, public_satisfied=False, weakness_fixed=False)
    response = api("office").post(f"/api/v1/problems/{problem.pk}/actions/sign_off", {"checks": partial},
                                  content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {
        "checks": "以下“不放过”尚未确认：群众满意、短板补齐。", "opinion": "请填写销号意见。",
    }
    assert not SignOff.objects.filter(problem=problem).exists()


def test_two_sign_offs_at_once_leave_exactly_one(demo, user):
    from qicha.core.errors import Conflict
    from qicha.problems import services

    problem = bring_to(register(demo, responsible_person_name="赵某某"), "submitted")
    first_view, second_view = Problem.objects.get(pk=problem.pk), Problem.objects.get(pk=problem.pk)
    services.sign_off_problem(user("office"), first_view, version=first_view.version, checks=ALL_CHECKS, opinion="甲")
    with pytest.raises(Conflict):
        services.sign_off_problem(user("office"), second_view, version=second_view.version, checks=ALL_CHECKS, opinion="乙")
    assert SignOff.objects.filter(problem=problem).count() == 1
    assert SignOff.objects.get(problem=problem).opinion == "甲"


def test_stale_patch_is_409_and_writes_nothing(api, demo):
    problem = register(demo)
    client = api("liaison_chengdong")
    url = f"/api/v1/problems/{problem.pk}"
    ok = client.patch(url, {"version": problem.version, "measures": "新措施"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == problem.version + 1
    stale = client.patch(url, {"version": problem.version, "measures": "过期措施"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Problem.objects.get(pk=problem.pk).measures == "新措施"


def test_timeline_records_every_step(login, demo):
    problem = bring_to(register(demo), "closed")
    html = login("office").get(f"/problems/{problem.pk}/").content.decode()
    for step in ("登记问题", "填报整改进展", "申请销号", "销号"):
        assert step in html


def test_a_transition_from_a_stale_copy_never_moves_the_version_back(demo, user):
    from qicha.core.errors import Conflict
    from qicha.problems import services

    problem = register(demo)
    stale = Problem.objects.get(pk=problem.pk)
    for text in ("甲", "乙", "丙"):
        current = Problem.objects.get(pk=problem.pk)
        services.update_problem(user("liaison_chengdong"), current, version=current.version, measures=text)
    version_before = Problem.objects.get(pk=problem.pk).version
    services.start_problem(user("liaison_chengdong"), stale, version=version_before)
    assert Problem.objects.get(pk=problem.pk).version == version_before + 1
    with pytest.raises(Conflict):  # an editor holding an old version cannot write after the transition
        services.update_problem(user("liaison_chengdong"), stale, version=version_before, measures="旧稿")


def test_plan_cannot_be_edited_after_submission_even_with_the_right_version(demo, user):
    from qicha.core.errors import Invalid
    from qicha.problems import services

    problem = bring_to(register(demo), "submitted")
    with pytest.raises(Invalid):
        services.update_problem(user("liaison_chengdong"), problem, version=problem.version, measures="偷改")
