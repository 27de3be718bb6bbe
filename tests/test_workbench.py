"""The 工作台 is built from what the ledgers register (core.workbench): every figure opens a list with the same count,
the page asks the database a fixed number of times whoever is looking, and a ledger that registers a card shows it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from qicha.campaigns import queries as campaign_queries
from qicha.clues import case_queries
from qicha.clues import queries as clue_queries
from qicha.clues.demo import load_sample_clues
from qicha.clues.services.cases import register_case
from qicha.core import workbench
from qicha.core.workbench import Card, Figure, Viewer, cards_for, figures_for
from qicha.documents import queries as document_queries
from qicha.ledgers import queries as ledger_queries
from qicha.problems import queries as problem_queries
from qicha.problems import services as problem_services
from qicha.reporting import queries as reporting_queries
from qicha.reporting import services as reporting_services
from qicha.reporting.demo import load_demo_leaders
from qicha.supervision.queries import inspections as inspection_queries

from .conftest import DEMO_PASSWORD
from .problem_helpers import bring_to, register

VIEWERS = ["office", "leader", "liaison_chengdong", "liaison_chengxi", "liaison_city", "handler", "leader_chengxi"]


@pytest.fixture
def busy(demo, user, unit):
    """Something in every list: problems in each state (some overdue, one returned, one with its 责任人), the sample
    clues, a case, the monthly periods with a report waiting for its leader."""
    for status in ("open", "in_progress", "submitted", "closed", "voided"):
        bring_to(register(demo), status)
        bring_to(register(demo, unit_name="城西区民政局", by="liaison_chengxi"), status, worker="liaison_chengxi")
    register(demo, days=-3)  # overdue
    register(demo, days=3, person="handler")  # due soon, the handler's
    returned = bring_to(register(demo), "submitted")
    problem_services.return_problem(user("office"), returned, version=returned.version, reason="佐证不足")
    load_sample_clues(demo)
    register_case(user("office"), demo, unit("城东区民政局"), name="城东督办案件", source="central_group",
                  received_date=timezone.localdate(), summary="案情")
    load_demo_leaders(DEMO_PASSWORD)
    reporting_services.generate_periods(user("office"), demo)
    period = reporting_queries.current_period(user("office"), demo)
    submission = reporting_services.prepare_submission(user("liaison_chengxi"), period, "本月台账")
    reporting_services.request_submission_approval(user("liaison_chengxi"), submission, version=submission.version)
    return demo


def listed(user, url: str) -> int:
    """How many rows the list at `url` shows the user: the page's own query with the filters it parses."""
    parts = urlsplit(url)
    params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    if parts.path == "/problems/":
        return problem_queries.problem_list(user, problem_queries.ProblemFilters.from_params(params)).count()
    if parts.path == "/clues/":
        return clue_queries.clue_list(user, clue_queries.ClueFilters.from_params(params)).count()
    if parts.path == "/cases/":
        return case_queries.case_list(user, case_queries.CaseFilters.from_params(params)).count()
    if parts.path == "/supervision/inspections/":
        return inspection_queries.inspection_list(user, inspection_queries.InspectionFilters.from_params(params)).count()
    if parts.path.endswith("/coverage/"):
        return len(campaign_queries.coverage(user, campaign_queries.current_campaign(user)).rows)
    if parts.path == "/ledgers/todo/unfiled/":
        return len(ledger_queries.unfiled_for_unit(user, timezone.localdate()))
    if parts.path.startswith("/ledgers/"):
        definition = ledger_queries.get_definition(user, parts.path.split("/")[2])
        return ledger_queries.row_list(user, definition,
                                       ledger_queries.RowFilters.from_params(params, definition)).count()
    if parts.path.startswith("/documents/units/todo/"):
        todos = document_queries.summary_todos(user, campaign_queries.current_campaign(user))
        return todos[parts.path.split("/")[4]].count()
    if parts.path.startswith("/reporting/todo/"):
        return len(reporting_queries.todo_rows(user, parts.path.split("/")[3]))
    raise AssertionError(f"no list known at {url}")


@pytest.mark.parametrize("username", VIEWERS)
def test_every_figure_opens_a_list_with_the_same_count(busy, user, username):
    viewer = user(username)
    figures = figures_for(Viewer(viewer))
    linked = [(ledger, name, figure) for ledger, named in figures.items() for name, figure in named.items()
              if figure.url]
    assert linked or username == "handler"
    for ledger, name, figure in linked:
        assert listed(viewer, figure.url) == figure.value, (username, ledger, name, figure.url)
    cards = [card for card in cards_for(Viewer(viewer)) if card.slot == "todos"]
    for card in cards:
        assert len(card.rows) == min(card.count, workbench.TODO_LIMIT), (username, card.key)


def test_the_office_and_a_liaison_see_their_own_figures(busy, user):
    office = figures_for(Viewer(user("office")))
    liaison = figures_for(Viewer(user("liaison_chengdong")))
    assert office["problems"]["total"].value == problem_queries.Problem.objects.exclude(status="voided").count()
    assert 0 < liaison["problems"]["total"].value < office["problems"]["total"].value
    assert liaison["problems"]["returned"].value == 1 and "to_review" not in liaison["problems"]
    assert office["problems"]["to_review"].value == office["problems"]["submitted"].value > 0
    assert office["reporting"]["to_accept"].value == 0 and "leader_chengxi" not in office
    leader = figures_for(Viewer(user("leader_chengxi")))
    assert leader["reporting"]["to_approve"].value == 1


