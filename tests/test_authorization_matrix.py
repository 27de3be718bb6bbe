"""Every page and API route, generated from the URL configuration, asked by users of another unit for 城西's records.

A route with a record parameter must answer 404 (or 403 for a missing permission, or send to sign-in) and never
show the record; a list route must not contain it. A new route with a parameter this test does not know fails
here until its record is added to FOREIGN below, so new routes are covered automatically.
"""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from qicha.clues.models import Case, Clue
from qicha.documents.models import UnitSummary
from qicha.problems.models import Problem
from qicha.supervision.models import Accountability, Inspection, Letter

from .problem_helpers import add_evidence, register

# inspector_fa (built-in 督导员) is on an inspection of 城东 that is under way: its scope opens on 城东, never 城西.
OTHER_UNIT_USERS = ["liaison_chengdong", "handler", "liaison_city", "sysadmin", "secadmin", "auditor", "inspector_fa"]
SECRET = "城西机密问题：仅城西可见"
# Bodies that pass every route's schema, so the answer is about the record, not about malformed input.
BODY = {"text": "越权", "percent": 10, "reason": "越权", "checks": {}, "opinion": "越权", "version": 1, "entries": [],
        "measures": "越权", "description": "越权", "deadline": "2030-01-01", "conclusion": "越权", "decision": "link",
        "checked_on": "2030-01-01", "checked_by": "越权", "method": "越权", "result": "fulfilled", "findings": "越权", "other": 1}
FORM = {"text": "越权", "percent": "10", "reason": "越权", "opinion": "越权", "version": "1", "statement": "越权"}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes():
    found = sorted(set(walk(get_resolver().url_patterns)))
    return [r for r in found if not r.startswith("static/")]


def _inspector_on_duty_elsewhere(demo, unit):
    """The demo 督导员, inspector_fa on a 专项督查 of 城东 that has started."""
    from django.utils import timezone

    from qicha.orgs.models import User
    from qicha.supervision.demo_inspectors import load_demo_inspectors
    from qicha.supervision.services import inspections as inspection_services

    from .conftest import DEMO_PASSWORD

    load_demo_inspectors(DEMO_PASSWORD)
    office, today = User.objects.get(username="office"), timezone.localdate()
    inspection = inspection_services.plan_inspection(
        office, demo, kind="special", title="城东专项督查", starts_on=today, ends_on=today,
        unit_ids=[unit("城东区民政局").pk], inspector_ids=[User.objects.get(username="inspector_fa").pk])
    inspection_services.start_inspection(office, inspection, version=inspection.version)


@pytest.fixture
def foreign(demo, unit):
    """Ids of 城西's records, keyed by route parameter name (and the route's first segment where it matters)."""
    _inspector_on_duty_elsewhere(demo, unit)
    problem = register(demo, unit_name="城西区民政局", by="liaison_chengxi", description=SECRET)
    attachment = add_evidence(problem, by="liaison_chengxi").attachments.get()
    chengxi = unit("城西区民政局")
    case = _foreign_case(demo, chengxi)
    case_attachment = case.progress_entries.get().attachments.get()
    clue_routes = _foreign_clue_routes(demo, chengxi)
    return {
        ("problems", "pk"): problem.pk, ("problems", "problem_id"): problem.pk,
        # The forms a clerk prints (documents/paper/…): 城西's problem, clue and the 督办函 to 城西.
        ("documents", "problem_id"): problem.pk, ("documents", "clue_id"): clue_routes[("clues", "pk")],
        ("documents", "unit_id"): chengxi.pk,
        ("problems", "attachment_id"): attachment.pk, ("api", "problem_id"): problem.pk,
        ("campaigns", "unit_id"): chengxi.pk, ("api", "campaign_id"): demo.pk, ("campaigns", "pk"): demo.pk,
        ("campaigns", "ordinal"): 1, ("api", "ordinal"): 1, ("problems", "action"): "sign_off", ("api", "action"): "sign_off",
        ("admin", "pk"): None, ("help", "slug"): "office",  # the manual holds no unit data
        ("cases", "pk"): case.pk, ("cases", "action"): "close", ("cases", "attachment_id"): case_attachment.pk,
        ("api", "case_id"): case.pk,
        **clue_routes,
        **_foreign_job_routes(),
        **_foreign_notification_routes(),
        **_foreign_letter_routes(demo, chengxi),
        **_foreign_inspection_routes(demo, chengxi),
        **_foreign_documents_routes(),
        **_foreign_reporting_routes(demo),
        **_foreign_export_routes(),
        **_foreign_problem_import_routes(demo),
        **_foreign_ledger_routes(chengxi),
        **_foreign_vetting_routes(chengxi),
        **_foreign_screening_routes(chengxi),
    }


