"""Issue 20: a report linked by mistake as a repeat of a matter judged untrue, and so escalated to 提级复核, is put
back exactly where it was when the office undoes the link: status, unit and handler; the re-review withdrawn (kept,
with who and why), audited, and the people concerned told."""

import pytest
from django.utils import timezone

from qicha.clues.models import CandidateDecision, Clue, RepeatCandidate, Status
from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.orgs.models import Unit, User

from .clue_helpers import PERSON_ID, act, bring_to, id_number, intake

CHENGDONG = "城东区民政局"


def person(number=PERSON_ID, name="张国强"):
    return [{"kind": "person", "name": name, "id_number": number}]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)
    return run


def untrue_matter(demo):
    return bring_to(intake(demo, days_ago=30, subjects=person()), "closed", result="untrue", handler="handler")


def test_unlinking_an_automatic_escalation_returns_the_report_to_the_office_unassigned(api, demo, committed):
    first = untrue_matter(demo)
    with committed():
        # Same identity number, another matter altogether: linked and escalated by the rule, sent to 城东.
        mistaken = intake(demo, source="public_report", domain="funeral", subjects=person(),
                          content="张国强开的殡葬用品店强买强卖，一个骨灰盒卖两万。")
    assert mistaken.repeat_of_id == first.pk and mistaken.status == Status.ESCALATED
    assert mistaken.unit.name == CHENGDONG and mistaken.handler_id is None
    escalate_notice = Notification.objects.get(kind="clue.escalate", user__username="liaison_chengdong")
    assert escalate_notice.read_at is None

    with committed():
        response = api("office").post(f"/api/v1/clues/{mistaken.pk}/unlink-repeat")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["repeat_of"] is None and data["status"] == "received" and data["unit"] is None
    assert data["re_reviews"][0]["withdrawn_at"] and f"#{first.pk}" in data["re_reviews"][0]["withdrawn_reason"]
    stored = Clue.objects.get(pk=mistaken.pk)
    assert (stored.status, stored.unit_id, stored.handler_id) == (Status.RECEIVED, None, None)
    assert RepeatCandidate.objects.get(clue=mistaken, earlier=first).decision == CandidateDecision.DISMISSED

    withdrawn = AuditEvent.objects.get(action="withdraw_escalation", object_id=str(mistaken.pk))
    assert withdrawn.before["status"] == "escalated" and withdrawn.after["status"] == "received"
    assert withdrawn.before["unit"] == Unit.objects.get(name=CHENGDONG).pk and withdrawn.after["unit"] is None
    assert withdrawn.actor.username == "office"
    # 城东 no longer holds the clue: its to-do is cleared, and it is not told about a clue it can no longer see.
    escalate_notice.refresh_from_db()
    assert escalate_notice.read_at is not None
    assert not Notification.objects.filter(kind="clue.withdraw_escalation", user__username="liaison_chengdong")
    assert api("liaison_chengdong").get(f"/api/v1/clues/{mistaken.pk}").status_code == 404
    # The office can assign it as a new matter again.
    assert "assign" in data["allowed_actions"] and "record_review" not in data["allowed_actions"]


def test_a_report_already_under_verification_gets_its_unit_and_handler_back(api, demo, committed):
    first = untrue_matter(demo)
    later = intake(demo, source="public_report", content="张国强的事情又有人反映，说他骗取了别人的补贴。")
    later = bring_to(later, "verifying", handler="handler")
    # The office attaches the person afterwards and links the report to the old matter by hand: escalated.
    candidate = RepeatCandidate.objects.create(clue=later, earlier=first, score=0.5,
                                               reasons=[{"code": "content", "label": "内容相似", "score": 0.5,
                                                         "exact": False}])
    with committed():
        linked = api("office").post(f"/api/v1/clues/{later.pk}/repeat-candidates/{candidate.pk}",
                                    {"decision": "link"}, content_type="application/json").json()
    assert linked["status"] == "escalated" and linked["repeat_of"] == first.pk
    assert Notification.objects.filter(kind="clue.escalate", user__username="handler").count() == 1

    with committed():
        data = api("office").post(f"/api/v1/clues/{later.pk}/unlink-repeat").json()
    stored = Clue.objects.get(pk=later.pk)
    assert data["status"] == stored.status == Status.VERIFYING
    assert stored.unit.name == CHENGDONG and stored.handler.username == "handler"
    notice = Notification.objects.get(kind="clue.withdraw_escalation", user__username="handler")
    assert "撤销" in notice.title and f"#{first.pk}" in notice.body
    # The handler carries on where they were.
    act(stored, "report_result", "handler", result="true", findings="经核查，反映问题属实。")
    assert Clue.objects.get(pk=later.pk).status == Status.VERIFIED


def test_splitting_the_untrue_report_out_withdraws_the_escalation_it_caused(api, demo):
    first = untrue_matter(demo)
    again = intake(demo, source="public_report", content="再次举报张国强", subjects=person())
    assert again.status == Status.ESCALATED
    api("office").post(f"/api/v1/clues/{first.pk}/unlink-repeat")
    stored = Clue.objects.get(pk=again.pk)
    assert stored.repeat_of_id is None and stored.status == Status.RECEIVED and stored.unit_id is None
    assert stored.re_reviews.get().withdrawn_by.username == "office"


def test_an_escalation_the_office_made_itself_stays_when_a_link_is_undone(api, demo):
    first = intake(demo, days_ago=9, subjects=person())
    second = intake(demo, content="同一人再次被举报", subjects=person())
    assert second.repeat_of_id == first.pk and second.status == Status.RECEIVED
    act(second, "escalate", "office", reason="领导批示提级复核")
    api("office").post(f"/api/v1/clues/{second.pk}/unlink-repeat")
    stored = Clue.objects.get(pk=second.pk)
    assert stored.repeat_of_id is None and stored.status == Status.ESCALATED
    assert stored.re_reviews.get().withdrawn_at is None


def test_the_office_withdraws_a_mistaken_escalation_by_hand_with_a_reason(login, demo):
    clue = bring_to(intake(demo, subjects=person(id_number("11010519900101123"))), "verified", handler="handler")
    act(clue, "escalate", "office", reason="误点提级")
    clue.refresh_from_db()
    page = login("office").get(f"/clues/{clue.pk}/").content.decode()
    assert 'data-testid="withdraw_escalation-form"' in page
    refused = login("office").post(f"/clues/{clue.pk}/actions/withdraw_escalation/", {"version": clue.version})
    assert "请填写撤销提级复核的理由" in refused.content.decode()
    login("office").post(f"/clues/{clue.pk}/actions/withdraw_escalation/",
                         {"version": clue.version, "reason": "误操作，撤销"})
    stored = Clue.objects.get(pk=clue.pk)
    assert stored.status == Status.VERIFIED and stored.handler.username == "handler"
    page = login("office").get(f"/clues/{clue.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and "误操作，撤销" in page
    assert User.objects.get(username="office").pk == stored.re_reviews.get().withdrawn_by_id
    assert stored.re_reviews.get().withdrawn_at <= timezone.now()
