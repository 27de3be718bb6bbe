"""The same figure reads the same on every page: the stage summary, the coverage matrix, the monthly report and the
工作台 count a participating unit with its 股/科, and say 未销号 with its parts the same way."""

import re

from django.utils import timezone
from docx import Document

from qicha.campaigns import queries as campaign_queries
from qicha.core.workbench import Viewer, figures_for
from qicha.documents import services as document_services
from qicha.orgs import services as org_services
from qicha.orgs.models import DataScope, User
from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no
from qicha.problems.queries import ProblemFilters, Unclosed, status_counts
from qicha.reporting import services as reporting
from qicha.reporting.demo import load_demo_leaders
from qicha.reporting.queries import current_period

from .conftest import DEMO_PASSWORD
from .problem_helpers import bring_to, register
from .test_summary_docx import body_text, row, table_with

CHENGXI = "城西区民政局"
SUB_OFFICES = ["城西区民政局社会救助股", "城西区民政局基层政权股"]


def stage_summary(office, campaign, tmp_path) -> Document:
    written = document_services.generate_document(office, campaign.pk, "stage", lambda name: tmp_path / name,
                                                  lambda percent, message: None, as_of=timezone.localdate())
    return Document(str(written["path"]))


def problems_at_chengxi_sub_offices(campaign, ordinal=2) -> None:
    """Three at 城西's 股 under item `ordinal` (one signed off, one applied for sign-off), one voided there too."""
    item = campaign.check_items.get(ordinal=ordinal)
    at = {"by": "liaison_chengxi", "check_item": item}
    register(campaign, unit_name=SUB_OFFICES[0], **at)
    bring_to(register(campaign, unit_name=SUB_OFFICES[0], **at), "closed", worker="liaison_chengxi")
    bring_to(register(campaign, unit_name=SUB_OFFICES[1], **at), "submitted", worker="liaison_chengxi")
    bring_to(register(campaign, unit_name=SUB_OFFICES[1], **at), "voided", worker="liaison_chengxi")


def test_the_summary_counts_the_participating_units(demo, user, tmp_path):
    problems_at_chengxi_sub_offices(demo)
    register(demo, unit_name="城东区民政局办公室", by="liaison_chengdong")
    doc = stage_summary(user("office"), demo, tmp_path)
    participants = list(demo.participating_units.order_by("path").values_list("name", flat=True))
    assert len(participants) == 15
    # Only a complete matrix reads "组织15个单位对照七个方面逐项开展自查": the demo's is not, and the text says so.
    coverage = campaign_queries.coverage(user("office"), demo)
    filled = coverage.expected - coverage.totals["missing"]
    assert filled < coverage.expected
    assert (f"15个参与单位对照七个方面开展自查，已填报{filled}项，占应填报{coverage.expected}项的"
            f"{round(coverage.rate, 1):g}%") in body_text(doc)
    assert "逐项开展自查" not in body_text(doc)
    # Table 2: one row per participating unit, in tree order, and the 合计; no 股/科 of their own.
    by_unit = table_with(doc, "表2")
    assert [r[0] for r in by_unit[1:]] == [*participants, "合计"]
    assert int(row(by_unit, "城东区民政局")[1]) == Problem.objects.filter(
        unit__path__startswith=demo.participating_units.get(name="城东区民政局").path).exclude(status="voided").count()


def test_chengxi_reads_the_same_in_the_summary_its_report_and_its_ledger(demo, user, tmp_path):
    problems_at_chengxi_sub_offices(demo)
    liaison = user("liaison_chengxi")

    by_unit = table_with(stage_summary(user("office"), demo, tmp_path), "表2")
    found, closed, unclosed, *_, overdue, rate = row(by_unit, CHENGXI)[1:]

    # The unit's monthly report freezes the same ledger.
    load_demo_leaders(DEMO_PASSWORD)
    reporting.generate_periods(user("office"), demo)
    submission = reporting.prepare_submission(liaison, current_period(liaison, demo), "本月台账")
    submission = reporting.request_submission_approval(liaison, submission, version=submission.version)
    submission = reporting.approve_submission(user("leader_chengxi"), submission, version=submission.version)
    counts = submission.snapshot["counts"]
    assert (int(found), int(closed), int(overdue)) == (
        counts["problems"], counts["problems_closed"], counts["problems_overdue"])

    # And so do the liaison's ledger tabs and 工作台 (city-wide: 城西 is all the liaison sees).
    tabs = status_counts(liaison, ProblemFilters(campaign=demo.pk))
    counters = figures_for(Viewer(liaison))["problems"]
    assert int(found) == tabs["all"] - tabs["voided"] == counters["total"].value == 2 + 3  # its own two, three at its 股
    assert int(closed) == tabs["closed"] == 2
    assert int(unclosed) == Unclosed.from_counts(tabs).total == counters["unclosed"].value
    assert rate == f"{counters['closure_rate'].value:g}%"


