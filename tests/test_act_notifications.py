"""Every act reaches the people who act next, once, after commit (issue 14 item 1): one table per ledger decides
who (notify/acts.py), the actor never hears of their own act, a rolled-back act tells nobody."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from qicha.clues.services import cases as case_services
from qicha.notify.models import Notification
from qicha.orgs import services as org_services
from qicha.orgs.models import Role, Unit, User
from qicha.problems import services as problem_services
from qicha.problems.models import Problem
from qicha.supervision.services import inspections as inspection_services
from qicha.supervision.services import letters as letter_services

from .clue_helpers import act, intake
from .problem_helpers import ALL_CHECKS, add_evidence, bring_to, pdf, register

CHENGDONG = "城东区民政局"


def get(username) -> User:
    return User.objects.get(username=username)


def received(kind: str) -> Counter:
    """username → how many notifications of `kind` they received."""
    return Counter(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def leader(demo):
    """A 单位领导 of 城东区民政局 (the demo has none)."""
    created, _ = org_services.create_user(get("sysadmin"), username="leader_chengdong", full_name="城东领导",
                                          unit=Unit.objects.get(name=CHENGDONG))
    created = User.objects.get(pk=created.pk)
    org_services.assign_roles(get("secadmin"), created, [Role.objects.get(code="unit_leader")], version=created.version)
    return User.objects.get(pk=created.pk)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks, as a real request's commit would."""
    def run():
        return django_capture_on_commit_callbacks(execute=True)
    return run


# --- problems ------------------------------------------------------------------------------------------------------

def test_problem_submit_reaches_the_office_and_return_reaches_owner_and_liaisons_with_the_reason(demo, committed):
    problem = bring_to(register(demo, person="handler"), "in_progress", worker="handler")
    add_evidence(problem, by="handler")
    problem = Problem.objects.get(pk=problem.pk)
    with committed():
        problem_services.submit_problem(get("handler"), problem, version=problem.version)
    assert received("problem.submit") == {"office": 1}
    submitted = Notification.objects.get(kind="problem.submit")
    assert submitted.link == f"/problems/{problem.pk}/" and "申请销号" in submitted.title

    problem = Problem.objects.get(pk=problem.pk)
    with committed():
        problem_services.return_problem(get("office"), problem, version=problem.version, reason="佐证照片不清晰")
    assert received("problem.return") == {"handler": 1, "liaison_chengdong": 1}
    notice = Notification.objects.filter(kind="problem.return").first()
    assert "佐证照片不清晰" in notice.body and "佐证照片不清晰" not in notice.title
    # The office's 待审核 is answered by the return.
    assert Notification.objects.get(kind="problem.submit").read_at is not None


def test_sign_off_and_void_reach_owner_and_liaisons_never_the_actor(demo, committed):
    problem = bring_to(register(demo, person="handler"), "submitted")
    with committed():
        problem_services.sign_off_problem(get("office"), problem, version=problem.version, checks=ALL_CHECKS,
                                          opinion="同意销号")
    assert received("problem.sign_off") == {"handler": 1, "liaison_chengdong": 1}
    other = register(demo)  # no 责任人: the liaisons alone
    with committed():
        problem_services.void_problem(get("office"), other, version=other.version, reason="重复登记")
    assert received("problem.void") == {"liaison_chengdong": 1}
    # A liaison who submits does not hear of their own submission; other units hear nothing.
    third = bring_to(register(demo), "in_progress")
    add_evidence(third)
    third = Problem.objects.get(pk=third.pk)
    with committed():
        problem_services.submit_problem(get("liaison_chengdong"), third, version=third.version)
    assert received("problem.submit") == {"office": 1}
    assert not Notification.objects.filter(user__username__in=["liaison_chengxi", "liaison_nanshan"]).exists()


def test_a_rolled_back_act_tells_nobody(demo, committed):
    problem = bring_to(register(demo, person="handler"), "submitted")
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        problem_services.return_problem(get("office"), problem, version=problem.version, reason="退回")
        raise RuntimeError("the request failed after the act")
    assert callbacks == []
    assert not Notification.objects.filter(kind="problem.return").exists()
    assert Problem.objects.get(pk=problem.pk).status == "submitted"


# --- clues ---------------------------------------------------------------------------------------------------------

