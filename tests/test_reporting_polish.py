"""Monthly reporting polish found walking the demo: a month not yet due is not scored in the matrix footer, to-do
notifications are read once their act is done, reasons embed without a doubled full stop, the demo's bell shows only
the latest month, the roll-up's dates and the returned row's time, and the report named for its due month says what
it covers. Dates on a frozen Beijing clock (as in test_reporting.py)."""

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from qicha.core.errors import Conflict
from qicha.jobs.models import Job
from qicha.notify.inbox_queries import unread_count
from qicha.notify.models import Notification
from qicha.notify.services import resolve_notifications
from qicha.reporting import queries, services
from qicha.reporting.demo import load_demo_leaders
from qicha.reporting.models import Submission
from qicha.reporting.notifications import as_sentence
from qicha.reporting.reminders import send_report_reminders

from .conftest import DEMO_PASSWORD
from .problem_helpers import register
from .test_reporting import CHENGXI, at, period_of, submitted, u

NANSHAN = "南山县民政局"


@pytest.fixture
def periods(demo):
    """The campaign's periods and the demo's 城西 unit leader, as in test_reporting.py."""
    load_demo_leaders(DEMO_PASSWORD)
    return services.generate_periods(u("office"), demo)


def no_approval(period):
    services.update_period(u("office"), period, version=period.version, requires_approval=False,
                           lock_after_due=False)
    period.refresh_from_db()
    return period


def footer_cells(html: str, testid: str) -> list[str]:
    """The text of the matrix footer's per-month cells (tags dropped), in column order."""
    cells = re.findall(rf'<td class="text-center" data-testid="{testid}">(.*?)</td>', html, re.S)
    return [re.sub(r"<[^>]+>", " ", c).split() for c in cells]


# --- 1. a month not yet due is not scored -----------------------------------------------------------------------

def test_a_month_not_yet_due_shows_no_rate_in_the_footer(demo, periods, login):
    november, december = no_approval(period_of(demo, 11)), no_approval(period_of(demo, 12))
    with time_machine.travel(at(date(demo.year, 11, 20)), tick=False):
        submitted(november, "liaison_chengxi")
    with time_machine.travel(at(date(demo.year, 11, 26)), tick=False):
        before = queries.matrix(u("office"), demo)
        submitted(december, "liaison_chengxi")  # early: counted in the cell, not in any rate
        grid = queries.matrix(u("office"), demo)
        html = login("office").get("/reporting/").content.decode()
    stats = {s.period.month: s for s in grid.stats}
    assert not stats[12].closed and stats[12].reported == 1
    assert (stats[12].timely_rate, stats[12].complete_rate) == (None, None)
    assert stats[11].closed and stats[11].reported == 1 and stats[11].complete_rate is not None
    # The overall and unit rates are those of the closed months, as before the early report.
    assert (grid.expected, grid.reported, grid.timely) == (before.expected, before.reported, before.timely)
    assert (grid.timely_rate, grid.complete_rate) == (before.timely_rate, before.complete_rate)
    timely, complete = footer_cells(html, "period-timely"), footer_cells(html, "period-complete")
    assert timely[-1] == ["—", "未到期"] and complete[-1] == ["—", "未到期"]  # 12月, due 12-21
    total = demo.participating_units.count()
    assert complete[-2] == [f"{stats[11].complete_rate}%", f"1/{total}"]  # 11月 is scored


# --- 2. to-do notifications are read once their act is done -----------------------------------------------------

def unread(username: str, kind: str, link: str = "") -> list[Notification]:
    rows = Notification.objects.filter(user__username=username, kind=kind, read_at__isnull=True)
    return list(rows.filter(link=link) if link else rows)


