"""R-REP-1 monthly reporting (月度报送): periods, the submission transition table for every role, snapshots with
an SM3 digest that catches tampering, on time / late on a frozen Beijing clock, locking, versions, rates, data scope
on pages and API, the city roll-up workbook, reminders and to-dos."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from openpyxl import load_workbook

from qicha.core.errors import Conflict, Forbidden, Invalid
from qicha.core.workbench import Viewer, cards_for
from qicha.notify.models import Notification
from qicha.orgs.models import User
from qicha.problems.numbers import format_problem_no
from qicha.reporting import queries, services
from qicha.reporting.demo import load_demo_leaders
from qicha.reporting.models import ReportingPeriod, Submission
from qicha.reporting.reminders import send_report_reminders
from qicha.reporting.workflow import TRANSITIONS

from .conftest import DEMO_PASSWORD
from .problem_helpers import register

BEIJING = ZoneInfo("Asia/Shanghai")
CHENGXI = "城西区民政局"


def at(day: date, hour: int = 10):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING)


def u(name: str) -> User:
    return User.objects.get(username=name)


@pytest.fixture
def periods(demo):
    """The campaign's periods, and the demo's 城西 unit leader (leader_chengxi) who approves 城西's reports."""
    load_demo_leaders(DEMO_PASSWORD)
    return services.generate_periods(u("office"), demo)


