"""The cockpit's panels (R-REP-4/5): one aggregate query per panel, every figure within the viewer's data scope and
the page's focus, every figure with the ledger list (same scope, same filters) that shows exactly its rows.

Each ledger's rows are read through its own queries (`visible_*` applies the scope, the list's Filters apply the
focus), so a figure and the list it opens cannot disagree. Rates have no list of their own (url None)."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value
from django.utils import timezone

from qicha.clues import case_queries
from qicha.clues import queries as clue_queries
from qicha.clues.models import CaseStatus, Reply
from qicha.clues.models import Result as ClueResult
from qicha.clues.models import Source as ClueSource
from qicha.clues.models import Status as ClueStatus
from qicha.core.scope import has_permission
from qicha.core.workbench import Figure, Panel, PanelRow, aggregate_rows, count_each
from qicha.problems import queries as problem_queries
from qicha.problems.models import RectificationType, SignOff
from qicha.problems.models import Status as ProblemStatus
from qicha.reporting import queries as report_queries
from qicha.supervision.models import AccountabilityForm, Failing, InspectionStatus
from qicha.supervision.queries import accountability as accountability_queries
from qicha.supervision.queries import inspections as inspection_queries
from qicha.supervision.queries import letters as letter_queries

PROBLEMS, CLUES, CASES, ACCOUNTABILITY = "/problems/", "/clues/", "/cases/", "/supervision/accountability/"
INSPECTIONS = "/supervision/inspections/"
LETTER_NAMES = {"responsibility": "目标责任书", "commitment": "承诺书"}

# 红黄绿灯: the rule written under the league table, and applied by `light`.
RED_OVERDUE, RED_LATE, RED_REPLY_RATE = 3, 2, 80.0
LIGHT_RULE = (f"红灯：逾期未销号问题或超期未核查线索达 {RED_OVERDUE} 件以上，或迟报、缺报月报达 {RED_LATE} 次以上，"
              f"或实名举报答复率低于 {RED_REPLY_RATE:g}%；黄灯：未达红灯但逾期问题、超期线索、迟报缺报或待答复的"
              "实名举报有一项不为零；绿灯：各项均为零。")
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def light(overdue_problems: int, overdue_clues: int, late_reports: int, awaiting: int, reply_rate) -> str:
    if (overdue_problems >= RED_OVERDUE or overdue_clues >= RED_OVERDUE or late_reports >= RED_LATE
            or (reply_rate is not None and reply_rate < RED_REPLY_RATE)):
        return "red"
    if overdue_problems or overdue_clues or late_reports or awaiting:
        return "yellow"
    return "green"


def _grouped(field: str):
    """A GROUP BY key as `field + 0`: the same value, but SQLite then serves the WHERE from its covering range index
    instead of walking an index that only gives the grouping order (and reading every row: 250 ms against 30 ms at
    city scale). PostgreSQL plans it the same either way."""
    return ExpressionWrapper(F(field) + 0, output_field=IntegerField())


def _count_if(condition: Q):
    """COUNT(1) FILTER (WHERE condition): a column-free count (COUNT(id) would send PostgreSQL to the table rows
    when the index holding the condition has no id)."""
    return Count(Value(1), filter=condition)


def _rate(part: int, whole: int):
    return round(100.0 * part / whole, 1) if whole else None


# ---- problems ----


def scoped_problems(viewer, focus):
    # Built once per page: applying the unit filter reads the unit, and five panels start from these rows.
    return viewer.once(f"cockpit.scoped.problems.{focus.params()}", lambda: _scoped_problems(viewer, focus))


def _scoped_problems(viewer, focus):
    if not has_permission(viewer.user, "problem.view"):
        return None
    filters = problem_queries.ProblemFilters(campaign=focus.campaign.pk if focus.campaign else None,
                                             unit=focus.unit.pk if focus.unit else None)
    return filters.apply(problem_queries.Problem.objects.filter(
        problem_queries.scope_filter(viewer.user, "problem.view", owner_field="responsible_person")),
        user=viewer.user).order_by()


def _rows(built):
    """An aggregate queryset's rows as tuples; a builder that counted already (`count_each`) hands back its dict."""
    return built if isinstance(built, dict) else aggregate_rows(built)