def _foreign_vetting_routes(chengxi) -> dict:
    """城西's 村“两委” 联审 round (named for the secret) with a candidate, its departments and a problem member."""
    from django.utils import timezone

    from qicha.orgs.models import User
    from qicha.vetting import services as vetting

    from .test_vetting_rounds import HEADER, department_accounts, id_number, xlsx

    accounts, office = department_accounts(), User.objects.get(username="office")
    round_ = vetting.rounds.open_round(office, election=SECRET, region=chengxi, deadline=timezone.localdate(),
                                       departments=[("区公安分局", [accounts["区公安分局"]])])
    vetting.rounds.import_candidates(office, round_, xlsx(HEADER, [["西村", SECRET, id_number(1), "村委会委员", "是", "是"]]),
                                     "名单.xlsx")
    candidate, department = round_.candidates.get(), round_.departments.get()
    member = vetting.members.register_member(office, region=chengxi, fields={
        "village": "西村", "name": "城西成员", "id_number": id_number(2), "post": "村委会委员", "problem": SECRET,
        "source": "report", "action": "recall", "cleaned_on": timezone.localdate()})
    return {("vetting", "pk"): round_.pk, ("vetting", "candidate_id"): candidate.pk,
            ("vetting", "department_id"): department.pk, ("vetting", "action"): "close",
            ("api", "round_id"): round_.pk, ("api", "department_id"): department.pk,
            ("api", "candidate_id"): candidate.pk, ("api", "member_id"): member.pk}


def _foreign_screening_routes(chengxi) -> dict:
    """A comparison run that flagged one beneficiary of 城西 (named the secret); the unit's own record for its
    行政区划代码 (PATCH /units/{id})."""
    from .screening_data import foreign_hit

    hit = foreign_hit(SECRET)
    return {("screening", "pk"): hit.pk, ("screening", "action"): "confirm", ("screening", "kind"): "beneficiaries",
            ("api", "hit_id"): hit.pk, ("api", "run_id"): hit.run_id, ("api", "unit_id"): chengxi.pk}


def _foreign_ledger_routes(chengxi) -> dict:
    """A row of 城西's 农村低保 ledger whose household head carries the secret."""
    from qicha.ledgers.models import LedgerDefinition
    from qicha.ledgers.services import create_row
    from qicha.orgs.models import User

    liaison = User.objects.get(username="liaison_chengxi")
    row = create_row(liaison, LedgerDefinition.objects.get(key="dibao"), chengxi, {
        "head_name": SECRET, "head_id": "11010519491231002X", "village": "西村", "kind": "错保", "found_by": "排查",
        "found_on": "2026-03-01", "action": ["停保"], "closed": "否"})
    # `key` names a ledger (every unit's), not a record: its routes are lists, checked for the secret.
    return {("ledgers", "key"): "dibao", ("ledgers", "pk"): row.pk, ("api", "key"): "dibao", ("api", "row_id"): row.pk}