def test_approval_requests_are_read_once_approved_and_kept(demo, periods, django_capture_on_commit_callbacks):
    period = period_of(demo, 12)
    liaison, leader, office = u("liaison_chengxi"), u("leader_chengxi"), u("office")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.prepare_submission(liaison, period, "十二月台账")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
    send_report_reminders(date(demo.year, 12, 18))  # 3 days before: the leader is reminded to approve
    assert len(unread("leader_chengxi", "report_approval_requested")) == 1
    assert len(unread("leader_chengxi", "report_reminder")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.approve_submission(leader, submission, version=submission.version)
        services.accept_submission(office, submission, version=submission.version)
    assert unread("leader_chengxi", "report_approval_requested") == []
    assert unread("leader_chengxi", "report_reminder") == []
    kept = Notification.objects.get(user__username="leader_chengxi", kind="report_approval_requested")
    assert "待您审核" in kept.title and kept.read_at is not None  # history stays in the inbox
    # Only 城西's: other units' reminders for the same period (same link) are still to do.
    assert unread("liaison_chengdong", "report_reminder")
    # What the liaison was told afterwards (approved, accepted) is news, not a to-do: still unread.
    assert {n.kind for n in Notification.objects.filter(user=liaison, read_at__isnull=True)} >= {
        "report_approved", "report_accepted"}


def test_a_rejected_request_is_read_for_every_leader(demo, periods, django_capture_on_commit_callbacks):
    from .test_reporting import make_leader

    second = make_leader(u("liaison_chengxi").unit)
    liaison = u("liaison_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.prepare_submission(liaison, period_of(demo, 12), "草稿")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
    assert unread(second.username, "report_approval_requested") and unread("leader_chengxi",
                                                                         "report_approval_requested")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.reject_submission(u("leader_chengxi"), submission, version=submission.version, reason="说明太简单")
    # Sent to both leaders; one acted; neither is asked any more.
    assert unread(second.username, "report_approval_requested") == []
    assert unread("leader_chengxi", "report_approval_requested") == []
    [rejected] = unread("liaison_chengxi", "report_rejected")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_submission_approval(liaison, submission, version=submission.version)  # the liaison acted on the rejection
    assert unread("liaison_chengxi", "report_rejected") == []
    assert len(unread("leader_chengxi", "report_approval_requested")) == 1  # the new request is to do
    assert Notification.objects.filter(pk=rejected.pk).exists()


def test_returned_and_reminder_notices_are_read_once_resubmitted(demo, periods, django_capture_on_commit_callbacks):
    period = no_approval(period_of(demo, 12))
    with time_machine.travel(at(date(demo.year, 12, 10)), tick=False):
        submission = submitted(period, "liaison_chengxi")
        with django_capture_on_commit_callbacks(execute=True):
            services.return_submission(u("office"), submission, version=submission.version, reason="请补充")
    send_report_reminders(date(demo.year, 12, 18))
    assert unread("liaison_chengxi", "report_returned") and unread("liaison_chengxi", "report_reminder")
    with time_machine.travel(at(date(demo.year, 12, 19)), tick=False):
        again = services.prepare_submission(u("liaison_chengxi"), period, "已补充")
        services.submit_report(u("liaison_chengxi"), again, version=again.version)
    assert unread("liaison_chengxi", "report_returned") == []
    assert unread("liaison_chengxi", "report_reminder") == []
    assert unread("liaison_chengdong", "report_reminder")  # still has to send


def test_overdue_notice_is_read_once_the_report_is_in(demo, periods):
    period = no_approval(period_of(demo, 5))
    link = f"/reporting/periods/{period.pk}/"
    send_report_reminders(date(demo.year, 5, 22))
    assert unread("liaison_chengxi", "report_overdue", link) and unread("leader_chengxi", "report_overdue", link)
    with time_machine.travel(at(date(demo.year, 5, 23)), tick=False):
        submitted(period, "liaison_chengxi")
    assert unread("liaison_chengxi", "report_overdue", link) == []
    assert unread("leader_chengxi", "report_overdue", link) == []
    assert unread("liaison_chengxi", "report_overdue")  # March and April are still not reported
    assert unread("liaison_chengdong", "report_overdue", link)


def test_a_failed_action_leaves_the_to_do_unread(demo, periods, django_capture_on_commit_callbacks):
    liaison = u("liaison_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.prepare_submission(liaison, period_of(demo, 12), "草稿")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
    stale = Submission.objects.get(pk=submission.pk)
    services.approve_submission(u("leader_chengxi"), submission, version=submission.version)
    Notification.objects.filter(kind="report_approval_requested").update(read_at=None)
    with pytest.raises(Conflict):
        services.reject_submission(u("leader_chengxi"), stale, version=stale.version, reason="晚了")
    assert unread("leader_chengxi", "report_approval_requested")


def test_resolving_needs_a_link_or_a_key():
    with pytest.raises(ValueError):
        resolve_notifications(kind="report_reminder")


# --- 3. reasons embed without a doubled full stop ---------------------------------------------------------------

REASON = "问题整改台账未写明整改进展。"


def test_return_and_reject_notices_do_not_double_the_full_stop(demo, periods, django_capture_on_commit_callbacks):
    liaison, leader = u("liaison_chengxi"), u("leader_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.prepare_submission(liaison, period_of(demo, 12), "草稿")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
        submission = services.reject_submission(leader, submission, version=submission.version, reason="说明太简单。 ")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
        submission = services.approve_submission(leader, submission, version=submission.version)
        services.return_submission(u("office"), submission, version=submission.version, reason=REASON)
    [returned] = Notification.objects.filter(user=liaison, kind="report_returned")
    assert returned.body == "退回理由：问题整改台账未写明整改进展。请修改后重新报送。"
    [rejected] = Notification.objects.filter(user=liaison, kind="report_rejected")
    assert "理由：说明太简单。请修改" in rejected.body and "。。" not in rejected.body
    # The reason itself is kept as typed (the page and the ledger show it whole).
    assert Submission.objects.get(pk=submission.pk).return_reason == REASON


def test_a_reason_that_already_asks_to_resubmit_is_not_followed_by_the_same_request(
        demo, periods, django_capture_on_commit_callbacks):
    liaison, leader = u("liaison_chengxi"), u("leader_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.prepare_submission(liaison, period_of(demo, 12), "草稿")
        submission = services.request_submission_approval(liaison, submission, version=submission.version)
        submission = services.approve_submission(leader, submission, version=submission.version)
        services.return_submission(u("office"), submission, version=submission.version, reason="线索台账缺核查结论，请补充后重新报送。")
    [returned] = Notification.objects.filter(user=liaison, kind="report_returned")
    assert returned.body == "退回理由：线索台账缺核查结论，请补充后重新报送。"
    assert returned.title == f"城西区民政局{demo.year}年12月报被局扫黑办退回"


@pytest.mark.parametrize(("reason", "sentence"), [
    ("请补充", "请补充。"), ("请补充。", "请补充。"), ("请补充；", "请补充。"), ("请补充.", "请补充。"),
    ("是否已核实？", "是否已核实？"), ("请补充！", "请补充！"),
])
def test_reasons_end_in_one_mark(reason, sentence):
    assert as_sentence(reason) == sentence


# --- 4. the demo's bell ---------------------------------------------------------------------------------------

def test_demo_marks_earlier_months_notices_read(demo, django_capture_on_commit_callbacks):
    from qicha.reporting.demo import load_reporting_demo

    with (time_machine.travel(at(date(demo.year, 11, 26)), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        assert load_reporting_demo(DEMO_PASSWORD)
    # Closed by 11-26: 3月 … 11月; 城西's report was accepted every month.
    accepted = Notification.objects.filter(user__username="liaison_chengxi", kind="report_accepted")
    assert accepted.count() == 9
    assert unread_count(u("liaison_chengxi")) == 1  # the bell shows the latest month only
    [latest] = accepted.filter(read_at__isnull=True)
    assert Submission.objects.get(pk=int(latest.link.strip("/").split("/")[-1])).period.month == 11
    [returned] = unread("liaison_nanshan", "report_returned")  # the latest month's return is still news
    assert Notification.objects.filter(user__username="liaison_nanshan", read_at__isnull=True).count() == 1
    assert returned.link.startswith("/reporting/submissions/")


# --- 5. the roll-up workbook ------------------------------------------------------------------------------------

def rollup(login, period):
    client = login("office")
    response = client.post(f"/reporting/periods/{period.pk}/rollup/")
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "done", job.result
    download = client.get(f"{response['Location']}download/")
    content = b"".join(download.streaming_content) if download.streaming else download.content
    return load_workbook(io.BytesIO(content))


def test_rollup_dates_are_date_cells_and_a_returned_row_keeps_its_time(demo, periods, login):
    period = no_approval(period_of(demo, 11))
    with time_machine.travel(at(date(demo.year, 11, 10)), tick=False):
        problem = register(demo, unit_name=CHENGXI, by="liaison_chengxi", description="城西汇总问题", days=30)
    with time_machine.travel(at(date(demo.year, 11, 17), 15), tick=False):
        submitted(period, "liaison_chengxi")
        returned = submitted(period, "liaison_nanshan")
        services.return_submission(u("office"), returned, version=returned.version, reason="请补充")
    with time_machine.travel(at(date(demo.year, 11, 26)), tick=False):
        book = rollup(login, period)
    sheet = book[CHENGXI]
    header = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[header.index("问题描述")].value == "城西汇总问题")
    deadline = row[header.index("整改时限")]
    assert isinstance(deadline.value, datetime) and deadline.value.date() == problem.deadline
    assert deadline.number_format == "yyyy-mm-dd"  # as core.excel_export writes a date in every ledger
    summary = {r[1].value: r for r in book["汇总"].iter_rows(min_row=5) if r[1].value}
    nanshan = summary[NANSHAN]
    assert nanshan[2].value == "退回"
    assert nanshan[3].value == datetime(demo.year, 11, 17, 15, 0) and nanshan[3].number_format == "yyyy-mm-dd hh:mm"
    assert nanshan[4].value in (None, "")  # returned: neither on time nor late, as in the matrix
    assert summary["城东区民政局"][3].value is None  # never sent


# --- 6. the report named for its due month says what it covers ---------------------------------------------------

SCHEDULE = "12月21日截止，统计11月21日至12月20日"


def test_the_workbench_and_reporting_page_name_the_report_unambiguously(demo, periods, login):
    december = period_of(demo, 12)
    assert (december.report_name, december.schedule) == (f"{demo.year}年12月报", SCHEDULE)
    with time_machine.travel(at(date(demo.year, 11, 26)), tick=False):
        home = login("liaison_chengxi").get("/").content.decode()
        page = login("liaison_chengxi").get("/reporting/").content.decode()
    card = home.split('data-testid="todo-report_to_prepare"')[1].split('class="col-md-6')[0]
    assert "待报送的月报" in card and "本月待报送" not in card
    assert f"{demo.year}年12月报" in card and SCHEDULE in card
    own = page.split('data-testid="own-period"')[1].split("</h3>")[0]
    assert f"本期报送：{demo.year}年12月报（{SCHEDULE}）" in own
    assert f"如{demo.year}年12月报：{SCHEDULE}" in page  # the rule above the matrix, same words


def test_a_january_report_names_the_previous_year(demo, periods):
    january = services.open_period(u("office"), demo, demo.year + 1, 1)
    assert january.schedule == f"1月21日截止，统计{demo.year}年12月21日至1月20日"