def test_clue_acts_reach_the_handler_or_the_liaisons_and_the_office(demo, committed):
    unit = Unit.objects.get(name=CHENGDONG)
    clue = intake(demo)
    with committed():
        act(clue, "assign", "office", unit=unit, handler=get("handler"))
    assert received("clue.assign") == {"handler": 1}
    other = intake(demo, content="反映某街道低保审核走过场")
    with committed():
        act(other, "assign", "office", unit=unit)
    assert received("clue.assign") == {"handler": 1, "liaison_chengdong": 1}

    with committed():
        act(clue, "start", "handler")
        act(clue, "report_result", "handler", result="true", findings="经核查，反映问题属实。")
    assert not Notification.objects.filter(kind="clue.start").exists()  # nobody waits on 开始核查
    assert received("clue.report_result") == {"office": 1}
    with committed():
        act(clue, "return", "office", reason="核查情况过于简单")
    assert received("clue.return") == {"handler": 1}
    assert "核查情况过于简单" in Notification.objects.get(kind="clue.return").body
    assert Notification.objects.get(kind="clue.report_result").read_at is not None
    with committed():
        act(clue, "escalate", "office", reason="多次举报")
    assert received("clue.escalate") == {"handler": 1}  # the office escalated: it does not tell itself
    with committed():
        act(clue, "record_review", "office", result="partly_true", findings="部分属实")
    assert received("clue.record_review") == {"handler": 1}


def test_a_case_reaches_its_unit_and_the_office(demo, committed):
    unit = Unit.objects.get(name=CHENGDONG)
    with committed():
        case = case_services.register_case(get("office"), demo, unit, "某村霸欺行霸市案", "central_group",
                                           received_date=timezone.localdate(), summary="基本案情")
    assert received("case.register") == {"liaison_chengdong": 1}
    with committed():
        case_services.start_case(get("liaison_chengdong"), case, version=case.version)
        case_services.conclude_case(get("liaison_chengdong"), case, version=case.version, conclusion="已移送公安")
    assert received("case.conclude") == {"office": 1}
    with committed():
        case_services.return_case(get("office"), case, version=case.version, reason="办理结果不完整")
    assert received("case.return") == {"liaison_chengdong": 1}


# --- supervision ---------------------------------------------------------------------------------------------------

def test_a_finding_and_a_commitment_check_reach_the_inspected_unit(demo, committed, leader):
    today = timezone.localdate()
    unit = Unit.objects.get(name=CHENGDONG)
    inspection = inspection_services.plan_inspection(get("office"), demo, kind="special", title="专项督查：低保",
                                                     starts_on=today, ends_on=today + timedelta(days=5),
                                                     unit_ids=[unit.pk])
    with committed():
        inspection = inspection_services.start_inspection(get("office"), inspection, version=inspection.version)
    assert received("inspection.start") == {"liaison_chengdong": 1, "leader_chengdong": 1}
    target = inspection.targets.get()
    with committed():
        inspection_services.record_finding(get("office"), inspection, target, "档案缺少入户调查记录", "立即补齐",
                                           today + timedelta(days=5))
    assert received("finding.record") == {"liaison_chengdong": 1, "leader_chengdong": 1}
    assert "档案缺少入户调查记录" in Notification.objects.filter(kind="finding.record").first().body

    letter = letter_services.record_letter(get("office"), demo, "commitment", unit, signer="张局长",
                                           signed_on=today - timedelta(days=30), scope="无涉黑涉恶问题",
                                           scan_attachment_id=pdf(get("office"), "承诺书.pdf").pk)
    with committed():
        letter_services.record_check(get("office"), letter, checked_on=today, checked_by="王扫黑", method="查阅台账",
                                     result="fulfilled", findings="履行到位")
    assert received("commitment_check.record") == {"liaison_chengdong": 1, "leader_chengdong": 1}
    assert "履行到位" in Notification.objects.get(kind="commitment_check.record", user=leader).title


def test_the_bot_carries_title_and_link_only(demo, committed, settings, monkeypatch):
    """The webhook names the record and links to it; the return reason stays behind sign-in."""
    posted = []

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"{}"

    settings.WEBHOOK_URL = "http://bot.invalid/hook"
    monkeypatch.setattr("urllib.request.urlopen",
                        lambda request, timeout=None: posted.append(request.data.decode()) or Response())
    problem = bring_to(register(demo, person="handler"), "submitted")
    with committed():
        problem_services.return_problem(get("office"), problem, version=problem.version, reason="机密的退回理由")
    assert len(posted) == 1
    assert "被退回" in posted[0] and f"/problems/{problem.pk}/" in posted[0] and "机密的退回理由" not in posted[0]


def test_a_liaison_reads_the_return_reason_on_the_workbench(demo, committed, login):
    problem = bring_to(register(demo, person="handler", description="低保档案不全"), "submitted")
    problem_services.return_problem(get("office"), problem, version=problem.version, reason="缺少整改前后对比照片")
    page = login("handler").get("/").content.decode()
    assert "被退回" in page and "缺少整改前后对比照片" in page


def test_a_department_without_liaisons_reaches_the_liaisons_of_the_bureau_above(demo, committed):
    problem = bring_to(register(demo, unit_name="城东区民政局社会救助股"), "submitted")
    with committed():
        problem_services.return_problem(get("office"), problem, version=problem.version, reason="佐证不足")
    assert received("problem.return") == {"liaison_chengdong": 1}
