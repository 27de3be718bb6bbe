"""R-CLU-2/3: the clue transition table walked for every action and every role, through the API; the rules
around it (real-name replies before 销号, follow-ups opening problems, time limits in working days)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from qicha.clues import services
from qicha.clues.models import Clue, Status
from qicha.clues.workflow import CLUE_TRANSITIONS
from qicha.core.models import AuditEvent
from qicha.orgs.demo import DEMO_USERS
from qicha.orgs.models import Unit, User
from qicha.problems.models import Problem

from .clue_helpers import act, bring_to, intake

ALLOWED = {
    "assign": {"office"},
    "start": {"liaison_chengdong", "handler"},
    "report_result": {"liaison_chengdong", "handler"},
    "record_follow_up": {"liaison_chengdong", "handler"},
    "record_reply": {"liaison_chengdong", "handler"},
    "return": {"office"},
    "close": {"office"},
    "escalate": {"office"},
    "withdraw_escalation": {"office"},
    "record_review": {"office"},
}
SEES = {"office", "leader", "liaison_chengdong", "handler"}


def payload(action: str) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "assign": {"unit": Unit.objects.get(name="城东区民政局").pk},
        "report_result": {"result": "untrue", "findings": "经核查不属实"},
        "record_follow_up": {"kind": "police", "date": today, "document_no": "城东民移〔2026〕1号"},
        "record_reply": {"date": today, "channel": "phone", "reporter_response": "表示满意"},
        "return": {"reason": "核查不够深入"},
        "escalate": {"reason": "反复举报"},
        "withdraw_escalation": {"reason": "误提级，撤销"},
        "record_review": {"result": "untrue", "findings": "复核维持原结论"},
    }.get(action, {})


def clue_in(campaign, status: str) -> Clue:
    clue = intake(campaign)
    if status == "escalated":
        clue = bring_to(clue, "verified", handler="handler")
        services.escalate_clue(User.objects.get(username="office"), clue, version=clue.version, reason="反复举报")
    else:
        clue = bring_to(clue, status, handler="handler")
    clue.refresh_from_db()
    return clue


@pytest.mark.parametrize("transition", CLUE_TRANSITIONS, ids=lambda t: t.action)
@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_action_for_every_role(api, demo, transition, username):
    clue = clue_in(demo, transition.sources[-1])
    client = api(username)
    detail = client.get(f"/api/v1/clues/{clue.pk}")
    response = client.post(f"/api/v1/clues/{clue.pk}/actions/{transition.action}", payload(transition.action),
                           content_type="application/json")
    after = Clue.objects.get(pk=clue.pk)
    if username not in SEES:
        assert detail.status_code == 404 and response.status_code == 404
        assert after.version == clue.version
    elif username in ALLOWED[transition.action]:
        assert transition.action in detail.json()["allowed_actions"]
        assert response.status_code == 200, response.content
        # A restoring act (撤销提级复核) returns the clue to where it was: these were escalated once verified.
        restored = "verified" if transition.action == "withdraw_escalation" else None
        assert after.status == (restored or transition.target or clue.status)
        assert after.version == clue.version + 1
    else:
        assert transition.action not in detail.json()["allowed_actions"]
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert after.version == clue.version


@pytest.mark.parametrize("transition", CLUE_TRANSITIONS, ids=lambda t: t.action)
def test_actions_refused_from_wrong_status(api, demo, transition):
    # Unassigned clues are the office's alone, so the unit's actions are tried on assigned ones.
    candidates = ("received",) * (transition.permission != "clue.work") + (
        "assigned", "verifying", "verified", "closed", "escalated")
    wrong = next(s for s in candidates if s not in transition.sources)
    clue = clue_in(demo, wrong)
    response = api("office").post(f"/api/v1/clues/{clue.pk}/actions/{transition.action}", payload(transition.action),
                                  content_type="application/json")
    if transition.permission == "clue.work":  # the office does not verify; ask the unit instead
        response = api("liaison_chengdong").post(f"/api/v1/clues/{clue.pk}/actions/{transition.action}",
                                                 payload(transition.action), content_type="application/json")
    assert response.status_code == 422, response.content
    assert "不能执行" in response.json()["message"]


def test_real_name_clue_cannot_close_without_a_reply(api, demo):
    clue = intake(demo, source="public_report", real_name=True,
                  reporter={"name": "王举报", "phone": "13900001111"})
    clue = bring_to(clue, "verified")
    refused = api("office").post(f"/api/v1/clues/{clue.pk}/actions/close", {}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["message"].startswith("实名举报须先登记答复")
    assert Clue.objects.get(pk=clue.pk).status == Status.VERIFIED
    incomplete = api("liaison_chengdong").post(f"/api/v1/clues/{clue.pk}/actions/record_reply",
                                               {"date": timezone.localdate().isoformat(), "channel": "phone"},
                                               content_type="application/json")
    assert incomplete.status_code == 422 and "reporter_response" in incomplete.json()["details"]
    act(clue, "record_reply", "liaison_chengdong", date=timezone.localdate(), channel="in_person",
        reporter_response="对核查结果表示认可")
    closed = api("office").post(f"/api/v1/clues/{clue.pk}/actions/close", {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_anonymous_clue_closes_without_a_reply(demo):
    clue = bring_to(intake(demo), "closed")
    assert clue.status == Status.CLOSED and clue.closed_at is not None


def test_rectification_follow_up_opens_a_linked_problem(api, demo):
    clue = bring_to(intake(demo, reference_no="ZY-2026-001"), "verified", result="partly_true")
    problems_before = set(Problem.objects.values_list("pk", flat=True))
    missing = api("liaison_chengdong").post(
        f"/api/v1/clues/{clue.pk}/actions/record_follow_up",
        {"kind": "rectification", "date": timezone.localdate().isoformat(), "document_no": "城东民〔2026〕8号"},
        content_type="application/json")
    assert missing.status_code == 422
    assert set(missing.json()["details"]) == {"measures", "deadline"}
    assert set(Problem.objects.values_list("pk", flat=True)) == problems_before
    deadline = timezone.localdate() + timedelta(days=30)
    response = api("liaison_chengdong").post(
        f"/api/v1/clues/{clue.pk}/actions/record_follow_up",
        {"kind": "rectification", "date": timezone.localdate().isoformat(), "document_no": "城东民〔2026〕8号",
         "measures": "清退违规低保金，完善评议公示", "deadline": deadline.isoformat()},
        content_type="application/json")
    assert response.status_code == 200, response.content
    problem = Problem.objects.exclude(pk__in=problems_before).get()
    assert response.json()["follow_ups"][0]["problem"] == problem.pk
    assert problem.unit.name == "城东区民政局" and problem.deadline == deadline and problem.source == "assigned"
    assert "ZY-2026-001" in problem.description


def test_handler_only_sees_own_clues(api, demo):
    mine = bring_to(intake(demo), "assigned", handler="handler")
    other = bring_to(intake(demo, content="另一条线索"), "assigned")
    listed = {row["id"] for row in api("handler").get("/api/v1/clues").json()["results"]}
    assert listed == {mine.pk}
    assert api("handler").get(f"/api/v1/clues/{other.pk}").status_code == 404


def test_unassigned_clues_are_only_visible_to_the_office(api, demo):
    clue = intake(demo)
    assert api("office").get(f"/api/v1/clues/{clue.pk}").status_code == 200
    for username in ("liaison_chengdong", "liaison_city", "handler"):
        assert api(username).get(f"/api/v1/clues/{clue.pk}").status_code == 404


def test_stale_version_conflicts_and_writes_nothing(api, demo):
    clue = bring_to(intake(demo), "verified")
    stale = clue.version
    act(clue, "record_follow_up", "liaison_chengdong", date=timezone.localdate(), kind="other", document_no="1号")
    response = api("office").post(f"/api/v1/clues/{clue.pk}/actions/close", {"version": stale},
                                  content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Clue.objects.get(pk=clue.pk).status == Status.VERIFIED


def test_due_date_follows_the_source_time_limit(demo, user):
    received = date(2026, 9, 28)  # a Monday; 10-01..10-07 is the National Day holiday, Sat 10-10 a make-up workday
    services.set_time_limit(user("office"), "leader_instruction", days=5, day_kind="working")
    clue = intake(demo, source="leader_instruction", received_date=received)
    # Working days after 09-28: 09-29, 09-30, then 10-08, 10-09 and Saturday 10-10 (the make-up day).
    assert clue.due_date == date(2026, 10, 10)
    calendar = intake(demo, source="central_group", received_date=received)
    assert calendar.due_date == received + timedelta(days=30)


def test_changing_a_time_limit_recomputes_open_clues_only(demo, user):
    open_clue = intake(demo, days_ago=3)
    done = bring_to(intake(demo, days_ago=3, content="已核查的"), "verified")
    before = done.due_date
    changed = services.set_time_limit(user("office"), "central_group", days=10, day_kind="calendar")
    assert changed == 1
    open_clue.refresh_from_db()
    done.refresh_from_db()
    assert open_clue.due_date == open_clue.received_date + timedelta(days=10)
    assert done.due_date == before
    assert AuditEvent.objects.filter(action="clue_time_limit").exists()


def test_overdue_is_derived(api, demo, user):
    services.set_time_limit(user("office"), "central_group", days=3, day_kind="calendar")
    late = intake(demo, days_ago=10)
    data = api("office").get(f"/api/v1/clues/{late.pk}").json()
    assert data["overdue"] is True and data["days_left"] == -7
    assert [r["id"] for r in api("office").get("/api/v1/clues?overdue=true").json()["results"]] == [late.pk]
    bring_to(late, "verified")
    assert api("office").get(f"/api/v1/clues/{late.pk}").json()["overdue"] is False


def test_a_refused_action_is_audited(api, demo):
    clue = bring_to(intake(demo), "verified")
    assert api("leader").post(f"/api/v1/clues/{clue.pk}/actions/close", {}, content_type="application/json"
                              ).status_code == 403
    event = AuditEvent.objects.get(event_type="access_denied", object_id=str(clue.pk))
    assert event.actor.username == "leader" and event.outcome == "denied" and event.action == "close"


def test_odd_input_is_refused_in_chinese_not_a_500(api, login, demo):
    office = api("office")
    body = {"campaign": demo.pk, "source": "proactive", "content": "内容", "domain": "other"}
    old = office.post("/api/v1/clues", body | {"received_date": "0001-01-01"}, content_type="application/json")
    assert old.status_code == 422 and "受理日期不能早于" in old.json()["details"]["received_date"]
    long_name = office.post("/api/v1/clues", body | {"received_date": timezone.localdate().isoformat(),
                                                     "subjects": [{"name": "张" * 200}]}, content_type="application/json")
    assert long_name.status_code == 422 and "subjects.0.name" in long_name.json()["details"]
    clue = bring_to(intake(demo, days_ago=3), "verified")
    early = api("liaison_chengdong").post(f"/api/v1/clues/{clue.pk}/actions/record_reply", {
        "date": "2000-01-01", "channel": "phone", "reporter_response": "好"}, content_type="application/json")
    assert early.status_code == 422 and "不能早于线索受理日期" in early.json()["details"]["date"]
    for url in ("/api/v1/clues?campaign=99999999999999999999999", "/api/v1/cases?unit=99999999999999999999999"):
        response = office.get(url)
        assert response.status_code == 422 and response.json()["details"], url
    page = login("office")
    assert page.get("/clues/board/?unit=²").status_code == 200
    assert page.get("/cases/new/?clue=abc").status_code == 404
    assert page.get("/clues/?batch=99999999999999999999999").status_code == 200
    assert page.post(f"/clues/{clue.pk}/candidates/1/whatever/").status_code == 404
