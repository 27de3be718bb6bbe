"""The problem import at scale: one audit event proves which rows came from which file, each problem's timeline
still shows its import, the bulk registration keeps register_problem's rules and writes all or nothing, and the
fast reader puts cells where Excel shows them."""

import hashlib
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from qicha.core import excel_import as xl
from qicha.core.audit import history_of, verify_chain
from qicha.core.crypto import sm3
from qicha.core.errors import Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.orgs.models import Unit
from qicha.problems import importing
from qicha.problems.models import Problem
from qicha.problems.services.registration import NewProblem, register_problems

from .test_problem_import import DATA, confirm_through_pages, made, preview_through_pages, workbook_bytes


def test_an_import_is_one_chained_event_that_proves_each_row_came_from_the_file(login, demo):
    client = login("liaison_chengxi")
    data = (DATA / "ledger_messy.xlsx").read_bytes()
    last_seq = AuditEvent.objects.latest("seq").seq
    job, _ = preview_through_pages(client, "城西区问题台账.xlsx", data)
    confirm = confirm_through_pages(client, job)
    assert confirm.status == "done", confirm.message
    event = AuditEvent.objects.get(event_type="import", action="problems")
    # One event for the batch, not one per problem.
    new_events = AuditEvent.objects.filter(seq__gt=last_seq)
    assert not new_events.filter(object_type="problems.problem").exclude(pk=event.pk).exists()
    assert event.after["file_sha256"] == hashlib.sha256(data).hexdigest()
    assert event.after["file_sm3"] == sm3(data).hex()
    rows = {row: (digest, problem_id) for row, digest, problem_id in event.after["problems"]}
    assert sorted(rows) == [4, 5, 6, 7, 9, 10, 11, 12]
    assert verify_chain()[1] is None

    # Anyone holding the file can recompute a row's digest (read here by openpyxl, not the importer's reader).
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["城西区问题台账"]
    cells = next(sheet.iter_rows(min_row=6, max_row=6, values_only=True))
    digest, problem_id = rows[6]
    assert xl.row_digest(cells) == digest
    assert Problem.objects.get(pk=problem_id).description == cells[5]
    # …and a changed cell no longer matches.
    altered = list(cells)
    altered[5] = cells[5] + "（改）"
    assert xl.row_digest(altered) != digest


def test_the_problem_timeline_shows_its_import_as_its_registration(login, demo):
    client = login("liaison_chengxi")
    job, _ = preview_through_pages(client, "城西区问题台账.xlsx", (DATA / "ledger_messy.xlsx").read_bytes())
    assert confirm_through_pages(client, job).status == "done"
    problem = Problem.objects.get(description="交办线索办理超期，2条线索未在规定时限内反馈。")
    assert [event.event_type for event in history_of(problem)] == ["import"]
    html = client.get(f"/problems/{problem.pk}/").content.decode()
    timeline = html[html.index('data-testid="timeline"'):]
    assert "导入登记：从“城西区问题台账.xlsx”导入问题 8 个，跳过 0 行" in timeline


def _plan(campaign, **changes) -> dict:
    return {"check_item": None, "source": "self_inspection", "aspect": None, "description": "批量登记的问题。",
            "category": "", "rectification_type": "immediate", "measures": "立行立改", "deadline": date(2026, 12, 31),
            "responsible_leader": "", "responsible_department": "", "responsible_person": None} | changes


def _register(actor, campaign, problems, batch_size=2):
    return register_problems(actor, campaign=campaign, problems=problems, action="problems", object_repr="t.xlsx",
                             audit=lambda count: {"file_name": "t.xlsx"}, detail=lambda count: f"导入 {count}",
                             batch_size=batch_size)


def test_bulk_registration_keeps_the_rules_and_writes_all_or_nothing(demo, user):
    actor, unit = user("liaison_chengxi"), Unit.objects.get(name="城西区民政局")
    before, events = Problem.objects.count(), AuditEvent.objects.count()

    def rows_then_failure():
        for number in range(5):  # past two batches of two: some rows are already inserted when it fails
            yield NewProblem(number + 2, "d", unit, _plan(demo, description=f"问题{number}。"), [])
        raise Invalid("第7行有错误")

    with pytest.raises(Invalid):
        _register(actor, demo, rows_then_failure())
    # The same rule as register_problem: a 限期整改 needs its backward schedule.
    with pytest.raises(Invalid) as caught:
        _register(actor, demo, [NewProblem(2, "d", unit, _plan(demo, rectification_type="deadline"), [])])
    assert "milestones" in caught.value.details
    # …and the same scope: a unit the importer may not register problems for.
    other = Unit.objects.get(name="城东区民政局")
    with pytest.raises(NotFound):
        _register(actor, demo, [NewProblem(2, "d", other, _plan(demo), [])])
    assert (Problem.objects.count(), AuditEvent.objects.count()) == (before, events)

    created = _register(actor, demo, [NewProblem(2, "d2", unit, _plan(demo, description=" 留白的问题。 "),
                                                 [{"due_date": date(2026, 12, 1), "title": " 核查 "}])])
    problem = Problem.objects.get(pk=created[0][1])
    assert (problem.description, problem.created_by, problem.status, problem.version) == (
        "留白的问题。", actor, "open", 1)
    assert [(m.ordinal, m.title) for m in problem.milestones.all()] == [(1, "核查")]


def test_cells_are_read_where_excel_shows_them_when_the_sheet_starts_further_in(demo, user):
    """The fast reader's range starts at the first used cell; rows and columns must still be counted from A1."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题整改台账"
    sheet["C2"] = "城西区民政局问题台账"
    for offset, header in enumerate(made.TEMPLATE_HEADERS):
        sheet.cell(row=4, column=3 + offset, value=header)
        sheet.cell(row=5, column=3 + offset, value=made.GOOD[offset] or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    evaluation = importing.evaluate(user("liaison_chengxi"), demo, buffer.getvalue(), "offset.xlsx")
    assert evaluation.errors == []
    assert [(row.number, row.status, row.values["unit_name"]) for row in evaluation.rows] == [
        (5, "ok", "城西区民政局")]
    bad = list(made.GOOD)
    bad[9] = "2026-02-30"
    evaluation = importing.evaluate(user("liaison_chengxi"), demo, workbook_bytes([made.GOOD, bad]), "bad.xlsx")
    assert [error.located for error in evaluation.errors] == [
        "工作表“问题整改台账” 第3行 J列（整改时限）：日期不存在：2026-02-30"]


def test_an_old_mac_workbook_counts_its_dates_from_1904(demo, user):
    """Date cells and bare serial numbers alike: the workbook's own date system decides, as Excel shows them."""
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.title = "问题整改台账"
    sheet.append(made.TEMPLATE_HEADERS)
    first, second = list(made.GOOD), list(made.GOOD)
    first[9] = datetime(2026, 12, 31)
    second[5], second[9] = "另一个问题。", (date(2026, 12, 30) - date(1904, 1, 1)).days  # typed as a plain number
    sheet.append(first)
    sheet.append(second)
    buffer = io.BytesIO()
    workbook.save(buffer)
    evaluation = importing.evaluate(user("liaison_chengxi"), demo, buffer.getvalue(), "mac.xlsx")
    assert evaluation.errors == []
    assert [row.values["deadline"] for row in evaluation.rows] == [date(2026, 12, 31), date(2026, 12, 30)]
