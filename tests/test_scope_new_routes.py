"""Data scope on the newest routes — jobs, ledger import/export, monthly reporting, summaries, notifications — asked
by the wrong people: another district's liaison (liaison_chengdong) and unit leader (leader_chengdong), a handler, the
bureau leader or the office where a thing is personal, an auditor, a disabled account and an anonymous client.

tests/test_authorization_matrix.py walks every route with a synthetic record; this module uses real records made
through the services (a real export, a real import, a submission returned and resubmitted, real notifications) and
also crafts what a route never sends (job params naming another unit, a replayed confirm). Each test says which guard
it proves: removing that guard makes it fail.
"""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from qicha.clues.services import assign_clue, register_clue
from qicha.clues.services.cases import register_case
from qicha.core.errors import NotFound
from qicha.core.workbench import Viewer, cards_for
from qicha.jobs.models import Job
from qicha.jobs.registry import result_dir
from qicha.jobs.services import run_job, start_job
from qicha.notify.models import Notification
from qicha.orgs.demo import add_demo_accounts
from qicha.orgs.models import Unit, User
from qicha.problems.models import Problem
from qicha.problems.reminders import send_overdue_digests
from qicha.reporting import queries as reporting_queries
from qicha.reporting import services as reporting_services
from qicha.reporting.demo import DEMO_LEADERS
from qicha.reporting.models import ReturnedVersion, Submission
from qicha.reporting.services.periods import period_dates
from qicha.reporting.workflow import TRANSITIONS
from qicha.supervision.services.accountability import record_accountability

from .conftest import DEMO_PASSWORD
from .problem_helpers import register
from .test_problem_import import made, workbook_bytes

SECRET = "城西机密：仅城西可见的问题"
RETURN_SECRET = "城西退回理由：第3个问题的整改措施不实"
CHENGXI = "城西区民政局"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRONG_UNIT = ["liaison_chengdong", "leader_chengdong"]


def u(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def leaders(demo):
    """Unit leaders of 城西 (the demo's) and of 城东, created through the services as the demo does."""
    add_demo_accounts(DEMO_PASSWORD, "unit_leader", [*DEMO_LEADERS, ("leader_chengdong", "城东领导", "城东区民政局")])


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="ignore")