class Facts:
    """A ledger's aggregates the panels share, each run once per page on first use (so the 工作台's compact
    league table asks only for the ones it reads) and read as plain tuples (`aggregate_rows`: no converter per
    value). None when the viewer cannot see the ledger."""

    def __init__(self, viewer, key: str, queryset, builders: dict):
        self.viewer, self.key, self.queryset, self.builders = viewer, key, queryset, builders

    def __getitem__(self, name: str):
        return self.viewer.once(f"{self.key}.{name}", lambda: _rows(self.builders[name](self.queryset)))

    def folded(self, name: str, fold):
        """`fold(rows)` of the aggregate `name`, computed once per page (several panels read the same fold)."""
        return self.viewer.once(f"{self.key}.{name}.folded", lambda: fold(self[name]))


TREND_WEEKS = 12


def trend_weeks(today) -> dict:
    """The last twelve weeks (Monday first): {"w0": the first week's end, …} as aware midnights."""
    first = today - timedelta(days=today.weekday() + 7 * (TREND_WEEKS - 1))
    return {f"w{i}": _midnight(first + timedelta(days=7 * (i + 1))) for i in range(TREND_WEEKS)}


def problem_facts(viewer, focus):
    """The problems' aggregates: per (unit, check item) the problems, the closed, the voided and the overdue ones and
    the count of each 整改类型 — ONE pass streaming in the order of the (campaign, unit, check_item, status, deadline,
    rectification_type) index, which answers every condition (a district reads its units' ranges of it); for the
    trend, the rows registered (voided left out) in each of the last eleven weeks — one range of the (campaign,
    created_at, status, unit) index per week. The 工作台's card builds the league table alone and reads only the
    overdue ones per unit ("overdue", from the (campaign, status, deadline, unit, check_item) index)."""
    problems = scoped_problems(viewer, focus)
    if problems is None:
        return None
    today = viewer.today
    cell_counts = {"n": Count("*"), "closed": _count_if(Q(status=ProblemStatus.CLOSED)),
                   "voided": _count_if(Q(status=ProblemStatus.VOIDED)),
                   "overdue": _count_if(problem_queries.overdue_q(today))}
    cell_counts |= {f"type_{value}": _count_if(Q(rectification_type=value)) for value in RectificationType.values}
    return Facts(viewer, f"cockpit.problems.{focus.params()}", problems, {
        "cells": lambda qs: qs.values_list("unit_id", "check_item_id").annotate(**cell_counts),
        "overdue": lambda qs: qs.filter(problem_queries.overdue_q(today))
        .values(u=_grouped("unit_id")).annotate(n=Count("*")).values_list("u", "n"),
        "weeks": lambda qs: _per_week(qs.exclude(status=ProblemStatus.VOIDED), "created_at", trend_weeks(today)),
    })


class ProblemTally:
    """The cells folded once per page for the five panels reading them (a city has ~2,000 (unit, item) cells):
    per ranked unit and check item the problems found; per ranked unit and per check item [found, closed, overdue];
    per 整改类型; the live (not voided) total; the overdue ones per unit as registered."""

    def __init__(self, rows, row_by_unit: dict):
        self.cells, self.units, self.items, self.overdue_by_unit = {}, {}, {}, {}
        self.types = dict.fromkeys(RectificationType.values, 0)
        self.live = 0
        type_keys = list(self.types)
        for unit_id, item_id, n, closed, voided, overdue, *types in rows:
            row = row_by_unit.get(unit_id)
            if row is not None:
                self.cells[(row, item_id)] = self.cells.get((row, item_id), 0) + n
                _add(self.units, row, n, closed, overdue)
            _add(self.items, item_id, n, closed, overdue)
            if overdue:
                self.overdue_by_unit[unit_id] = self.overdue_by_unit.get(unit_id, 0) + overdue
            self.live += n - voided
            for key, count in zip(type_keys, types, strict=True):
                self.types[key] += count


def _add(totals: dict, key, found: int, closed: int, overdue: int) -> None:
    counts = totals.get(key)
    if counts is None:
        totals[key] = [found, closed, overdue]
    else:
        counts[0] += found
        counts[1] += closed
        counts[2] += overdue


def problem_tally(viewer, focus) -> ProblemTally | None:
    facts = problem_facts(viewer, focus)
    if facts is None:
        return None
    return facts.folded("cells", lambda rows: ProblemTally(rows, focus.row_by_unit))


def overdue_problems_by_unit(viewer, focus) -> dict:
    """{unit id: overdue problems}: from the page's shared pass, or on the 工作台's card from the overdue rows alone."""
    facts = problem_facts(viewer, focus)
    if facts is None:
        return {}
    if focus.compact:
        return dict(facts["overdue"])
    return problem_tally(viewer, focus).overdue_by_unit


