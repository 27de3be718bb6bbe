"""The cockpit's speed must not cost its truth: the reporting figures it now counts in SQL (reporting.queries.tally)
read as the units × months matrix scores them, and the page, its API and the 工作台's card ask a fixed number of
queries whatever the size of the ledgers (one aggregate per figure family, no query per unit or per panel)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.cockpit import queries as cockpit_queries
from qicha.reporting import queries as reporting_queries
from qicha.reporting import services as reporting_services

from .test_workbench import busy  # noqa: F401  (the fixture: something in every list)


@pytest.fixture
def reported(busy, user):  # noqa: F811
    """城西's report of this month approved and sent (on time), the other units' reports missing."""
    period = reporting_queries.current_period(user("office"), busy)
    submission = reporting_queries.visible_submissions(user("office")).get(period=period)
    reporting_services.approve_submission(user("leader_chengxi"), submission, version=submission.version)
    return busy


def late_by_ranked_unit(focus, matrix) -> dict:
    late: dict = {}
    for row in matrix.rows:
        ranked = focus.row_by_unit.get(row.unit.pk)
        if ranked is not None:
            late[ranked] = late.get(ranked, 0) + row.expected - row.timely
    return late


@pytest.mark.parametrize("days_later", [0, 200])  # today, and once every month so far is past its due date
@pytest.mark.parametrize("district", [None, "城西区民政局"])
def test_late_reports_and_the_monthly_panel_read_as_the_matrix_scores(reported, user, unit, days_later, district):
    leader, today = user("leader"), timezone.localdate() + timedelta(days=days_later)
    params = {"unit": unit(district).pk} if district else {}
    data = cockpit_queries.cockpit(leader, params, today=today)
    focus, panels = data["focus"], {panel.key: panel for panel in data["panels"]}
    matrix = reporting_queries.matrix(leader, focus.campaign, today)

    late = late_by_ranked_unit(focus, matrix)
    league = {row.label: row.cells[2].value for row in panels["league_table"].rows}
    assert league == {ranked.name: late.get(ranked.pk, 0) for ranked in focus.row_units}
    if days_later and district is None:  # every district has months past due without an on-time report
        assert any(league.values())

    in_focus = [row for row in matrix.rows if focus.unit is None or row.unit.path.startswith(focus.unit.path)]
    expected = []
    for index, stats in enumerate(matrix.stats):
        timely = sum(1 for row in in_focus if row.cells[index].timely)
        expected.append([len(in_focus), sum(1 for row in in_focus if row.cells[index].reported), timely,
                         round(100.0 * timely / len(in_focus), 1) if stats.closed and in_focus else None])
    monthly = [[cell.value for cell in row.cells] for row in panels["reporting_timeliness"].rows]
    assert monthly == expected
    assert sum(row[2] for row in monthly) >= 1  # 城西's report sent on time is counted


# One aggregate per figure family, shared by the panels reading it: measured on the data above. A query per unit,
# per check item or per panel would break these. The cockpit's own panels and the page cost 28 (31 for a district,
# whose problem and clue filters read the chosen unit; the API 25, no page chrome: the problems per unit and check
# item with their closed, voided, overdue and 整改类型 counts are one statement, the trend's weekly counts another,
# streaming over its own index, where one tested every row against twelve week ends; the clues per status, source
# and result one statement of counts; the unit filter's choices are the units the focus read); the sector panels add
# SECTOR_PANELS: 数据比对 1 (the latest run; its GROUP BY by rule is one more once a run exists, none here) and the
# village panels 5 (candidates per region with their derived result, problem members per region, rejections per
# ground, the disputes ledger's definition and its rows per 化解层级). The pages add the sidebar's 我的后台任务 check
# (JOBS_ENTRY: one EXISTS for a leader, who starts no background work) — not the API.
SECTOR_PANELS, JOBS_ENTRY = 1 + 5, 1


@pytest.mark.parametrize("url, most", [("/dashboard/", 28 + SECTOR_PANELS + JOBS_ENTRY),
                                       ("/dashboard/?unit={district}", 31 + SECTOR_PANELS + JOBS_ENTRY),
                                       ("/api/v1/dashboard", 25 + SECTOR_PANELS), ("/dashboard/card/", 19)])
def test_the_cockpit_asks_a_fixed_number_of_queries(reported, login, api, unit, url, most,
                                                     django_assert_max_num_queries):
    client = api("leader") if url.startswith("/api/") else login("leader")
    url = url.format(district=unit("城东区民政局").pk)
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200