def cells_of(matrix, unit_name) -> list[str]:
    return [state for _, state, _ in next(r for r in matrix.rows if r.unit.name == unit_name).cells]


def test_a_sub_office_problem_marks_its_units_cell(demo, user, login):
    before = campaign_queries.coverage(user("office"), demo)
    assert cells_of(before, CHENGXI) == ["problems"] + ["filled"] * 6  # 城西 answered every item
    problems_at_chengxi_sub_offices(demo, ordinal=2)
    # A voided one alone does not count.
    bring_to(register(demo, unit_name=SUB_OFFICES[0], by="liaison_chengxi", check_item=demo.check_items.get(ordinal=3)),
             "voided", worker="liaison_chengxi")
    for viewer in ("office", "liaison_chengxi"):
        assert cells_of(campaign_queries.coverage(user(viewer), demo), CHENGXI) == \
            ["problems", "problems"] + ["filled"] * 5, viewer
    assert campaign_queries.coverage(user("office"), demo).totals["problems"] == before.totals["problems"] + 1

    # The page and the liaison's 工作台 card show it.
    page = login("office").get(f"/campaigns/{demo.pk}/coverage/").content.decode()
    assert page.count("有问题") >= 2
    card = login("liaison_chengxi").get("/").content.decode()
    found = re.search(r'<div class="subheader">有问题</div><div class="h1 text-warning">(\d+)</div>', card)
    assert found and found.group(1) == "2"


def test_coverage_queries_do_not_grow_with_sub_office_problems(demo, user, django_assert_max_num_queries):
    for name in SUB_OFFICES + ["城东区民政局社会救助股", "南山县民政局办公室"]:
        register(demo, unit_name=name, by="office", check_item=demo.check_items.get(ordinal=4))
    with django_assert_max_num_queries(8):
        matrix = campaign_queries.coverage(user("office"), demo)
    assert cells_of(matrix, CHENGXI)[3] == "problems"


def listed_numbers(html: str) -> list[str]:
    """The 问题编号 listed under a check item on the self-inspection pages, in order."""
    return re.findall(r'data-testid="cell-problem"><a href="/problems/\d+/">(P\d{6})</a>', html)


def unit_page_card(html: str, label: str) -> str:
    """One check item's card on the unit's self-inspection page."""
    cards = html.split('data-testid="self-inspection-item"')[1:]
    return next(card for card in cards if f'<h3 class="card-title">{label}' in card)


def test_the_cell_and_the_pages_it_opens_list_the_same_problems(demo, user, unit, login):
    problems_at_chengxi_sub_offices(demo, ordinal=5)
    item = demo.check_items.get(ordinal=5)
    chengxi = unit(CHENGXI)
    at_item = Problem.objects.filter(campaign=demo, check_item=item, unit__path__startswith=chengxi.path).order_by("id")
    live = [format_problem_no(p.pk) for p in at_item.exclude(status="voided")]
    voided = format_problem_no(at_item.get(status="voided").pk)
    assert len(live) == 3
    assert campaign_queries.coverage(user("office"), demo).problem_counts[(chengxi.pk, item.pk)] == 3
    assert cells_of(campaign_queries.coverage(user("office"), demo), CHENGXI)[4] == "problems"

    for viewer in ("office", "liaison_chengxi"):
        client = login(viewer)
        matrix = client.get(f"/campaigns/{demo.pk}/coverage/").content.decode()
        cell = f"/campaigns/{demo.pk}/self-inspection/{chengxi.pk}/5/"
        assert f'<a href="{cell}">有问题</a>' in matrix
        item_page = client.get(cell).content.decode()
        assert listed_numbers(item_page) == live, viewer
        assert voided not in item_page and SUB_OFFICES[0] in item_page and SUB_OFFICES[1] in item_page
        card = unit_page_card(client.get(f"/campaigns/{demo.pk}/self-inspection/{chengxi.pk}/").content.decode(),
                              item.label)
        assert listed_numbers(card) == live, viewer
        assert voided not in card
        # The ledger link lists the same unit and item, its 股/科 included.
        link = f"/problems/?campaign={demo.pk}&amp;unit={chengxi.pk}&amp;check_item=5"
        assert link in item_page and link in card
        ledger = client.get(link.replace("&amp;", "&") + "&status=submitted").content.decode()
        assert live[2] in ledger and live[0] not in ledger