def _per_week(rows, field: str, ends: dict):
    """[(week index, rows whose `field` falls in that week)] for the weeks after the first (index 1 to 11) and
    after the last (index 12): one COUNT per week over a range of an index on (campaign, `field`, …), all in one
    statement (UNION ALL). Each range is bounded below, so it is read from that index (the rows before the first
    week's end are not read at all: see `_cumulative`)."""
    bounds = list(ends.values())
    parts = []
    for index, start in enumerate(bounds, start=1):
        week = rows.filter(**{f"{field}__gte": start})
        if index < len(bounds):
            week = week.filter(**{f"{field}__lt": bounds[index]})
        parts.append(week.values(w=Value(index, output_field=IntegerField())).annotate(n=Count("*")).values_list("w", "n"))
    return parts[0].union(*parts[1:], all=True)


def _cumulative(total: int, weeks, ends: dict) -> dict:
    """{"w0": rows by the first week's end, …}: all the rows (`total`) less those in the weeks after that end."""
    later = dict(weeks)
    totals = {}
    for index, key in enumerate(ends):
        totals[key] = total - sum(n for week, n in later.items() if week > index)
    return totals


def _items(focus) -> list:
    """The campaign's check items in order: the campaign was read with them (campaigns.queries.visible_campaigns)."""
    return sorted(focus.campaign.check_items.all(), key=lambda item: item.ordinal) if focus.campaign else []


PROBLEM_COLUMNS = ["查摆问题", "已销号", "逾期未销号"]


def _problem_cells(focus, counts, **where) -> list:
    found, closed, overdue = counts or (0, 0, 0)
    return [Figure("查摆问题", found, focus.link(PROBLEMS, **where)),
            Figure("已销号", closed, focus.link(PROBLEMS, status="closed", **where)),
            Figure("逾期未销号", overdue, focus.link(PROBLEMS, overdue=1, **where))]


def problems_by_item(viewer, focus):
    tally = problem_tally(viewer, focus)
    if tally is None or focus.campaign is None:
        return None
    rows = [PanelRow(f"{item.label}{item.title}", _problem_cells(focus, tally.items.get(item.pk), check_item=item.ordinal),
                     focus.link(PROBLEMS, check_item=item.ordinal)) for item in _items(focus)]
    return Panel("problems_by_item", "查摆问题：按查摆事项", "bar", PROBLEM_COLUMNS, rows)


def problems_by_unit(viewer, focus):
    tally = problem_tally(viewer, focus)
    if tally is None:
        return None
    rows = [PanelRow(unit.name, _problem_cells(focus, tally.units.get(unit.pk), unit=unit.pk),
                     focus.link(PROBLEMS, unit=unit.pk)) for unit in focus.row_units]
    return Panel("problems_by_unit", "查摆问题：按单位", "bar", PROBLEM_COLUMNS, rows)


def coverage_heatmap(viewer, focus):
    """Unit × check item: how many problems each unit (with its sub-units) found under each item."""
    tally = problem_tally(viewer, focus)
    if tally is None or focus.campaign is None:
        return None
    items = _items(focus)
    rows = [PanelRow(unit.name, [Figure(item.label, tally.cells.get((unit.pk, item.pk), 0),
                                        focus.link(PROBLEMS, unit=unit.pk, check_item=item.ordinal))
                                 for item in items], focus.link(PROBLEMS, unit=unit.pk))
            for unit in focus.row_units]
    return Panel("coverage_heatmap", "查摆覆盖热力图：单位 × 查摆事项（查摆问题数）", "heatmap",
                 [item.label for item in items], rows)


def rectification_types(viewer, focus):
    tally = problem_tally(viewer, focus)
    if tally is None:
        return None
    rows = [PanelRow(label, [Figure(label, tally.types[value], focus.link(PROBLEMS, rectification_type=value))])
            for value, label in RectificationType.choices]
    return Panel("rectification_types", "整改类型", "pie", ["问题数"], rows)