def _foreign_case(demo, chengxi):
    from django.utils import timezone

    from qicha.clues.services.cases import add_case_progress, register_case, start_case
    from qicha.orgs.models import User

    from .problem_helpers import pdf

    office, liaison = User.objects.get(username="office"), User.objects.get(username="liaison_chengxi")
    case = register_case(office, demo, chengxi, name="城西督办案件", source="central_group",
                         received_date=timezone.localdate(), summary=SECRET)
    case = start_case(liaison, case, version=case.version)
    add_case_progress(liaison, case, "城西办理进展", attachment_ids=[pdf(liaison).pk])
    return case


def _foreign_letter_routes(demo, chengxi) -> dict:
    """城西's commitment letter (its scope is the secret, with a scan), broken on a check, hence an accountability
    record whose facts carry the secret too."""
    from django.utils import timezone

    from qicha.orgs.models import User
    from qicha.supervision.services.letters import record_check, record_letter

    from .problem_helpers import pdf

    office = User.objects.get(username="office")
    today = timezone.localdate()
    letter = record_letter(office, demo, "commitment", chengxi, signer="城西局长", signed_on=today, scope=SECRET,
                           scan_attachment_id=pdf(office, "城西承诺书.pdf").pk)
    check = record_check(office, letter, checked_on=today, checked_by="扫黑办", method="个别谈话", result="broken",
                         findings=SECRET, description="城西违反承诺问题", measures="立即纠正", deadline=today,
                         decision_no="民扫办〔2026〕99号", decided_on=today)
    return {("supervision", "letter_id"): letter.pk, ("api", "letter_id"): letter.pk,
            ("supervision", "accountability_id"): check.accountabilities.get().pk,
            ("api", "accountability_id"): check.accountabilities.get().pk}


def _foreign_inspection_routes(demo, chengxi) -> dict:
    """A 随机抽查 drawn on 城西 alone, under way, with a finding whose text carries the secret."""
    from django.utils import timezone

    from qicha.orgs.models import User
    from qicha.supervision.services import draw as draw_services
    from qicha.supervision.services import inspections as inspection_services

    office = User.objects.get(username="office")
    today = timezone.localdate()
    inspection = inspection_services.plan_inspection(office, demo, kind="random", title="城西随机抽查",
                                                     starts_on=today, ends_on=today)
    draw_services.draw_inspection(office, inspection, count=1, per_unit=1, unit_ids=[chengxi.pk], seed="城西")
    inspection = inspection_services.start_inspection(office, inspection, version=inspection.version)
    target = inspection.targets.get()
    inspection_services.record_finding(office, inspection, target, SECRET + "（督导检查发现）", "立即整改", today)
    return {("supervision", "inspection_id"): inspection.pk, ("supervision", "target_id"): target.pk,
            ("supervision", "action"): "complete", ("api", "inspection_id"): inspection.pk}


def _foreign_reporting_routes(demo) -> dict:
    """城西's submitted monthly report: its note is the secret, and its snapshot holds 城西's secret problem."""
    from qicha.orgs.models import User
    from qicha.reporting import services as reporting_services

    office, liaison = User.objects.get(username="office"), User.objects.get(username="liaison_chengxi")
    period = reporting_services.open_period(office, demo, demo.year, 12, requires_approval=False)
    submission = reporting_services.prepare_submission(liaison, period, SECRET)
    submission = reporting_services.submit_report(liaison, submission, version=submission.version)
    # A period is campaign-wide (every unit reports in it), not 城西's record: its pages list only the viewer's
    # own units, checked in test_reporting.py. None leaves its routes to that test.
    return {("reporting", "period_id"): None, ("reporting", "submission_id"): submission.pk,
            ("reporting", "action"): "accept", ("reporting", "name"): "to_accept", ("api", "period_id"): None, ("api", "submission_id"): submission.pk}


