"""The one workflow path (core.workflow): every transition of every registered workflow is a named act that goes
through it — the same audit shape, the version bumped by exactly one — and a stale version writes nothing."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

import qicha.urls  # noqa: F401  (the pages import every ledger's table: all workflows are registered)
from qicha.clues.models import Clue
from qicha.core.errors import Conflict
from qicha.core.models import AuditEvent
from qicha.core.workflow import WORKFLOWS
from qicha.orgs.models import Unit, User
from qicha.reporting import services as reporting_services
from qicha.reporting.demo import load_demo_leaders
from qicha.reporting.models import ReportingPeriod, Submission
from qicha.supervision.models import Inspection
from qicha.supervision.services import inspections as inspection_services
from qicha.vetting.workflow import ROUND_WORKFLOW

from .conftest import DEMO_PASSWORD
from .problem_helpers import ALL_CHECKS, add_evidence, bring_to, register
from .screening_data import hit_in
from .test_cases import bring_case_to, complete_record, new_case
from .test_clue_workflow import clue_in
from .test_reporting import bring
from .test_vetting_rounds import open_round as open_vetting_round


def u(username: str) -> User:
    return User.objects.get(username=username)


# --- one scenario per workflow: (actor, a record in the transition's source status, the act's data) ---------------

def problem_scenario(demo, transition):
    problem = register(demo, person="handler")
    if transition.action == "submit":
        problem = bring_to(problem, "in_progress")
        add_evidence(problem)
    else:
        problem = bring_to(problem, transition.sources[-1])
    office_acts = transition.permission in ("problem.review", "problem.sign_off", "problem.void")
    data = {"return": {"reason": "佐证不足"}, "void": {"reason": "重复登记"},
            "sign_off": {"checks": ALL_CHECKS, "opinion": "同意销号"}}.get(transition.action, {})
    return ("office" if office_acts else "liaison_chengdong"), problem, data


def clue_scenario(demo, transition):
    today = timezone.localdate()
    clue = clue_in(demo, transition.sources[-1])
    data = {
        "assign": {"unit": Unit.objects.get(name="城东区民政局")},
        "report_result": {"result": "untrue", "findings": "经核查不属实"},
        "record_follow_up": {"kind": "police", "date": today, "document_no": "城东民移〔2026〕1号"},
        "record_reply": {"date": today, "channel": "phone", "reporter_response": "表示满意"},
        "return": {"reason": "核查不够深入"},
        "escalate": {"reason": "反复举报"},
        "withdraw_escalation": {"reason": "误提级，撤销"},
        "record_review": {"result": "untrue", "findings": "复核维持原结论"},
    }.get(transition.action, {})
    office_acts = transition.permission in ("clue.assign", "clue.review", "clue.rereview")
    return ("office" if office_acts else "liaison_chengdong"), clue, data


def case_scenario(demo, transition):
    case = bring_case_to(new_case(demo), transition.sources[-1])
    if transition.action == "close":
        complete_record(case)
    data = {"conclude": {"conclusion": "查实并已移送公安机关"}, "return": {"reason": "办理结果不完整"}}
    return "office", case, data.get(transition.action, {})


def inspection_scenario(demo, transition):
    today = timezone.localdate()
    inspection = inspection_services.plan_inspection(
        u("office"), demo, kind="special", title="专项督查：低保领域", starts_on=today, ends_on=today + timedelta(days=10),
        unit_ids=[Unit.objects.get(name="城东区民政局").pk])
    if transition.action == "complete":
        inspection = inspection_services.start_inspection(u("office"), inspection, version=inspection.version)
        inspection_services.rate_target(u("office"), inspection.targets.get(), "good", "台账齐全")
        inspection = Inspection.objects.get(pk=inspection.pk)
    return "office", inspection, {"summary": "总体较好"} if transition.action == "complete" else {}


def submission_scenario(demo, transition):
    load_demo_leaders(DEMO_PASSWORD)
    reporting_services.generate_periods(u("office"), demo)
    period = ReportingPeriod.objects.get(campaign=demo, year=demo.year, month=12)
    if transition.action == "submit":
        reporting_services.update_period(u("office"), period, version=period.version, requires_approval=False,
                                         lock_after_due=False)
        period.refresh_from_db()
    source = {"request_approval": "draft", "submit": "draft", "approve": "pending_approval",
              "reject": "pending_approval", "return": "submitted", "accept": "submitted"}[transition.action]
    submission = Submission.objects.get(pk=bring(period, source).pk)
    actor = {"report.prepare": "liaison_chengxi", "report.approve": "leader_chengxi",
             "report.review": "office"}[transition.permission]
    return actor, submission, {"reason": "请补充"} if transition.action in ("reject", "return") else {}


def vetting_round_scenario(demo, transition):
    round_ = open_vetting_round()
    if transition.action == "reopen":
        ROUND_WORKFLOW.perform(u("office"), round_, "close", version=round_.version)
    return "office", round_, {"reason": "更正一名候选人的意见"} if transition.action == "reopen" else {}


def unit_summary_scenario(demo, transition):
    from qicha.documents import unit_services

    liaison = u("liaison_chengxi")
    summary = unit_services.save_unit_summary(liaison, demo, "stage", text="城西区民政局阶段性总结")
    if transition.action != "submit":
        summary = unit_services.submit_unit_summary(liaison, summary, version=summary.version)
    actor = "liaison_chengxi" if transition.permission == "summary.submit" else "office"
    return actor, summary, {"reason": "请补充"} if transition.action == "return" else {}


def screening_hit_scenario(demo, transition):
    hit = hit_in(transition.sources[-1])
    data = {"reject": {"reason": "已登记的豁免车辆"}, "to_ledger": {"kind": "错保", "amount": "450"}}
    return "liaison_nanshan", hit, data.get(transition.action, {})


SCENARIOS = {"problem": problem_scenario, "clue": clue_scenario, "case": case_scenario,
             "inspection": inspection_scenario, "submission": submission_scenario,
             "vetting_round": vetting_round_scenario,
             "unit_summary": unit_summary_scenario,
             "screening_hit": screening_hit_scenario}

EVERY_TRANSITION = [(name, t) for name, workflow in sorted(WORKFLOWS.items()) for t in workflow.transitions]


def _rows() -> dict[str, int]:
    """How many rows every ledger table holds, to prove a refused act wrote nothing anywhere."""
    labels = ("core", "problems", "clues", "supervision", "reporting", "notify", "vetting", "documents")
    return {m._meta.label: m.objects.count() for label in labels for m in apps.get_app_config(label).get_models()}


def test_every_workflow_and_every_transition_has_a_named_act():
    assert set(WORKFLOWS) == set(SCENARIOS), "a new workflow needs its scenario here"
    for workflow in WORKFLOWS.values():
        acts = {t.action: workflow.act_for(t.action) for t in workflow.transitions}
        assert set(workflow.acts) == set(acts)  # no act without a row, no row without an act
        assert len({fn.__name__ for fn in acts.values()}) == len(acts)  # one named act each, no shared dispatcher


@pytest.mark.parametrize(("name", "transition"), EVERY_TRANSITION, ids=lambda v: v if isinstance(v, str) else v.action)
def test_every_act_goes_through_the_one_path(demo, name, transition):
    workflow = WORKFLOWS[name]
    username, record, data = SCENARIOS[name](demo, transition)
    source, version = record.status, record.version
    assert source in transition.sources
    workflow.perform(u(username), record, transition.action, version=version, **data)

    stored = type(record).objects.get(pk=record.pk)
    moved_to = transition.target or source
    if isinstance(moved_to, tuple):  # a restoring act names which earlier status it returns to
        assert stored.status in moved_to
        moved_to = stored.status
    assert (stored.status, stored.version) == (moved_to, version + 1)
    assert (record.status, record.version) == (moved_to, version + 1)  # the caller's copy is current too
    event = AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk)).latest("seq")
    assert event.action == transition.action and event.actor.username == username
    assert event.event_type == (AuditEvent.EventType.TRANSITION if transition.target else AuditEvent.EventType.UPDATE)
    assert event.before["status"] == source and event.after["status"] == moved_to
    assert set(event.before) <= set(event.after)  # every changed field is logged on both sides


@pytest.mark.parametrize(("name", "transition"), EVERY_TRANSITION, ids=lambda v: v if isinstance(v, str) else v.action)
def test_a_stale_version_is_a_conflict_and_writes_nothing(demo, name, transition):
    workflow = WORKFLOWS[name]
    username, record, data = SCENARIOS[name](demo, transition)
    source, version = record.status, record.version
    rows = _rows()
    with pytest.raises(Conflict) as refused:
        workflow.perform(u(username), record, transition.action, version=version - 1, **data)
    assert refused.value.status == 409 and "已被他人处理" in refused.value.message
    assert _rows() == rows
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.status, stored.version) == (source, version)


def test_a_stale_version_through_the_api_is_409(demo, api):
    clue = clue_in(demo, "received")
    response = api("office").post(f"/api/v1/clues/{clue.pk}/actions/assign",
                                  {"unit": Unit.objects.get(name="城东区民政局").pk, "version": clue.version - 1},
                                  content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Clue.objects.get(pk=clue.pk).status == "received"