def period_of(demo, month: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(campaign=demo, year=demo.year, month=month)


def submitted(period, username="liaison_chengxi", note="本月台账") -> Submission:
    """Bring the user's unit's submission to 已报送 (through the leader's approval when the period needs it)."""
    actor = u(username)
    submission = services.prepare_submission(actor, period, note)
    if period.requires_approval:
        submission = services.request_submission_approval(actor, submission, version=submission.version)
        leader = User.objects.filter(unit=actor.unit, roles__code="unit_leader").first() or make_leader(actor.unit)
        return services.approve_submission(leader, submission, version=submission.version)
    return services.submit_report(actor, submission, version=submission.version)


def make_leader(unit) -> User:
    from qicha.orgs import services as org_services
    from qicha.orgs.models import Role

    user, _ = org_services.create_user(u("sysadmin"), username=f"leader_{unit.pk}", full_name="领导", unit=unit)
    user = User.objects.get(pk=user.pk)
    org_services.assign_roles(u("secadmin"), user, [Role.objects.get(code="unit_leader")], version=user.version)
    return User.objects.get(pk=user.pk)


# --- periods -------------------------------------------------------------------------------------------------------

def test_periods_follow_the_campaign_span_and_due_day(demo, periods):
    # Default phases run from 3月1日 to 12月31日: one report per month, due on the 21st.
    assert [(p.month, p.due_date.day) for p in periods] == [(m, 21) for m in range(3, 13)]
    may = period_of(demo, 5)
    assert (may.start, may.end, may.due_date) == (date(demo.year, 4, 21), date(demo.year, 5, 20), date(demo.year, 5, 21))
    assert may.requires_approval and not may.lock_after_due
    assert period_of(demo, 3).start == date(demo.year, 3, 1)  # not before the campaign starts
    assert services.generate_periods(u("office"), demo) == []  # running again adds nothing


def test_due_day_is_configurable_and_clamped(demo):
    demo.report_due_day = 31
    demo.save()
    period = services.open_period(u("office"), demo, demo.year, 6)
    assert period.due_date == date(demo.year, 6, 30) and period.start == date(demo.year, 5, 31)
    with pytest.raises(Invalid) as exc:
        services.open_period(u("office"), demo, demo.year, 6)
    assert "已存在" in exc.value.details["month"]




# --- the transition table ------------------------------------------------------------------------------------------

ROLES = ["office", "leader", "liaison_chengxi", "leader_chengxi", "liaison_chengdong", "handler"]
# Who may perform each action on 城西's submission.
ALLOWED = {
    "request_approval": {"liaison_chengxi"},
    "submit": {"liaison_chengxi"},
    "approve": {"leader_chengxi"},
    "reject": {"leader_chengxi"},
    "return": {"office"},
    "accept": {"office"},
}
SOURCE = {"request_approval": "draft", "submit": "draft", "approve": "pending_approval", "reject": "pending_approval",
          "return": "submitted", "accept": "submitted"}


def bring(period, status: str) -> Submission:
    liaison = u("liaison_chengxi")
    submission = services.prepare_submission(liaison, period, "草稿")
    if status == "draft":
        return submission
    if status == "pending_approval":
        return services.request_submission_approval(liaison, submission, version=submission.version)
    submission = submitted(period)
    if status == "returned":
        return services.return_submission(u("office"), submission, version=submission.version, reason="不完整")
    if status == "accepted":
        return services.accept_submission(u("office"), submission, version=submission.version)
    return submission


def test_transition_table_is_complete():
    assert {t.action for t in TRANSITIONS} == set(ALLOWED)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_every_action_for_every_role(demo, periods, api, username, action):
    period = period_of(demo, 12)
    if action == "submit":
        services.update_period(u("office"), period, version=period.version, requires_approval=False,
                               lock_after_due=False)
        period.refresh_from_db()
    submission = bring(period, SOURCE[action])
    response = api(username).post(f"/api/v1/reporting/submissions/{submission.pk}/actions/{action}",
                                  {"reason": "请补充", "version": submission.version}, content_type="application/json")
    if username in ALLOWED[action]:
        assert response.status_code == 200, response.content
        target = next(t.target for t in TRANSITIONS if t.action == action)
        assert Submission.objects.get(pk=submission.pk).status == target
    else:
        sees = username in ("office", "leader", "liaison_chengxi", "leader_chengxi")
        assert response.status_code == (403 if sees else 404)
        assert Submission.objects.get(pk=submission.pk).status == SOURCE[action]


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_wrong_state_is_refused(demo, periods, api, action):
    period = period_of(demo, 12)
    wrong = "accepted"
    submission = bring(period, wrong)
    actor = next(iter(ALLOWED[action]))
    response = api(actor).post(f"/api/v1/reporting/submissions/{submission.pk}/actions/{action}",
                               {"reason": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert "不能执行" in response.json()["message"]


def test_submit_versus_approval_follows_the_period_flag(demo, periods):
    period = period_of(demo, 12)
    submission = bring(period, "draft")
    with pytest.raises(Invalid, match="须经单位领导审核"):
        services.submit_report(u("liaison_chengxi"), submission, version=submission.version)
    services.update_period(u("office"), period, version=period.version, requires_approval=False, lock_after_due=False)
    submission = Submission.objects.get(pk=submission.pk)
    with pytest.raises(Invalid, match="无须单位领导审核"):
        services.request_submission_approval(u("liaison_chengxi"), submission, version=submission.version)
    assert services.submit_report(u("liaison_chengxi"), submission, version=submission.version).status == "submitted"


def test_reasons_are_required_and_shown(demo, periods, login):
    period = period_of(demo, 12)
    submission = bring(period, "pending_approval")
    with pytest.raises(Invalid):
        services.reject_submission(u("leader_chengxi"), submission, version=submission.version, reason=" ")
    submission = services.reject_submission(u("leader_chengxi"), submission, version=submission.version, reason="说明太简单")
    assert submission.status == "draft"
    html = login("liaison_chengxi").get(f"/reporting/periods/{period.pk}/").content.decode()
    assert "单位领导退回修改：</strong>说明太简单" in html
    submission = submitted(period)
    submission = services.return_submission(u("office"), submission, version=submission.version, reason="问题台账缺少整改措施")
    html = login("liaison_chengxi").get("/reporting/").content.decode()
    assert "扫黑办退回：</strong>问题台账缺少整改措施" in html
    # The unit resubmits after a return.
    again = services.prepare_submission(u("liaison_chengxi"), period, "已补充")
    again = services.request_submission_approval(u("liaison_chengxi"), again, version=again.version)
    again = services.approve_submission(u("leader_chengxi"), again, version=again.version)
    assert again.status == "submitted" and again.return_reason == ""


def test_a_returned_report_is_kept_whole_after_the_unit_resubmits(demo, periods, login, api):
    period = period_of(demo, 12)
    first = submitted(period)
    first_digest, first_counts = first.digest, first.snapshot["counts"]
    services.return_submission(u("office"), first, version=first.version, reason="缺少整改措施")
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description="补报的问题")
    again = services.prepare_submission(u("liaison_chengxi"), period, "已补充")
    again = services.request_submission_approval(u("liaison_chengxi"), again, version=again.version)
    again = services.approve_submission(u("leader_chengxi"), again, version=again.version)
    assert again.digest != first_digest
    kept = again.returned_versions.get()
    assert (kept.digest, kept.snapshot["counts"], kept.reason) == (first_digest, first_counts, "缺少整改措施")
    html = login("office").get(f"/reporting/submissions/{again.pk}/").content.decode()
    assert 'data-testid="returned-versions"' in html and first_digest in html and "缺少整改措施" in html
    body = api("office").get(f"/api/v1/reporting/submissions/{again.pk}").json()
    assert [(v["digest"], v["verify"], v["reason"]) for v in body["returned_versions"]] == [
        (first_digest, "一致", "缺少整改措施")]


def test_stale_version_is_a_conflict(demo, periods, api):
    period = period_of(demo, 12)
    draft = bring(period, "draft")
    stale = draft.version
    services.prepare_submission(u("liaison_chengxi"), period, "另一人修改了说明", version=stale)
    response = api("liaison_chengxi").post(f"/api/v1/reporting/submissions/{draft.pk}/actions/request_approval",
                                           {"version": stale}, content_type="application/json")
    assert response.status_code == 409
    with pytest.raises(Conflict):
        services.prepare_submission(u("liaison_chengxi"), period, "我的修改", version=stale)
    # Two reviewers open the same submitted report; the second click finds it already handled.
    submission = submitted(period)
    first, second = Submission.objects.get(pk=submission.pk), Submission.objects.get(pk=submission.pk)
    services.accept_submission(u("office"), first, version=first.version)
    with pytest.raises(Conflict):
        services.return_submission(u("office"), second, version=second.version, reason="退回")
    assert Submission.objects.get(pk=submission.pk).status == "accepted"


def test_only_expected_units_and_preparers_submit(demo, periods):
    period = period_of(demo, 12)
    with pytest.raises(Forbidden):
        services.prepare_submission(u("leader"), period)
    with pytest.raises(Forbidden):
        services.prepare_submission(u("handler"), period)
    demo.participating_units.remove(u("liaison_chengxi").unit)
    with pytest.raises(Invalid, match="不是本专项行动的报送单位"):
        services.prepare_submission(u("liaison_chengxi"), period)


# --- snapshot and digest ---------------------------------------------------------------------------------------------

def test_snapshot_freezes_the_units_ledgers_and_verifies(demo, periods, api):
    register(demo, unit_name="城西区民政局社会救助股", by="liaison_chengxi", description="城西下属股室的问题")
    register(demo, unit_name="城东区民政局", by="liaison_chengdong", description="城东的问题")
    period = period_of(demo, 12)
    submission = submitted(period)
    snapshot = submission.snapshot
    descriptions = {p["description"] for p in snapshot["problems"]}
    assert "城西下属股室的问题" in descriptions and "城东的问题" not in descriptions
    assert snapshot["unit"]["name"] == CHENGXI and snapshot["counts"]["problems"] == len(snapshot["problems"])
    assert len(submission.digest) == 64
    # Later changes to the ledger do not touch the frozen snapshot.
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description="报送之后登记的问题")
    body = api("office").get(f"/api/v1/reporting/submissions/{submission.pk}").json()
    assert body["verify"] == "一致" and body["digest"] == submission.digest
    assert "报送之后登记的问题" not in {p["description"] for p in body["snapshot"]["problems"]}


def test_snapshot_page_shows_the_problem_number_and_the_snapshot_keeps_the_id(demo, periods, login):
    problem = register(demo, unit_name=CHENGXI, by="liaison_chengxi", description="快照编号的问题")
    submission = submitted(period_of(demo, 12))
    row = next(p for p in submission.snapshot["problems"] if p["description"] == "快照编号的问题")
    assert row["id"] == problem.pk  # the frozen data (and so its digest) is unchanged; only the page formats it
    html = login("office").get(f"/reporting/submissions/{submission.pk}/").content.decode()
    table = html.split('data-testid="snapshot-problems"')[1].split("</table>")[0]
    assert f'<td class="text-nowrap">{format_problem_no(problem.pk)}</td>' in table
    assert f'<td class="text-nowrap">{problem.pk}</td>' not in table
    assert '<span class="badge bg-green-lt">一致</span>' in html


def test_verify_catches_tampering_in_the_database(demo, periods, api, login):
    period = period_of(demo, 12)
    submission = submitted(period)
    tampered = dict(submission.snapshot)
    tampered["counts"] = dict(tampered["counts"], problems=999)
    import json

    with connection.cursor() as cursor:
        cursor.execute("UPDATE reporting_submission SET snapshot = %s WHERE id = %s",
                       [json.dumps(tampered, ensure_ascii=False), submission.pk])
    assert api("office").get(f"/api/v1/reporting/submissions/{submission.pk}").json()["verify"] == "不一致"
    html = login("office").get(f"/reporting/submissions/{submission.pk}/").content.decode()
    assert "不一致" in html and "可能已被篡改" in html


# --- on time, late, lock (frozen Beijing clock) ------------------------------------------------------------------

def test_submission_on_the_due_day_is_on_time_and_the_next_day_late(demo, periods, api):
    period = period_of(demo, 5)
    services.update_period(u("office"), period, version=period.version, requires_approval=False, lock_after_due=False)
    period.refresh_from_db()
    with time_machine.travel(at(date(demo.year, 5, 21), 23), tick=False):
        on_time = submitted(period, "liaison_chengxi")
    with time_machine.travel(at(date(demo.year, 5, 22), 0), tick=False):
        late = submitted(period, "liaison_chengdong")
    assert queries.on_time(on_time) is True and queries.on_time(late) is False
    rows = {r["unit"]["name"]: r for r in api("office").get(f"/api/v1/reporting/periods/{period.pk}/submissions").json()}
    assert rows[CHENGXI]["status"] == "submitted" and rows[CHENGXI]["on_time"] is True
    assert rows["城东区民政局"]["on_time"] is False
    assert rows["南山县民政局"]["status"] == "missing" and rows["南山县民政局"]["on_time"] is None
    assert len(rows) == demo.participating_units.count()


def test_locked_period_refuses_late_first_submission_but_takes_a_returned_one(demo, periods):
    period = period_of(demo, 5)
    services.update_period(u("office"), period, version=period.version, requires_approval=False, lock_after_due=True)
    period.refresh_from_db()
    with time_machine.travel(at(date(demo.year, 5, 20)), tick=False):
        early = submitted(period, "liaison_chengxi")
        services.return_submission(u("office"), early, version=early.version, reason="补充")
    with time_machine.travel(at(date(demo.year, 5, 22)), tick=False):
        with pytest.raises(Invalid, match="已锁定，不再接收报送"):
            services.prepare_submission(u("liaison_chengdong"), period)
        again = services.prepare_submission(u("liaison_chengxi"), period, "补充后")
        assert services.submit_report(u("liaison_chengxi"), again, version=again.version).status == "submitted"


# --- the matrix and its rates --------------------------------------------------------------------------------------

def test_matrix_states_and_rates(demo, periods, login):
    office = u("office")
    for month in (4, 5):
        p = period_of(demo, month)
        services.update_period(office, p, version=p.version, requires_approval=False, lock_after_due=False)
    april, may = period_of(demo, 4), period_of(demo, 5)
    with time_machine.travel(at(date(demo.year, 4, 20)), tick=False):
        a = submitted(april, "liaison_chengxi")
        services.accept_submission(office, a, version=a.version)
        submitted(april, "liaison_chengdong")
    with time_machine.travel(at(date(demo.year, 5, 25)), tick=False):
        submitted(may, "liaison_chengxi")  # late
        b = submitted(may, "liaison_chengdong")
        services.return_submission(office, b, version=b.version, reason="退回")
    with time_machine.travel(at(date(demo.year, 5, 26)), tick=False):
        matrix = queries.matrix(office, demo)
        rows = {r.unit.name: r for r in matrix.rows}
        assert [c.label for c in rows[CHENGXI].cells[1:3]] == ["已接收", "已报待接收"]
        assert [c.on_time for c in rows[CHENGXI].cells[1:3]] == [True, False]
        assert rows["城东区民政局"].cells[2].label == "退回"
        assert rows["南山县民政局"].cells[2].label == "逾期未报"
        # Closed periods: 3月, 4月, 5月 (three expected per unit).
        assert (rows[CHENGXI].expected, rows[CHENGXI].reported, rows[CHENGXI].timely) == (3, 2, 1)
        assert (rows[CHENGXI].timely_rate, rows[CHENGXI].complete_rate) == (33, 67)
        assert (rows["城东区民政局"].reported, rows["城东区民政局"].timely) == (1, 1)  # a returned one is not complete
        stats = {s.period.month: s for s in matrix.stats}
        total = demo.participating_units.count()
        assert (stats[4].reported, stats[4].timely, stats[4].expected) == (2, 2, total)
        assert (stats[5].reported, stats[5].timely) == (1, 0)
        html = login("office").get("/reporting/").content.decode()
        assert 'data-testid="report-matrix"' in html and "逾期未报" in html and "33%" in html
        # The bureau leader's 工作台 carries the same overall figures (R-REP-4); a unit's liaison has its own row instead.
        expected = 3 * total
        assert (matrix.expected, matrix.reported, matrix.timely) == (expected, 3, 2)
        home = login("leader").get("/").content.decode()
        line = home.split('data-testid="workbench-report-rates">', 1)[1].split("</div>", 1)[0]
        assert f"已截止的 3 个月中按时 2、已报 3 / 应报 {expected}" in line
        assert f"{round(200 / expected)}%" in line and f"{demo.year}年6月报已报 0 / " in line
        assert 'data-testid="workbench-report-rates"' not in login("liaison_chengxi").get("/").content.decode()


def test_a_paged_matrix_shows_one_page_of_units_and_rates_over_all(demo, periods, login, monkeypatch):
    """A city's 300 units are shown 50 to a page; the month and overall rates still count every unit in scope."""
    office = u("office")
    april = period_of(demo, 4)
    services.update_period(office, april, version=april.version, requires_approval=False, lock_after_due=False)
    with time_machine.travel(at(date(demo.year, 4, 20)), tick=False):
        submitted(period_of(demo, 4), "liaison_chengxi")
    monkeypatch.setattr(queries, "MATRIX_UNITS_PER_PAGE", 2)
    with time_machine.travel(at(date(demo.year, 5, 26)), tick=False):
        whole = queries.matrix(office, demo)
        first = queries.matrix(office, demo, page_number=1)
        assert len(first.rows) == 2 and first.page.paginator.count == len(whole.rows) > 2
        pages = [queries.matrix(office, demo, page_number=n) for n in first.page.paginator.page_range]
        assert [r.unit.pk for page in pages for r in page.rows] == [r.unit.pk for r in whole.rows]
        for page in pages:
            assert (page.expected, page.reported, page.timely) == (whole.expected, whole.reported, whole.timely)
            assert [(s.reported, s.timely) for s in page.stats] == [(s.reported, s.timely) for s in whole.stats]
        html = login("office").get("/reporting/?page=2").content.decode()
    assert f"第 2 / {first.page.paginator.num_pages} 页" in html and html.count('data-testid="matrix-cell"') == 2 * len(
        whole.periods)


def test_units_see_only_their_own_row(demo, periods, login):
    matrix = queries.matrix(u("liaison_chengxi"), demo)
    assert [r.unit.name for r in matrix.rows] == [CHENGXI]
    assert len(queries.matrix(u("leader"), demo).rows) == demo.participating_units.count()
    html = login("liaison_chengxi").get("/reporting/").content.decode()
    assert 'data-unit="城西区民政局"' in html and 'data-unit="城东区民政局"' not in html


# --- scope ------------------------------------------------------------------------------------------------------

def test_other_units_cannot_reach_a_submission(demo, periods, login, api):
    submission = submitted(period_of(demo, 12))
    for username in ("liaison_chengdong", "handler", "sysadmin"):
        assert login(username).get(f"/reporting/submissions/{submission.pk}/").status_code in (403, 404)
        assert api(username).get(f"/api/v1/reporting/submissions/{submission.pk}").status_code == 404
    assert login("leader").get(f"/reporting/submissions/{submission.pk}/").status_code == 200
    assert api("liaison_chengxi").get(f"/api/v1/reporting/submissions/{submission.pk}").status_code == 200
    rows = api("liaison_chengdong").get(f"/api/v1/reporting/periods/{submission.period_id}/submissions").json()
    assert [r["unit"]["name"] for r in rows] == ["城东区民政局"]
    # The period's page lists the viewer's own units only: nothing of 城西's report shows.
    html = login("liaison_chengdong").get(f"/reporting/periods/{submission.period_id}/").content.decode()
    assert "城东区民政局" in html and CHENGXI not in html and "本月台账" not in html
    assert CHENGXI not in login("liaison_chengdong").get("/reporting/").content.decode()


# --- API ---------------------------------------------------------------------------------------------------------

def test_api_submit_and_review(demo, periods, api):
    periods_json = api("liaison_chengxi").get("/api/v1/reporting/periods").json()
    december = next(p for p in periods_json if p["month"] == 12)
    assert december["due_date"] == f"{demo.year}-12-21" and december["campaign"] == demo.pk
    created = api("liaison_chengxi").post(f"/api/v1/reporting/periods/{december['id']}/submissions",
                                          {"note": "十二月台账"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["workflow_status"] == "pending_approval" and body["status"] == "missing"
    approved = api("leader_chengxi").post(f"/api/v1/reporting/submissions/{body['id']}/actions/approve",
                                          {"version": body["version"]}, content_type="application/json").json()
    assert approved["status"] == "submitted" and approved["verify"] == "一致" and len(approved["digest"]) == 64
    returned = api("office").post(f"/api/v1/reporting/submissions/{body['id']}/actions/return",
                                  {"reason": ""}, content_type="application/json")
    assert returned.status_code == 422 and returned.json()["details"] == {"reason": "请填写退回理由"}
    returned = api("office").post(f"/api/v1/reporting/submissions/{body['id']}/actions/return",
                                  {"reason": "请补充线索台账"}, content_type="application/json").json()
    assert returned["status"] == "returned" and returned["return_reason"] == "请补充线索台账"
    again = api("liaison_chengxi").post(f"/api/v1/reporting/periods/{december['id']}/submissions", {"note": "已补充"},
                                        content_type="application/json")
    assert again.status_code == 201 and again.json()["workflow_status"] == "pending_approval"
    twice = api("liaison_chengxi").post(f"/api/v1/reporting/periods/{december['id']}/submissions", {},
                                        content_type="application/json")
    assert twice.status_code == 422
    assert api("leader").post(f"/api/v1/reporting/periods/{december['id']}/submissions", {},
                              content_type="application/json").status_code == 403


# --- pages ---------------------------------------------------------------------------------------------------------

def test_liaison_prepares_and_submits_on_the_page(demo, periods, login):
    client = login("liaison_chengxi")
    period = queries.current_period(u("liaison_chengxi"), demo)
    html = client.get("/reporting/").content.decode()
    assert 'data-testid="own-report"' in html and "报领导审核" in html and "每月21日前" in html
    response = client.post(f"/reporting/periods/{period.pk}/prepare/", {"note": "本月台账", "then": "submit"})
    assert response.status_code == 302
    submission = Submission.objects.get(period=period, unit__name=CHENGXI)
    assert submission.status == "pending_approval"
    leader = login("leader_chengxi")
    assert "审核通过并报送" in leader.get("/reporting/").content.decode()
    leader.post(f"/reporting/submissions/{submission.pk}/actions/approve/", {"version": submission.version})
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.submitted_by.username == "leader_chengxi"
    office = login("office")
    html = office.get(f"/reporting/submissions/{submission.pk}/").content.decode()
    assert "一致" in html and submission.digest in html and "接收" in html
    office.post(f"/reporting/submissions/{submission.pk}/actions/accept/", {"version": submission.version})
    assert Submission.objects.get(pk=submission.pk).status == "accepted"


def test_office_sets_period_options_on_the_page(demo, periods, login):
    period = period_of(demo, 12)
    login("office").post(f"/reporting/periods/{period.pk}/settings/", {"version": period.version, "lock_after_due": "on"})
    period.refresh_from_db()
    assert period.lock_after_due and not period.requires_approval
    assert login("liaison_chengxi").post(f"/reporting/periods/{period.pk}/settings/",
                                         {"version": period.version}).status_code == 403


def test_every_act_is_audited(demo, periods, login):
    from qicha.core.models import AuditEvent

    submission = submitted(period_of(demo, 12))
    actions = list(AuditEvent.objects.filter(object_type="reporting.submission", object_id=str(submission.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["", "request_approval", "approve"]
    # The audit page names each act as a report's act (报送), not as the same code on a problem (申请销号).
    page = login("auditor").get("/audit/?username=leader_chengxi").content.decode()
    assert "（审核通过并报送）" in page and "（申请销号）" not in page


# --- roll-up workbook ------------------------------------------------------------------------------------------------

def test_city_rollup_workbook(demo, periods, login):
    problem = register(demo, unit_name=CHENGXI, by="liaison_chengxi", description="城西汇总问题")
    period = period_of(demo, 12)
    submitted(period, "liaison_chengxi")
    submitted(period, "liaison_chengdong")
    client = login("office")
    response = client.post(f"/reporting/periods/{period.pk}/rollup/")
    assert response.status_code == 302
    job_url = response["Location"]
    from qicha.jobs.models import Job

    job = Job.objects.get(pk=int(job_url.rstrip("/").split("/")[-1]))
    assert job.status == "done", job.error if hasattr(job, "error") else job
    download = client.get(f"{job_url}download/")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["汇总", "城东区民政局", CHENGXI]  # tree order
    summary = [[c for c in row] for row in book["汇总"].iter_rows(min_row=5, values_only=True)]
    chengxi_row = next(r for r in summary if r[1] == CHENGXI)
    assert chengxi_row[2] == "已报待接收" and chengxi_row[4] == "按时" and chengxi_row[5] >= 1
    assert next(r for r in summary if r[1] == "南山县民政局")[2] == "未报"
    units = [r for r in summary if r[1] not in (None, "合计")]
    total = next(r for r in summary if r[1] == "合计")
    assert total[2] == f"已报 2 / 应报 {len(units)}"
    assert total[5] == sum(r[5] or 0 for r in units) and total[5] >= 1
    descriptions = [row[4] for row in book[CHENGXI].iter_rows(min_row=4, values_only=True)]
    assert "城西汇总问题" in descriptions
    # 编号 is the 问题编号 as text, the number a user searches the ledger by, not the bare id.
    numbers = {row[4]: row[0] for row in book[CHENGXI].iter_rows(min_row=4, values_only=True)}
    assert numbers["城西汇总问题"] == format_problem_no(problem.pk)


def test_rollup_without_reports_fails_with_a_message(demo, periods):
    from qicha.jobs.services import start_job

    job = start_job(u("office"), "reporting.rollup", {"period": period_of(demo, 12).pk})
    job.refresh_from_db()
    assert job.status == "failed"


# --- reminders ------------------------------------------------------------------------------------------------------

def test_reminders_before_the_due_day_go_to_missing_units_only(demo, periods):
    period = period_of(demo, 5)
    services.update_period(u("office"), period, version=period.version, requires_approval=False, lock_after_due=False)
    period.refresh_from_db()
    with time_machine.travel(at(date(demo.year, 5, 17)), tick=False):
        submitted(period, "liaison_chengdong")
    sent = send_report_reminders(date(demo.year, 5, 18))  # 3 days before the 21st
    reminded = set(Notification.objects.filter(kind="report_reminder").values_list("user__username", flat=True))
    assert "liaison_chengxi" in reminded and "liaison_nanshan" in reminded and "liaison_city" in reminded
    assert "liaison_chengdong" not in reminded and "leader_chengxi" not in reminded and "office" not in reminded
    assert Notification.objects.filter(kind="report_reminder").count() == len(reminded) == 4
    assert sent > 4  # plus, once, the escalations for March and April that nobody reported
    assert send_report_reminders(date(demo.year, 5, 18)) == 0  # a rerun sends nothing new
    assert send_report_reminders(date(demo.year, 5, 19)) == 0  # not a reminder day
    assert send_report_reminders(date(demo.year, 5, 21)) > 0  # the due day itself


def test_overdue_escalates_once_to_liaison_and_leader(demo, periods):
    period = period_of(demo, 5)
    sent = send_report_reminders(date(demo.year, 5, 22))
    escalated = set(Notification.objects.filter(kind="report_overdue", title__startswith=CHENGXI + str(period))
                    .values_list("user__username", flat=True))
    assert escalated == {"liaison_chengxi", "leader_chengxi"}
    assert sent > 0 and send_report_reminders(date(demo.year, 5, 23)) == 0


# --- to-dos -----------------------------------------------------------------------------------------------------------

def report_todos(user) -> list:
    return [card for card in cards_for(Viewer(user)) if card.key.startswith("report_")]


def test_report_todos(demo, periods):
    todos = {t.key: t for t in report_todos(u("liaison_chengxi"))}
    assert todos["report_to_prepare"].count >= 1
    submission = services.prepare_submission(u("liaison_chengxi"), queries.current_period(u("office"), demo))
    services.request_submission_approval(u("liaison_chengxi"), submission, version=submission.version)
    leader = {t.key: t for t in report_todos(u("leader_chengxi"))}
    assert leader["report_to_approve"].count == 1 and leader["report_to_approve"].rows[0].url.endswith(
        f"/reporting/submissions/{submission.pk}/")
    submission = Submission.objects.get(pk=submission.pk)
    services.approve_submission(u("leader_chengxi"), submission, version=submission.version)
    office = {t.key: t for t in report_todos(u("office"))}
    assert office["report_to_accept"].count == 1
    assert "report_to_accept" not in {t.key for t in report_todos(u("liaison_chengxi"))}


def test_the_workbench_lists_the_report_to_do(demo, periods, login):
    home = login("liaison_chengxi").get("/").content.decode()
    assert "待报送的月报" in home and "/reporting/" in home
    assert "待报送的月报" not in login("office").get("/").content.decode()


def test_demo_data_fills_the_matrix(demo):
    from qicha.reporting.demo import load_reporting_demo

    made = load_reporting_demo(DEMO_PASSWORD)
    assert load_reporting_demo(DEMO_PASSWORD) == 0
    assert User.objects.get(username="leader_chengxi").is_demo
    states = {s.status for s in Submission.objects.all()}
    if made:
        assert {"accepted", "returned", "submitted"} <= states
        late = [s for s in Submission.objects.all() if queries.on_time(s) is False]
        assert late


# --- notifications on each workflow step (R-NTF-1) ------------------------------------------------------------------

def inbox(username: str) -> list[Notification]:
    return list(Notification.objects.filter(user__username=username, kind__startswith="report_")
                .exclude(kind__in=("report_reminder", "report_overdue")).order_by("pk"))


def test_each_workflow_step_notifies_the_next_person(demo, periods, django_capture_on_commit_callbacks):
    period = period_of(demo, 12)
    liaison, leader, office = u("liaison_chengxi"), u("leader_chengxi"), u("office")
    submission = services.prepare_submission(liaison, period, "十二月台账")
    link = f"/reporting/submissions/{submission.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
    [to_leader] = inbox("leader_chengxi")
    assert "待您审核" in to_leader.title and to_leader.link == link and not inbox("liaison_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.reject_submission(leader, submission, version=submission.version, reason="说明太简单")
    [rejected] = inbox("liaison_chengxi")
    assert "退回修改" in rejected.title and "说明太简单" in rejected.body and rejected.link == link
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
        submission = services.approve_submission(leader, submission, version=submission.version)
    assert "审核通过" in inbox("liaison_chengxi")[-1].title and not inbox("office")  # approve tells the preparer only
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.return_submission(office, submission, version=submission.version, reason="线索台账缺少核查结论")
    returned = inbox("liaison_chengxi")[-1]
    assert "被局扫黑办退回" in returned.title and "线索台账缺少核查结论" in returned.body and returned.link == link
    assert len(inbox("leader_chengxi")) == 2  # the two requests for approval, not the return
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
        submission = services.approve_submission(leader, submission, version=submission.version)
        services.accept_submission(office, submission, version=submission.version)
    assert "已被局扫黑办接收" in inbox("liaison_chengxi")[-1].title


def test_a_failed_action_notifies_nobody(demo, periods, django_capture_on_commit_callbacks):
    period = period_of(demo, 12)
    submission = bring(period, "pending_approval")
    stale = Submission.objects.get(pk=submission.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_submission(u("leader_chengxi"), submission, version=submission.version)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Conflict):
            services.reject_submission(u("leader_chengxi"), stale, version=stale.version, reason="晚了")
        with pytest.raises(Invalid):
            current = Submission.objects.get(pk=submission.pk)
            services.return_submission(u("office"), current, version=current.version, reason=" ")
    assert callbacks == [] and Notification.objects.count() == before


def test_the_page_shows_the_liaison_as_preparer_and_the_leader_as_approver(demo, periods, login):
    period = period_of(demo, 12)
    submission = submitted(period)  # 城西联络员 sends it for approval, leader_chengxi (陈局长) approves
    liaison, leader = u("liaison_chengxi"), u("leader_chengxi")
    assert submission.prepared_by == liaison and submission.approved_by == leader
    html = login("office").get(f"/reporting/submissions/{submission.pk}/").content.decode()
    assert f'data-testid="preparer">{liaison.display_name}<' in html
    assert f'data-testid="approver">{leader.display_name} ' in html
    card = login("liaison_chengxi").get(f"/reporting/periods/{period.pk}/").content.decode()
    assert f"报送人：<span data-testid=\"own-preparer\">{liaison.display_name}</span>" in card
    assert f"审核人：<span data-testid=\"own-approver\">{leader.display_name}</span>" in card
    assert f"（{leader.display_name}）" not in card


def test_only_the_office_builds_the_city_rollup(demo, periods, login):
    from qicha.core.errors import NotFound
    from qicha.jobs.models import Job
    from qicha.jobs.services import start_job

    period = period_of(demo, 12)
    submitted(period)
    liaison = login("liaison_chengxi")
    assert 'data-testid="rollup"' not in liaison.get(f"/reporting/periods/{period.pk}/").content.decode()
    assert 'data-testid="rollup"' in login("office").get(f"/reporting/periods/{period.pk}/").content.decode()
    assert liaison.post(f"/reporting/periods/{period.pk}/rollup/").status_code == 404
    assert not Job.objects.filter(kind="reporting.rollup").exists()
    with pytest.raises(NotFound):
        services.start_rollup(u("leader_chengxi"), period)
    # Even started directly, the job refuses before reading anything.
    job = start_job(u("liaison_chengxi"), "reporting.rollup", {"period": period.pk})
    job.refresh_from_db()
    assert job.status == "failed" and not job.result_name and job.result["error"] == NotFound.code
    assert start_rollup_done(u("office"), period)


def start_rollup_done(office, period) -> bool:
    job = services.start_rollup(office, period)
    job.refresh_from_db()
    return job.status == "done" and job.result["units"] == 1


def test_wording_of_the_own_card_and_returned_reports(demo, periods, login):
    period = period_of(demo, 12)
    html = login("liaison_chengxi").get("/reporting/").content.decode()
    assert f"本期报送：{queries.current_period(u('liaison_chengxi'), demo)}" in html and "本月报送" not in html
    submission = submitted(period)
    services.return_submission(u("office"), submission, version=submission.version, reason="请补充")
    card = login("liaison_chengxi").get(f"/reporting/periods/{period.pk}/").content.decode()
    own = card.split('data-testid="own-report"')[1].split('data-testid="period-units"')[0]
    assert "退回" in own and "按时" not in own and "逾期" not in own
    cell = queries.cell_for(period, Submission.objects.get(pk=submission.pk), date(demo.year, 12, 1))
    assert (cell.label, cell.on_time) == ("退回", None) and cell.day is not None
    page = login("office").get(f"/reporting/submissions/{submission.pk}/").content.decode()
    status = page.split('data-testid="submission-status"')[1].split("</div>")[0]
    assert "已退回" in status and "按时" not in status


def test_reminder_to_a_returned_unit_says_returned(demo, periods):
    period = period_of(demo, 12)
    submission = submitted(period)
    services.return_submission(u("office"), submission, version=submission.version, reason="请补充")
    send_report_reminders(date(demo.year, 12, 18))  # 3 days before the 21st
    [note] = Notification.objects.filter(kind="report_reminder", user__username="liaison_chengxi",
                                         link=f"/reporting/periods/{period.pk}/")
    assert "已被退回，请修改后重新报送" in note.body and "尚未报送" not in note.body
    other = Notification.objects.get(kind="report_reminder", user__username="liaison_chengdong",
                                     link=f"/reporting/periods/{period.pk}/")
    assert "已被退回" not in other.body
    send_report_reminders(date(demo.year, 12, 22))
    overdue = Notification.objects.get(kind="report_overdue", user__username="liaison_chengxi",
                                       link=f"/reporting/periods/{period.pk}/")
    assert "已被退回，请修改后重新报送" in overdue.body and "尚未报送" not in overdue.body