def closure_trend(viewer, focus):
    """销号率 over the last twelve weeks: problems closed by each week's end / problems registered by then (voided
    ones left out). Registered: the shared facts (a count per week, each a range of an index); closed: one pass over
    the sign-offs, each checked against the page's problems by its key (EXISTS: the sign-offs are at most the closed
    problems, and no list of every problem id is built). One statement each, no query per week."""
    facts = problem_facts(viewer, focus)
    if facts is None:
        return None
    problems = facts.queryset.exclude(status=ProblemStatus.VOIDED)
    ends = trend_weeks(viewer.today)
    weeks = [end.date() - timedelta(days=7) for end in ends.values()]
    registered = _cumulative(problem_tally(viewer, focus).live, facts["weeks"], ends)
    closed = SignOff.objects.filter(Exists(problems.filter(pk=OuterRef("problem_id")))).aggregate(
        **{k: Count("id", filter=Q(signed_at__lt=end)) for k, end in ends.items()})
    rows = [PanelRow(f"{week:%m-%d}周", [Figure("累计查摆", registered[k]), Figure("累计销号", closed[k]),
                                       Figure("销号率（%）", _rate(closed[k], registered[k]))])
            for week, k in zip(weeks, ends, strict=True)]
    return Panel("closure_trend", "销号率周趋势", "line", ["累计查摆", "累计销号", "销号率（%）"], rows)


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# ---- clues and cases ----


def _clues(viewer, focus):
    return viewer.once(f"cockpit.scoped.clues.{focus.params()}", lambda: _scoped_clues(viewer, focus))


def _scoped_clues(viewer, focus):
    if not has_permission(viewer.user, "clue.view"):
        return None
    filters = clue_queries.ClueFilters(campaign=focus.campaign.pk if focus.campaign else None,
                                       unit=focus.unit.pk if focus.unit else None)
    return filters.apply(clue_queries.Clue.objects.filter(
        clue_queries.scope_filter(viewer.user, "clue.view", unit_field="unit", owner_field="handler")),
        user=viewer.user).order_by()


def clue_facts(viewer, focus):
    """The clues per status, per source and per result: one COUNT each in ONE statement (`count_each`), each a
    range of an index led by (campaign, status | source | result, unit) counted without reading a column — half
    the time of grouping every row by unit and status, or by unit, source and result, on both databases; the
    overdue rows and the real-name reports due a reply per (status, unit): passes streaming in the (campaign,
    status, unit, due_date, real_name) index's order, so no pass sorts or hashes its rows; those answered: the
    real-name index (with the clue id) semi-joined to the replies' clue index. One pass per (unit, status, source,
    result) with the overdue and due rows as conditional counts was measured too: no faster on either database (the
    conditions cost what the narrow passes did), and it returns several times the rows (bench/README.md)."""
    clues = _clues(viewer, focus)
    if clues is None:
        return None
    today = viewer.today

    def due(qs):
        return qs.filter(real_name=True, status__in=(ClueStatus.VERIFIED, ClueStatus.CLOSED))

    return Facts(viewer, f"cockpit.clues.{focus.params()}", clues, {
        "counts": lambda qs: count_each(**{f"status.{value}": qs.filter(status=value) for value in ClueStatus.values},
                                        **{f"source.{value}": qs.filter(source=value) for value in ClueSource.values},
                                        **{f"result.{value}": qs.filter(result=value) for value in ClueResult.values}),
        "overdue": lambda qs: qs.filter(clue_queries.overdue_q(today)).values_list("status", "unit_id")
        .annotate(n=Count("*")),
        "due": lambda qs: due(qs).values_list("status", "unit_id").annotate(n=Count("*")),  # the real-name index
        "replied": lambda qs: due(qs).filter(Exists(Reply.objects.filter(clue=OuterRef("pk"))))
        .values_list("status", "unit_id").annotate(n=Count("*")),
    })


def clue_progress(viewer, focus):
    """清仓见底: received, verified (已核查, 已办结), still open, overdue; 实名举报答复率; 提级复核."""
    facts = clue_facts(viewer, focus)
    if facts is None:
        return None
    by_status = {value: facts["counts"][f"status.{value}"] for value in ClueStatus.values}
    verified = by_status.get(ClueStatus.VERIFIED, 0) + by_status.get(ClueStatus.CLOSED, 0)
    unverified = sum(by_status.get(status, 0) for status in clue_queries.UNVERIFIED_STATUSES)
    due = sum(n for _, _, n in facts["due"])
    awaiting = due - sum(n for _, _, n in facts["replied"])
    cells = [Figure("受理线索", sum(by_status.values()), focus.link(CLUES)),
             Figure("已核查", verified, focus.link(CLUES, stage="verified")),
             Figure("未核查", unverified, focus.link(CLUES, stage="open")),
             Figure("超期未核查", sum(n for _, _, n in facts["overdue"]), focus.link(CLUES, overdue=1)),
             Figure("提级复核", by_status.get(ClueStatus.ESCALATED, 0), focus.link(CLUES, status="escalated")),
             Figure("实名举报待答复", awaiting, focus.link(CLUES, awaiting_reply=1)),
             Figure("实名举报答复率（%）", _rate(due - awaiting, due))]
    cut_off = focus.campaign.clue_clearance_date if focus.campaign else None
    note = f"清仓见底时限：{cut_off:%Y年%m月%d日}" if cut_off else ""
    return Panel("clue_progress", "线索清仓见底", "counters", [f.label for f in cells], [PanelRow("合计", cells)],
                 note=note)