@pytest.mark.parametrize("username", ["office", "leader", "liaison_chengdong"])
def test_the_rates_line_reads_as_the_matrix_scores(busy, user, username):
    viewer = user(username)
    card = next((c for c in cards_for(Viewer(viewer)) if c.key == "report_rates"), None)
    matrix = reporting_queries.matrix(viewer, busy)
    if username == "liaison_chengdong":
        assert card is None or len(matrix.rows) >= 2
    if card is not None:
        fast = card.data["t"]
        assert (fast.matrix.expected, fast.matrix.reported, fast.matrix.timely) == (
            matrix.expected, matrix.reported, matrix.timely)
        assert fast.closed_months == sum(1 for stats in matrix.stats if stats.closed)


@pytest.mark.parametrize("username", ["office", "liaison_chengxi", "liaison_chengdong"])
def test_the_coverage_card_reads_as_the_matrix(busy, user, username):
    viewer = user(username)
    summary = campaign_queries.coverage_summary(viewer, busy)
    matrix = campaign_queries.coverage(viewer, busy)
    assert (summary.units, summary.missing, summary.problems) == (
        len(matrix.rows), matrix.totals["missing"], matrix.totals["problems"])
    assert summary.rate == matrix.rate


# The page asks a fixed number of queries whatever the size of the ledgers: ONE statement counting every ledger's
# figures (core.workbench counts what each source hands over), the first rows of each non-empty to-do list and their
# units. Measured on the data above; a new query per card, or a ledger counting on its own, would break these.
# Holders of the dashboard permission also get the compact cockpit, which the page loads afterwards (no query here).
# A unit that writes (office, liaison) also gets the monthly-ledger to-do (MONTHLY: the monthly ledgers its unit has
# not filled, one query); a reader who starts no background work (leader, handler) pays the sidebar's 我的后台任务
# check (JOBS_ENTRY: one EXISTS over their jobs).
COCKPIT = 0
MONTHLY, JOBS_ENTRY = 1, 1


@pytest.mark.parametrize("username, most", [("office", 20 + MONTHLY + COCKPIT),
                                            ("leader", 14 + JOBS_ENTRY + COCKPIT),
                                            ("liaison_chengdong", 24 + MONTHLY), ("handler", 12 + JOBS_ENTRY),
                                            ("leader_chengxi", 15 + JOBS_ENTRY + COCKPIT)])
def test_the_workbench_asks_a_fixed_number_of_queries(busy, login, username, most, django_assert_max_num_queries):
    client = login(username)
    client.get("/")
    with django_assert_max_num_queries(most):
        assert client.get("/").status_code == 200


def test_a_ledger_that_registers_a_card_shows_it_without_touching_notify(demo, user, login):
    def figures(viewer):
        return {"waiting": Figure("待处理的示例事项", 3, "/problems/?status=open")}

    def cards(viewer, found):
        return [Card("sample", found["waiting"].label, "notify/_todo_card.html", count=found["waiting"].value,
                     link=found["waiting"].url, rows=[])]

    workbench.register("sample", order=99, figures=figures, cards=cards)
    try:
        html = login("liaison_chengdong").get("/").content.decode()
        assert 'data-testid="todo-sample"' in html and "待处理的示例事项" in html
        assert figures_for(Viewer(user("office")))["sample"]["waiting"].value == 3
    finally:
        workbench.SOURCES.pop("sample")
    assert "待处理的示例事项" not in login("liaison_chengdong").get("/").content.decode()


def test_count_each_counts_in_one_query(demo, user, django_assert_num_queries):
    office = user("office")
    register(demo)
    bring_to(register(demo), "closed")
    visible = problem_queries.visible_problems(office)
    with django_assert_num_queries(1):
        counts = workbench.count_each(open=visible.filter(status="open"), closed=visible.filter(status="closed"),
                                      again=visible.filter(status="open"), none=visible.none())
    opened, closed = visible.filter(status="open").count(), visible.filter(status="closed").count()
    assert counts == {"open": opened, "closed": closed, "again": opened, "none": 0} and opened and closed


@pytest.mark.parametrize("text", ["", "短", "第31027号问题：线索台账不完整，整改措施落实不到位", "a" * 28, "a" * 29, "e\u0301" * 30,
                                  "Cafe\u0301 " * 10, "x" * 27 + "\u0301" + "yyyy"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_to_do_row_cuts_its_text_as_the_template_filter_does(text, language):
    from django.template.defaultfilters import truncatechars
    from django.utils import translation

    with translation.override(language):
        for length in (1, 3, 24, 28, 40):
            assert workbench.cut(text, length) == truncatechars(text, length), (text, length)


@pytest.mark.parametrize("username", ["office", "liaison_chengxi", "leader_chengxi"])
def test_each_to_do_page_shows_as_many_rows_as_its_figure(busy, login, user, username):
    """The to-dos with no ledger list of their own (月报, 单位总结, 本月台账) open a page of exactly their rows."""
    figures = figures_for(Viewer(user(username)))
    todos = [figure for named in figures.values() for figure in named.values() if figure.url and "/todo/" in figure.url]
    assert todos
    client = login(username)
    for figure in todos:
        html = client.get(figure.url).content.decode()
        assert f'共 <span data-testid="todo-total">{figure.value}</span> 项' in html, figure
        assert html.count('<td class="text-end"><a href=') == figure.value, figure
    assert client.get("/reporting/todo/no_such_list/").status_code == 404