def test_the_pages_list_only_the_cell_problems_the_viewer_may_see(demo, user, unit, login):
    problems_at_chengxi_sub_offices(demo, ordinal=5)
    item = demo.check_items.get(ordinal=5)
    own = register(demo, unit_name=CHENGXI, by="liaison_chengxi", check_item=item)
    # A 城西 reader whose scope is 城西区民政局 itself: its own problem, not its 股's.
    secadmin, sysadmin = user("secadmin"), user("sysadmin")
    role = org_services.create_role(secadmin, code="unit_reader", name="本级查阅", scope=DataScope.UNIT,
                                    perms=["campaign.view", "selfinspection.view", "coverage.view", "problem.view"])
    reader, first = org_services.create_user(sysadmin, username="unit_reader", full_name="本级查阅员", unit=unit(CHENGXI))
    reader = User.objects.get(pk=reader.pk)
    org_services.assign_roles(secadmin, reader, [role], version=reader.version)
    second = org_services.release_password_reset(secadmin, reader.password_resets.get())
    org_services.activate_account(username="unit_reader", first_half=first, second_half=second,
                                  new_password=DEMO_PASSWORD, new_password2=DEMO_PASSWORD)

    client = login("unit_reader")
    base = f"/campaigns/{demo.pk}/self-inspection/{unit(CHENGXI).pk}/"
    item_page = client.get(f"{base}5/").content.decode()
    assert listed_numbers(item_page) == [format_problem_no(own.pk)]
    assert SUB_OFFICES[0] not in item_page and SUB_OFFICES[1] not in item_page
    assert listed_numbers(unit_page_card(client.get(base).content.decode(), item.label)) == [format_problem_no(own.pk)]
    # The office sees all four live ones there.
    assert len(listed_numbers(login("office").get(f"{base}5/").content.decode())) == 4


def test_unclosed_is_worded_the_same_in_the_summary_and_on_the_workbench(demo, user, login, tmp_path):
    problems_at_chengxi_sub_offices(demo)
    bring_to(register(demo), "in_progress")
    live = Problem.objects.filter(campaign=demo).exclude(status="voided")
    parts = {s: live.filter(status=s).count() for s in ("open", "in_progress", "submitted")}
    assert all(parts.values())
    expected = (f"未销号{sum(parts.values())}个（其中待整改{parts['open']}个、整改中{parts['in_progress']}个、"
                f"已申请销号待审核{parts['submitted']}个）")

    doc = stage_summary(user("office"), demo, tmp_path)
    text = body_text(doc)
    assert expected in text and "正在整改" not in text
    header = table_with(doc, "表1")[0]
    assert header[3:7] == ["未销号", "待整改", "整改中", "已申请销号待审核"]
    assert row(table_with(doc, "表1"), "合计")[3:7] == [str(sum(parts.values())), *map(str, parts.values())]
    assert "未销号＝待整改＋整改中＋已申请销号待审核" in "".join(p.text for p in doc.paragraphs)

    office = login("office")
    assert expected in office.get(f"/documents/stage/?as_of={timezone.localdate():%Y-%m-%d}").content.decode()
    workbench = office.get("/").content.decode()
    assert "未完成" not in workbench and "正在整改" not in workbench
    assert f'href="/problems/?unclosed=1">{sum(parts.values())}<' in workbench
    # The API answers the same filter with the same count, and its documentation says what the filter means.
    assert office.get("/api/v1/problems?unclosed=1").json()["count"] == sum(parts.values())
    described = office.get("/api/v1/openapi.json").json()["paths"]["/api/v1/problems"]["get"]["description"]
    assert "unclosed=1（未销号" in described and "not_voided=1" in described
    shown = re.search(r'data-testid="counter-unclosed-parts">(.*?)</div>', workbench).group(1)
    assert re.sub(r"<[^>]+>", "", shown) == (f"其中待整改 {parts['open']}、整改中 {parts['in_progress']}、"
                                             f"已申请销号待审核 {parts['submitted']}")