def clue_results(viewer, focus):
    facts = clue_facts(viewer, focus)
    if facts is None:
        return None
    counts = facts["counts"]
    rows = [PanelRow(label, [Figure(label, counts[f"result.{value}"], focus.link(CLUES, result=value))])
            for value, label in ClueResult.choices]
    return Panel("clue_results", "线索核查结论", "pie", ["线索数"], rows)


def clue_sources(viewer, focus):
    facts = clue_facts(viewer, focus)
    if facts is None:
        return None
    counts = facts["counts"]
    rows = [PanelRow(label, [Figure(label, counts[f"source.{value}"], focus.link(CLUES, source=value))])
            for value, label in ClueSource.choices]
    return Panel("clue_sources", "线索来源", "bar", ["线索数"], rows)


def cases(viewer, focus):
    """Cases by status, and 一案一整治: how many carry a sector rectification."""
    if not has_permission(viewer.user, "case.view"):
        return None
    filters = case_queries.CaseFilters(campaign=focus.campaign.pk if focus.campaign else None,
                                       unit=focus.unit.pk if focus.unit else None)
    scoped = filters.apply(case_queries.visible_cases(viewer.user)).order_by()
    counts = dict(scoped.values_list("status").annotate(n=Count("id")))
    rows = [PanelRow(label, [Figure(label, counts.get(value, 0), focus.link(CASES, status=value))])
            for value, label in CaseStatus.choices]
    return Panel("cases", "案件督办", "bar", ["案件数"], rows)


# ---- the league table ----


def league_table(viewer, focus):
    """红黄绿灯: per ranked unit (with its sub-units) overdue problems, overdue clues, late or missing monthly
    reports (months past their due date), real-name reports still unanswered and the reply rate."""
    overdue_problems = focus.rollup((unit_id, "", n) for unit_id, n in overdue_problems_by_unit(viewer, focus).items())
    clues = clue_facts(viewer, focus)
    overdue_clues, due, replied = ({}, {}, {}) if clues is None else (
        focus.rollup((unit_id, "", n) for _, unit_id, n in clues[name]) for name in ("overdue", "due", "replied"))
    late = _late_reports(viewer, focus)
    rows = []
    for unit in focus.row_units:
        key = (unit.pk, "")
        overdue_p, overdue_c = overdue_problems.get(key, 0), overdue_clues.get(key, 0)
        awaiting = due.get(key, 0) - replied.get(key, 0)
        rate = _rate(replied.get(key, 0), due.get(key, 0))
        late_n = late.get(unit.pk, 0)
        colour = light(overdue_p, overdue_c, late_n, awaiting, rate)
        rows.append(PanelRow(unit.name, [
            Figure("逾期未销号问题", overdue_p, focus.link(PROBLEMS, unit=unit.pk, overdue=1)),
            Figure("超期未核查线索", overdue_c, focus.link(CLUES, unit=unit.pk, overdue=1)),
            Figure("迟报缺报月报", late_n, None),
            Figure("实名举报待答复", awaiting, focus.link(CLUES, unit=unit.pk, awaiting_reply=1)),
            Figure("答复率（%）", rate),
        ], focus.link(PROBLEMS, unit=unit.pk, overdue=1), colour))
    order = {"red": 0, "yellow": 1, "green": 2}
    rows.sort(key=lambda r: (order[r.light], -r.cells[0].value, -r.cells[1].value))
    return Panel("league_table", "红黄绿灯排名", "league",
                 ["逾期未销号问题", "超期未核查线索", "迟报缺报月报", "实名举报待答复", "答复率（%）"], rows, note=LIGHT_RULE)


def _late_reports(viewer, focus) -> dict:
    """ranked unit id → months past their due date that a unit below it reported late or not at all."""
    if focus.campaign is None or not report_queries.can_view(viewer.user):
        return {}
    tally = _tally_reports(viewer, focus)
    late: dict = {}
    for unit_id, _ in tally.units:
        ranked = focus.row_by_unit.get(unit_id)
        if ranked is not None:
            late[ranked] = late.get(ranked, 0) + tally.late(unit_id)
    return late