def cells(data: bytes) -> list[str]:
    """Every non-empty cell below the ledger's title, unit and header rows, as text."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [str(v) for row in sheet.iter_rows(min_row=5, values_only=True) for v in row if v is not None]


def api_export(client, body: dict) -> list[str] | None:
    """Start an export by API and read its file back; None when the export is refused."""
    response = client.post("/api/v1/exports", body, content_type="application/json")
    if response.status_code in (403, 404):
        return None
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/jobs/{response.json()['id']}").json()
    assert job["status"] == "done", job
    return cells(b"".join(client.get(job["result_url"]).streaming_content))


# ---------------------------------------------------------------------------------------------------------------
# Jobs: a result belongs to its owner alone


def test_an_export_job_and_its_file_are_the_owners_alone(login, api, demo, leaders, client):
    """Guard: jobs.queries.own_jobs (Job.owner == the asker) behind the job page, download, list and /api/v1/jobs."""
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description=SECRET)
    owner = api("liaison_chengxi")
    started = owner.post("/api/v1/exports", {"ledger": "problems"}, content_type="application/json").json()
    job = Job.objects.get(pk=started["id"])
    assert job.status == "done" and any(SECRET in c for c in cells(
        b"".join(owner.get(f"/api/v1/jobs/{job.pk}/result").streaming_content)))
    urls = [f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/"]
    api_urls = [f"/api/v1/jobs/{job.pk}", f"/api/v1/jobs/{job.pk}/result"]
    for username in [*WRONG_UNIT, "handler", "office", "leader", "auditor"]:
        page = login(username)
        for url in urls:
            response = page.get(url)
            assert response.status_code == 404 and SECRET not in body_of(response), (username, url)
        assert f"/jobs/{job.pk}/" not in page.get("/jobs/").content.decode(), username
        for url in api_urls:
            response = api(username).get(url)
            assert response.status_code == 404 and SECRET not in body_of(response), (username, url)
    for url in urls:
        assert client.get(url)["Location"].startswith("/login/")
    for url in api_urls:
        assert client.get(url).status_code == 401


# ---------------------------------------------------------------------------------------------------------------
# Exports: filters naming a unit outside scope select nothing of it


@pytest.fixture
def chengxi_records(demo, unit):
    """One 城西 record in each unit-filtered ledger, each carrying the secret."""
    office, chengxi = u("office"), unit(CHENGXI)
    today = timezone.localdate()
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description=SECRET)
    clue = register_clue(office, campaign=demo, content=SECRET, source="public_report", received_date=today,
                         domain="subsistence", region="城西区东关街道", real_name=True,
                         reporter={"name": "城西举报人", "phone": "13987654321"},
                         subjects=[{"kind": "person", "name": "赵大海"}])
    assign_clue(office, clue, version=clue.version, unit=chengxi)
    register_case(office, demo, chengxi, name="城西督办案件", source="central_group", received_date=today,
                  summary=SECRET)
    record_accountability(office, demo, chengxi, person="张某", failing="inaction", form="talk",
                          decision_no="民扫办〔2026〕9号", decided_on=today, facts=SECRET)
    return chengxi


@pytest.mark.parametrize("ledger", ["problems", "clues", "cases", "accountability"])
def test_export_filters_naming_another_unit_give_none_of_its_rows(api, leaders, chengxi_records, ledger):
    """Guard: each ledger's scoped base query (visible_problems / visible_clues / visible_cases /
    visible_accountabilities via core.scope.scope_filter) under the list filters the API passes on as given."""
    root = Unit.objects.get_root_nodes().first()
    crafted = [{"unit": chengxi_records.pk}, {"unit": root.pk}, {"q": "城西"}]
    # The same filters select the secret for someone whose scope holds 城西: the filters do name it.
    assert any(SECRET in c for c in api_export(api("office"), {"ledger": ledger, "unit": chengxi_records.pk}))
    for username in [*WRONG_UNIT, "handler"]:
        client = api(username)
        for filters in crafted:
            rows = api_export(client, {"ledger": ledger, **filters})
            if rows is None:
                continue  # no view permission on that ledger: refused before any job
            assert not [c for c in rows if SECRET in c or "城西" in c], (username, filters)
    assert not Job.objects.filter(owner=u("handler"), kind__in=["cases.export", "accountability.export"]).exists()


def test_crafted_job_params_reach_nothing_outside_scope(api, demo, leaders, chengxi_records):
    """Jobs started directly with params no page sends still run as their owner, through the same checks.

    Guards: problems.exporting.export_rows → queries.problem_list (scope); clues.exporting.check_export re-checked
    in export_clues (clue.reveal); the summary.edit checks of documents.services._require and
    documents.queries.draft_of (two layers: the job fails while either holds);
    reporting.services.periods.check_rollup in build_rollup (report.review)."""
    chengdong = u("liaison_chengdong")
    job = start_job(chengdong, "problems.export", {"ledger": "problems", "filters": {"unit": str(chengxi_records.pk)}})
    job.refresh_from_db()
    data = (result_dir(job.pk) / job.result_name).read_bytes()
    assert job.status == "done" and job.result["rows"] == 0 and cells(data) == []

    reveal = start_job(u("liaison_chengxi"), "clues.export", {"ledger": "clues", "filters": {},
                                                             "with_reporter": True, "reason": "越权"})
    reveal.refresh_from_db()
    assert reveal.status == "failed" and reveal.result["error"] == NotFound.code and not reveal.result_name

    summary = start_job(u("leader"), "documents.summary", {"campaign": demo.pk, "kind": "stage"})
    summary.refresh_from_db()
    assert summary.status == "failed" and summary.result["error"] == NotFound.code and not summary.result_name

    period = reporting_services.open_period(u("office"), demo, demo.year, 12, requires_approval=False)
    rollup = start_job(u("leader"), "reporting.rollup", {"period": period.pk})
    rollup.refresh_from_db()
    assert rollup.status == "failed" and rollup.result["error"] == NotFound.code and not rollup.result_name
    for job in (reveal, summary, rollup):
        assert not result_dir(job.pk).exists() or not any(result_dir(job.pk).iterdir())


# ---------------------------------------------------------------------------------------------------------------
# Import: preview and confirm are the uploader's; a confirm cannot be replayed


def test_nobody_else_sees_or_confirms_an_import_and_a_confirm_is_not_replayed(login, api, demo, leaders):
    """Guards: jobs.queries.own_job in problems.importing.preview_job (page and /imports/{id}/confirm) and
    core.excel_import.load_stashed (the stash is its uploader's, and is discarded once confirmed)."""
    row = list(made.GOOD)
    row[made.TEMPLATE_HEADERS.index("问题描述*")] = SECRET
    upload = SimpleUploadedFile("城西台账.xlsx", workbook_bytes([row]), content_type=XLSX)
    owner = api("liaison_chengxi")
    started = owner.post("/api/v1/imports", {"ledger": "problems", "file": upload})
    assert started.status_code == 202, started.content
    preview = Job.objects.get(pk=started.json()["id"])
    assert preview.status == "done" and preview.result["can_confirm"], preview.result

    for username in ["liaison_chengdong", "office"]:  # both may import problems, into their own scope
        page = login(username)
        assert page.get(f"/problems/import/{preview.pk}/").status_code == 404
        assert page.post(f"/problems/import/{preview.pk}/", {"action": "confirm"}).status_code == 404
        response = api(username).post(f"/api/v1/imports/{preview.pk}/confirm")
        assert response.status_code == 404 and SECRET not in body_of(response)
        assert SECRET not in body_of(api(username).get(f"/api/v1/jobs/{preview.pk}"))
    # The office's own preview job cannot carry 城西's upload either: the stash names its uploader.
    stolen = start_job(u("office"), "problems.import_confirm", {**preview.params, "preview_job": preview.pk})
    stolen.refresh_from_db()
    assert stolen.status == "failed" and not Problem.objects.filter(description=SECRET).exists()

    confirmed = owner.post(f"/api/v1/imports/{preview.pk}/confirm")
    assert confirmed.status_code == 202 and Problem.objects.filter(description=SECRET).count() == 1
    confirm_job = confirmed.json()["job"]
    # Replayed by its owner: refused (the upload is gone, or the preview is already confirmed), nothing written twice.
    assert owner.post(f"/api/v1/imports/{preview.pk}/confirm").status_code in (409, 422)
    assert api("liaison_chengdong").post(f"/api/v1/imports/{preview.pk}/confirm").status_code == 404
    assert api("liaison_chengdong").post(f"/api/v1/imports/{confirm_job}/confirm").status_code == 404
    replay = login("liaison_chengxi").post(f"/problems/import/{preview.pk}/", {"action": "confirm"})
    assert replay.status_code in (200, 409) and "已导入" in replay.content.decode()
    assert Problem.objects.filter(description=SECRET).count() == 1


# ---------------------------------------------------------------------------------------------------------------
# Monthly reporting


def month_containing(campaign, day) -> tuple[int, int]:
    """The (year, month) of the reporting period whose span (上月21日 to its due day) contains `day`."""
    for year, month in ((day.year, day.month), (day.year + day.month // 12, day.month % 12 + 1)):
        start, _, due = period_dates(year, month, campaign.report_due_day)
        if start <= day <= due:
            return year, month
    raise AssertionError(day)


@pytest.fixture
def returned_report(demo, leaders):
    """城西's report (its snapshot holds the secret problem), returned by the office with a reason, then resubmitted."""
    office, liaison = u("office"), u("liaison_chengxi")
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description=SECRET)
    year, month = month_containing(demo, timezone.localdate())
    period = reporting_services.open_period(office, demo, year, month, requires_approval=False)
    submission = reporting_services.prepare_submission(liaison, period, "城西本月报送")
    submission = reporting_services.submit_report(liaison, submission, version=submission.version)
    submission = reporting_services.return_submission(office, submission, version=submission.version,
                                                      reason=RETURN_SECRET)
    submission = reporting_services.prepare_submission(liaison, period, "城西重新报送")
    return reporting_services.submit_report(liaison, submission, version=submission.version)


def test_another_units_submission_its_returned_versions_and_actions_are_out_of_reach(login, api, returned_report):
    """Guard: reporting.queries.get_submission (visible_submissions: scope_filter on report.view) before every
    page, API read and action; the 城西 leader (positive control) does see the frozen secret and the reason."""
    submission = returned_report
    seen = api("leader_chengxi").get(f"/api/v1/reporting/submissions/{submission.pk}").json()
    assert seen["returned_versions"][0]["reason"] == RETURN_SECRET and SECRET in str(seen["snapshot"])
    for username in [*WRONG_UNIT, "handler", "auditor"]:
        page, client = login(username), api(username)
        response = page.get(f"/reporting/submissions/{submission.pk}/")
        assert response.status_code in (403, 404) and SECRET not in body_of(response), username
        response = client.get(f"/api/v1/reporting/submissions/{submission.pk}")
        assert response.status_code == 404 and RETURN_SECRET not in body_of(response), username
        for transition in TRANSITIONS:
            form = {"version": submission.version, "reason": "越权"}
            response = page.post(f"/reporting/submissions/{submission.pk}/actions/{transition.action}/", form)
            assert response.status_code in (403, 404), (username, transition.action)
            response = client.post(f"/api/v1/reporting/submissions/{submission.pk}/actions/{transition.action}",
                                   form, content_type="application/json")
            assert response.status_code == 404, (username, transition.action)
        rows = client.get(f"/api/v1/reporting/periods/{submission.period_id}/submissions")
        assert CHENGXI not in body_of(rows) and RETURN_SECRET not in body_of(rows)
    after = Submission.objects.get(pk=submission.pk)
    assert (after.status, after.version) == (submission.status, submission.version)
    assert ReturnedVersion.objects.filter(submission=submission).count() == 1


def test_rates_and_counts_cover_only_the_viewers_units(login, api, demo, returned_report):
    """Guard: reporting.queries.expected_units (units_in_scope on report.view): the matrix rows, the per-month
    figures and the period page's 已报送 / 按时 count only the viewer's units."""
    period = returned_report.period
    office = reporting_queries.matrix(u("office"), demo)
    stats = next(s for s in office.stats if s.period == period)
    assert stats.reported == 1 and stats.expected == demo.participating_units.count()  # 城西 is counted here
    for username in WRONG_UNIT:
        grid = reporting_queries.matrix(u(username), demo)
        assert [row.unit.name for row in grid.rows] == ["城东区民政局"], username
        stats = next(s for s in grid.stats if s.period == period)
        assert (stats.expected, stats.reported, stats.timely) == (1, 0, 0), username
        html = login(username).get(f"/reporting/periods/{period.pk}/").content.decode()
        counts = re.search(r'data-testid="period-counts">([^<]*)<', html).group(1)
        assert counts == "0 / 0（应报 1）", (username, counts)
        assert CHENGXI not in login(username).get("/reporting/").content.decode()


def test_approval_to_dos_and_the_city_rollup_stay_with_their_owners(login, api, demo, leaders):
    """Guards: the report.approve scope_filter in reporting.queries.waiting_for and the workflow's can_act_on
    (a leader approves their own unit's report only); reporting.services.periods.check_rollup (the office's alone,
    even for the bureau leader who sees every unit)."""
    liaison = u("liaison_chengxi")
    year, month = month_containing(demo, timezone.localdate() + timedelta(days=40))
    period = reporting_services.open_period(u("office"), demo, year, month, requires_approval=True)
    submission = reporting_services.prepare_submission(liaison, period, "城西待审")
    submission = reporting_services.request_submission_approval(liaison, submission, version=submission.version)

    def approvals(username):
        todo = next(t for t in cards_for(Viewer(u(username))) if t.key == "report_to_approve")
        return todo.count, [row.url for row in todo.rows]

    assert approvals("leader_chengxi") == (1, [f"/reporting/submissions/{submission.pk}/"])
    assert approvals("leader_chengdong") == (0, [])
    assert CHENGXI not in login("leader_chengdong").get("/").content.decode()
    response = api("leader_chengdong").post(f"/api/v1/reporting/submissions/{submission.pk}/actions/approve",
                                            {"version": submission.version}, content_type="application/json")
    assert response.status_code == 404 and Submission.objects.get(pk=submission.pk).status == "pending_approval"

    for username, status in [("leader", 404), ("leader_chengdong", 404), ("liaison_chengdong", 404), ("handler", 403)]:
        assert login(username).post(f"/reporting/periods/{period.pk}/rollup/").status_code == status, username
    assert not Job.objects.filter(kind="reporting.rollup").exists()


# ---------------------------------------------------------------------------------------------------------------
# Summaries: the office's alone


def test_summaries_and_their_documents_are_the_offices(login, api, demo, leaders):
    """Guards: permission_required(summary.edit) on every documents page, documents.services._require, and
    jobs.queries.own_jobs for the generated .docx (the narrative may name any unit)."""
    from docx import Document

    from qicha.documents import services as document_services

    office = u("office")
    document_services.save_draft(office, demo, "stage", version=0, title="阶段性总结", issuer="局扫黑办",
                                 issued_on=timezone.localdate(), sections=[{"heading": "一、情况", "text": SECRET}])
    job = document_services.start_generation(office, demo, "stage")
    job.refresh_from_db()
    text = "\n".join(p.text for p in Document(str(result_dir(job.pk) / job.result_name)).paragraphs)
    assert job.status == "done" and SECRET in text
    for username in [*WRONG_UNIT, "leader", "handler", "auditor"]:
        page = login(username)
        for url in ["/documents/", "/documents/stage/", "/documents/final/", "/documents/stage/?defaults=1"]:
            response = page.get(url)
            assert response.status_code == 403 and SECRET not in body_of(response), (username, url)
        assert page.post("/documents/stage/generate/").status_code == 403
        assert page.post("/documents/stage/", {"title": "越权", "version": "1"}).status_code == 403
        assert page.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert api(username).get(f"/api/v1/jobs/{job.pk}/result").status_code == 404
    assert Job.objects.filter(kind="documents.summary").count() == 1
    assert SECRET in "".join(s["text"] for s in document_services.current_content(office, demo, "stage").sections)


# ---------------------------------------------------------------------------------------------------------------
# Notifications: personal, and their links lead only where the reader may go


def test_real_notifications_are_personal_and_their_links_keep_scope(login, demo, returned_report,
                                                                    django_capture_on_commit_callbacks):
    """Guards: notify.services._own (Notification.user == the reader) behind open / read; read-all touches only
    the reader's; each link's target applies its own scope (problems.queries / reporting.queries.get_submission)."""
    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description=SECRET + "（逾期）", days=-3,
             person="liaison_chengxi")
    with django_capture_on_commit_callbacks(execute=True):
        current = Submission.objects.get(pk=returned_report.pk)
        reporting_services.return_submission(u("office"), current, version=current.version, reason=RETURN_SECRET)
    send_overdue_digests(timezone.localdate())
    inbox = list(Notification.objects.filter(user=u("liaison_chengxi")))
    assert {n.kind for n in inbox} >= {"report_returned", "overdue_digest"}
    links = {n.link for n in inbox} | {i["link"] for n in inbox for i in n.items}
    assert f"/reporting/submissions/{returned_report.pk}/" in links
    assert any(re.fullmatch(r"/problems/\d+/", link) for link in links)

    owner = login("liaison_chengxi")
    for link in links:
        assert owner.get(link).status_code == 200, link
    for username in ["liaison_chengdong", "leader_chengdong"]:
        other = login(username)
        for notification in inbox:
            for url in (f"/notifications/{notification.pk}/open/", f"/notifications/{notification.pk}/read/"):
                assert other.post(url, {"item": "0"}).status_code == 404, (username, url)
        other.post("/notifications/read-all/")
        assert RETURN_SECRET not in other.get("/notifications/").content.decode()
        for link in links:
            response = other.get(link)
            if re.fullmatch(r"/(problems|reporting/submissions)/\d+/", link.split("?")[0]):
                assert response.status_code == 404, (username, link)
            assert SECRET not in body_of(response) and RETURN_SECRET not in body_of(response), (username, link)
    assert Notification.objects.filter(user=u("liaison_chengxi"), read_at__isnull=True).count() == len(inbox)


# ---------------------------------------------------------------------------------------------------------------
# A disabled account and an anonymous client


def test_a_disabled_account_reaches_nothing_it_had(login, api, demo, leaders):
    """Guards: QichaModelBackend/ModelBackend.get_user (an open session of a disabled user is anonymous),
    orgs.services.accounts.user_for_token (is_active), core.scope._roles_granting (a queued job of a disabled
    owner runs with no scope at all)."""
    from qicha.orgs.services.users import set_user_active

    register(demo, unit_name=CHENGXI, by="liaison_chengxi", description=SECRET)
    page, client = login("liaison_chengxi"), api("liaison_chengxi")
    done = client.post("/api/v1/exports", {"ledger": "problems"}, content_type="application/json").json()["id"]
    HUEY.immediate = False
    try:
        queued = start_job(u("liaison_chengxi"), "problems.export", {"ledger": "problems", "filters": {}})
    finally:
        HUEY.immediate = True
    liaison = u("liaison_chengxi")
    set_user_active(u("sysadmin"), liaison, active=False, version=liaison.version)

    for url in [f"/jobs/{done}/", f"/jobs/{done}/download/", "/notifications/", "/reporting/", "/problems/import/"]:
        response = page.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    for url in [f"/api/v1/jobs/{done}", f"/api/v1/jobs/{done}/result", "/api/v1/reporting/periods"]:
        assert client.get(url).status_code == 401, url
    assert client.post("/api/v1/exports", {"ledger": "problems"}, content_type="application/json").status_code == 401
    run_job(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "failed" and not queued.result_name


def app_routes():
    """The page and API routes of the apps under test, from the URL configuration (new ones are picked up)."""
    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    wanted = re.compile(r"^(jobs/|reporting/|documents/|notifications/|problems/import|"
                        r"api/v1/(jobs|imports|exports|reporting)|$)")
    return sorted({route for route in walk(get_resolver().url_patterns) if wanted.match(route)})


def test_anonymous_clients_are_sent_to_sign_in(client, db):
    """Guards: login_required / permission_required on every page of these apps, and the API's AUTH."""
    values = {"pk": 1, "job_id": 1, "import_id": 1, "period_id": 1, "submission_id": 1, "action": "accept",
              "kind": "stage", "ledger": "problems", "briefing_id": 1,
              "problem_id": 1, "clue_id": 1, "unit_id": 1, "name": "to_accept"}
    routes = app_routes()
    assert any(r.startswith("api/v1/exports") for r in routes) and any(r.startswith("reporting/") for r in routes)
    for route in routes:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if url.startswith("/api/"):
                assert response.status_code in (401, 405), (method, url, response.status_code)
            else:
                assert response.status_code in (302, 405), (method, url, response.status_code)
                if response.status_code == 302:
                    assert response["Location"].startswith("/login/"), (method, url)
    assert not Job.objects.exists() and not Submission.objects.exists()


def test_an_anonymous_upload_or_export_starts_nothing(db):
    """Guard: the API's AUTH on POST /imports and /exports (no job is created for nobody)."""
    client = Client()
    upload = SimpleUploadedFile("x.xlsx", workbook_bytes([made.GOOD]), content_type=XLSX)
    assert client.post("/api/v1/imports", {"ledger": "problems", "file": upload}).status_code == 401
    assert client.post("/api/v1/exports", {"ledger": "problems"}, content_type="application/json").status_code == 401
    assert not Job.objects.exists()
