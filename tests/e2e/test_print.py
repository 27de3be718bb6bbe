"""Printing from Chromium (R-REP-2): the problem ledger and the clue ledger as the browser prints them (the print
stylesheet, A4 with page numbers; the clue ledger on A4 landscape), read back with pdftotext."""

import subprocess

import pytest

from ..conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

NAVIGATION = ["工作台", "消息通知", "修改密码", "退出登录", "导出Excel", "登记问题", "登记线索", "清仓见底", "上一页", "下一页"]


def pdf_pages(page, path) -> list[str]:
    # Ctrl+P honours the page's @page size; page.pdf does so when asked to.
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def page_size(path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def first_words(page: str) -> str:
    return " ".join(page.split())


def test_problem_ledger_prints_title_filters_and_whole_table(page_for, live_server, tmp_path):
    office = page_for("office")
    office.goto(f"{live_server.url}/problems/?status=in_progress")
    office.get_by_test_id("print").wait_for()  # the 打印 button is there to press
    header = [th.strip() for th in office.locator("[data-testid=problem-table] thead th").all_inner_texts()]
    pages = pdf_pages(office, tmp_path / "problems.pdf")
    first = first_words(pages[0])
    assert first.startswith("问题整改 "), first[:80]  # the title comes first: no sidebar, no top bar
    from qicha.orgs.models import User

    assert f"{User.objects.get(username='office').unit.name} 打印时间" in first
    assert "筛选条件：状态：整改中" in first
    for name in header:
        assert name in first, f"column {name} missing on page 1"
    for word in NAVIGATION:
        assert word not in first, word
    assert "待整改" not in first.split("筛选条件")[0]  # the status tabs are not printed
    assert "第1页/共" in pages[0].replace(" ", "")  # the page number at the foot
    width, height = page_size(tmp_path / "problems.pdf")
    assert round(width) == 595 and round(height) == 842  # A4 portrait


def test_clue_ledger_prints_on_landscape_with_every_column(page_for, live_server, tmp_path):
    from qicha.core.registry import load_demo_data

    load_demo_data(DEMO_PASSWORD)  # the clues too
    office = page_for("office")
    office.goto(f"{live_server.url}/clues/")
    header = [th.strip() for th in office.locator("[data-testid=clue-table] thead th").all_inner_texts() if th.strip() and th.strip() != "选择"]
    assert {"来源", "领域", "受理日期"} <= set(header)
    path = tmp_path / "clues.pdf"
    pages = pdf_pages(office, path)
    first = first_words(pages[0])
    assert first.startswith("线索"), first[:80]
    assert "筛选条件：全部记录" in first
    for name in header:
        assert name in first, f"column {name} missing on page 1"
    for word in NAVIGATION:
        assert word not in first, word
    assert "全选本页" not in first  # the bulk-assign controls stay on screen
    width, height = page_size(path)
    assert round(width) == 842 and round(height) == 595  # A4 landscape
    assert f"共{len(pages)}页" in pages[-1].replace(" ", "")


def test_a_detail_page_prints_the_record_without_a_filter_line(page_for, live_server, tmp_path):
    from qicha.problems.models import Problem
    from qicha.problems.numbers import format_problem_no

    problem = Problem.objects.order_by("pk").first()
    office = page_for("office")
    office.goto(f"{live_server.url}/problems/{problem.pk}/")
    office.get_by_test_id("print").wait_for()
    first = first_words(pdf_pages(office, tmp_path / "problem.pdf")[0])
    assert first.startswith(f"{problem.campaign.name}") and f"问题 {format_problem_no(problem.pk)}" in first
    assert "筛选条件" not in first and "打印表单" not in first
    for word in NAVIGATION:
        if word != "登记问题":  # the record's timeline starts with its registration
            assert word not in first, word