def _tally_reports(viewer, focus):
    """The reporting matrix's totals (per unit, per month in the page's unit), counted once per page by the
    database: the league table and the monthly panel both read them."""
    return viewer.once(f"cockpit.reports.{focus.params()}",
                       lambda: report_queries.tally(viewer.user, focus.campaign, viewer.today, under=focus.unit))


def reporting_timeliness(viewer, focus):
    """Monthly reporting by month: expected, reported, on time, 及时率."""
    if focus.campaign is None or not report_queries.can_view(viewer.user):
        return None
    tally = _tally_reports(viewer, focus)
    rows = []
    for period in tally.periods:
        reported, timely = tally.by_period.get(period.pk, (0, 0))
        rows.append(PanelRow(f"{period.year}年{period.month}月", [
            Figure("应报", tally.under_units, None), Figure("已报", reported), Figure("按时", timely),
            Figure("及时率（%）", _rate(timely, tally.under_units) if viewer.today > period.due_date else None)],
            f"/reporting/periods/{period.pk}/"))
    return Panel("reporting_timeliness", "月报及时率", "stack", ["应报", "已报", "按时", "及时率（%）"], rows,
                 note="及时率只计已过报送截止日的月份。")


# ---- accountability ----


def accountability(viewer, focus):
    if not has_permission(viewer.user, "supervision.view"):
        return None
    filters = accountability_queries.AccountabilityFilters(campaign=focus.campaign.pk if focus.campaign else None,
                                                           unit=focus.unit.pk if focus.unit else None)
    records = filters.apply(accountability_queries.visible_accountabilities(viewer.user)).order_by()
    by = {(form, failing): n for form, failing, n in records.values_list("form", "failing").annotate(n=Count("id"))}
    rows = [PanelRow(label, [Figure(label, sum(n for (f, _), n in by.items() if f == value),
                                    focus.link(ACCOUNTABILITY, form=value))])
            for value, label in AccountabilityForm.choices]
    rows += [PanelRow(label, [Figure(label, sum(n for (_, f), n in by.items() if f == value),
                                     focus.link(ACCOUNTABILITY, failing=value))])
             for value, label in Failing.choices]
    return Panel("accountability", "问责情况：按问责方式与问题情形", "bar", ["人次"], rows)


def supervision(viewer, focus):
    """督导: 目标责任书 and 承诺书 signed / not yet signed by the expected signers; inspections by status (their list
    has no unit filter, so they are counted for the whole scope only)."""
    if focus.campaign is None or not has_permission(viewer.user, "supervision.view"):
        return None
    rows = []
    for board in letter_queries.signing_board(viewer.user, focus.campaign):
        units = [r for r in board.rows if focus.unit is None or r.unit.path.startswith(focus.unit.path)]
        signed = sum(1 for r in units if r.signed)
        short = LETTER_NAMES.get(board.kind, board.label)
        rows.append(PanelRow(f"{short}·已签订", [Figure("数量", signed)], "/supervision/letters/?status=signed"))
        rows.append(PanelRow(f"{short}·未签订", [Figure("数量", len(units) - signed)],
                             "/supervision/letters/?status=unsigned"))
    if focus.unit is None:
        inspections = inspection_queries.InspectionFilters(campaign=focus.campaign.pk).apply(
            inspection_queries.visible_inspections(viewer.user)).order_by()
        counts = dict(inspections.values_list("status").annotate(n=Count("id")))
        rows += [PanelRow(f"督导检查·{label}", [Figure(label, counts.get(value, 0),
                                                     focus.link(INSPECTIONS, status=value))])
                 for value, label in InspectionStatus.choices]
    return Panel("supervision", "督导检查与责任书签订", "bar", ["数量"], rows)


PANEL_BUILDERS = (
    ("league_table", 10, league_table),
    ("problems_by_unit", 20, problems_by_unit),
    ("problems_by_item", 30, problems_by_item),
    ("coverage_heatmap", 40, coverage_heatmap),
    ("closure_trend", 50, closure_trend),
    ("rectification_types", 60, rectification_types),
    ("clue_progress", 70, clue_progress),
    ("clue_results", 80, clue_results),
    ("clue_sources", 90, clue_sources),
    ("cases", 100, cases),
    ("reporting_timeliness", 110, reporting_timeliness),
    ("accountability", 120, accountability),
    ("supervision", 130, supervision),
)