def _foreign_clue_routes(demo, chengxi) -> dict:
    """A real-name clue assigned to 城西 (its content is the secret), with a repeat candidate and a pending import."""
    from django.utils import timezone

    from qicha.clues.services import assign_clue, register_clue
    from qicha.core.excel_import import stash
    from qicha.orgs.models import User

    office = User.objects.get(username="office")
    fields = {"source": "public_report", "received_date": timezone.localdate(), "domain": "subsistence",
              "region": "城西区东关街道", "real_name": True, "reporter": {"name": "城西举报人", "phone": "13987654321"},
              "subjects": [{"kind": "person", "name": "赵大海"}]}
    clue = register_clue(office, campaign=demo, content=SECRET, **fields)
    assign_clue(office, clue, version=clue.version, unit=chengxi)
    repeat = register_clue(office, campaign=demo, content=SECRET + "（再次反映）", **fields)
    assign_clue(office, repeat, version=repeat.version, unit=chengxi)
    candidate = repeat.repeat_candidates.get()
    from qicha.clues.services import add_clue_evidence

    from .problem_helpers import pdf

    evidence = add_clue_evidence(office, repeat, category="report", attachment_ids=[pdf(office, "城西核查报告.pdf").pk])
    token = stash(office, (Path(__file__).parent / "data/clues/central_batch_20.xlsx").read_bytes(), "x.xlsx",
                  kind="clues")
    return {
        ("clues", "pk"): repeat.pk, ("clues", "action"): "close", ("clues", "candidate_id"): candidate.pk,
        ("clues", "decision"): "link", ("clues", "token"): token, ("api", "clue_id"): repeat.pk,
        ("api", "candidate_id"): candidate.pk, ("api", "source"): "public_report",
        ("clues", "attachment_id"): evidence[0].attachment_id, ("api", "attachment_id"): evidence[0].attachment_id,
    }


def _foreign_documents_routes() -> dict:
    """The summaries and 简报 are the office's (summary.edit): everyone else gets 403 on every kind and issue."""
    from django.utils import timezone

    from qicha.campaigns.models import Campaign
    from qicha.documents import services as document_services
    from qicha.orgs.models import User

    today = timezone.localdate()
    briefing = document_services.create_briefing(
        User.objects.get(username="office"), Campaign.objects.get(), period_start=today, period_end=today,
        masthead="简报", title=SECRET, issuer="局扫黑办", issued_on=today, lead=SECRET,
        sections=[{"heading": "进展", "text": SECRET}])
    # 城西's own stage summary (单位总结): its text and its file are the secret.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qicha.documents import unit_services
    from qicha.orgs.demo import MINIMAL_PDF

    liaison = User.objects.get(username="liaison_chengxi")
    summary = unit_services.save_unit_summary(liaison, Campaign.objects.get(), "stage", text=SECRET,
                                              upload=SimpleUploadedFile("城西总结.pdf", MINIMAL_PDF))
    summary = unit_services.submit_unit_summary(liaison, summary, version=summary.version)
    return {("documents", "kind"): "stage", ("documents", "briefing_id"): briefing.pk, ("documents", "pk"): summary.pk,
            ("documents", "action"): "accept", ("documents", "name"): "summaries_to_accept",
            ("api", "summary_id"): summary.pk}


def _foreign_job_routes() -> dict:
    """A finished export of 城西's liaison: its file was built with 城西's scope and is theirs alone."""
    from qicha.jobs.models import Job
    from qicha.jobs.registry import result_dir
    from qicha.orgs.models import User

    job = Job.objects.create(kind="test.export", label="导出", owner=User.objects.get(username="liaison_chengxi"),
                             status="done", progress=100, result_name="台账.xlsx", result={"note": SECRET})
    result_dir(job.pk).mkdir(parents=True)
    (result_dir(job.pk) / "台账.xlsx").write_text(SECRET, encoding="utf-8")
    return {("jobs", "pk"): job.pk, ("api", "job_id"): job.pk}


def _foreign_export_routes() -> dict:
    """Ledger exports: another unit's user gets a job over their own scope only (tests/test_ledger_exports.py
    opens the files); the route itself must answer with a redirect to that job, never 城西's rows."""
    return {("jobs", "ledger"): "problems"}


def _foreign_notification_routes() -> dict:
    """A message in 城西's liaison's inbox: notifications are personal, nobody else opens or marks them."""
    from qicha.notify.models import Notification
    from qicha.notify.services import notify_users
    from qicha.orgs.models import User

    owner = User.objects.get(username="liaison_chengxi")
    notify_users([owner], kind="test", title=SECRET, body=SECRET, link="/problems/")
    pk = Notification.objects.get(user=owner, title=SECRET).pk
    return {("notifications", "pk"): pk, ("api", "notification_id"): pk}


def _foreign_problem_import_routes(demo) -> dict:
    """A problem-import preview of 城西's liaison (its rows carry the secret): only its owner sees or confirms it."""
    import io

    from openpyxl import Workbook

    from qicha.orgs.models import User
    from qicha.problems import importing

    workbook = Workbook()
    workbook.active.append(["责任单位", "问题来源", "问题描述", "整改类型", "整改措施", "整改时限"])
    workbook.active.append(["城西区民政局", "自查发现", SECRET + "（导入）", "立即整改", "立行立改", "2030-01-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    owner = User.objects.get(username="liaison_chengxi")
    job = importing.start_preview(owner, demo, buffer.getvalue(), "城西导入.xlsx")
    return {("problems", "job_id"): job.pk, ("api", "import_id"): job.pk}


def fill(route: str, foreign: dict) -> tuple[str, bool]:
    """The concrete URL, and whether it names one of 城西's records."""
    area = "api" if route.startswith("api/") else route.split("/")[0]
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    record = False
    url = route
    for name in names:
        key = (area, name)
        assert key in foreign, f"route {route!r}: add a record for parameter {name!r} to the FOREIGN map"
        value = foreign[key]
        if value is None:
            return "", False  # admin pages edit platform structure, not unit records (checked in test_admin_pages)
        record = record or name not in ("ordinal", "action", "slug", "campaign_id", "key", "name") and not (area == "campaigns" and name == "pk")
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
    return "/" + url.replace("^", "").replace("$", ""), record


def test_every_route_is_known(foreign):
    for route in routes():
        fill(route, foreign)


@pytest.mark.parametrize("username", OTHER_UNIT_USERS)
def test_no_route_reaches_another_units_record(login, api, foreign, username):
    page_client, api_client = login(username), api(username)
    problem = Problem.objects.get(description=SECRET)
    for route in routes():
        url, names_record = fill(route, foreign)
        if not url:
            continue
        client = api_client if url.startswith("/api/") else page_client
        for method in ("get", "post"):
            if url.startswith("/api/"):
                response = getattr(client, method)(url, BODY if method == "post" else None, content_type="application/json")
            else:
                response = getattr(client, method)(url, FORM if method == "post" else None)
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="ignore")
            assert SECRET not in body, f"{username} {method.upper()} {url} shows 城西's problem"
            assert "13987654321" not in body and "城西举报人" not in body, f"{username} {url} shows a reporter"
            if names_record:
                assert response.status_code in (302, 401, 403, 404, 405), f"{username} {method.upper()} {url} → {response.status_code}"
    assert Problem.objects.get(pk=problem.pk).status == problem.status  # no action went through
    assert Case.objects.get(summary=SECRET).status == "investigating"
    letter = Letter.objects.get(scope=SECRET)
    assert (letter.version, letter.checks.count(), Accountability.objects.count()) == (1, 1, 1)  # nothing written
    inspection = Inspection.objects.get(title="城西随机抽查")
    assert inspection.status == "in_progress" and inspection.findings.count() == 1
    assert not inspection.targets.exclude(rating="").exists()
    assert set(Clue.objects.filter(content__startswith=SECRET).values_list("status", flat=True)) == {"assigned"}
    assert UnitSummary.objects.get(text=SECRET).status == "submitted"
