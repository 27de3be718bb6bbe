"""An impossible date (2026-02-30, 2026-13-45) is refused everywhere with “日期不存在：…”, and a page keeps the text."""

import pytest

from qicha.core.dates import DateTextError, parse_date_text
from qicha.problems.models import Problem


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-45", "2025-02-29", "2026年2月30日"])
def test_the_shared_parser_names_the_impossible_date(text):
    with pytest.raises(DateTextError) as caught:
        parse_date_text(text)
    assert caught.value.message == f"日期不存在：{text}"


def test_the_shared_parser_reads_real_dates():
    assert parse_date_text("2028-02-29").isoformat() == "2028-02-29"
    assert parse_date_text("2026/3/5").isoformat() == "2026-03-05"
    with pytest.raises(DateTextError, match="日期格式应为 YYYY-MM-DD"):
        parse_date_text("下周一")


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-45"])
def test_a_page_form_keeps_the_text_and_says_the_date_does_not_exist(login, demo, unit, text):
    response = login("liaison_chengdong").post("/problems/new/", {
        "unit": unit("城东区民政局").pk, "source": "self_inspection", "description": "日期写错的问题",
        "rectification_type": "immediate", "measures": "立行立改", "deadline": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"日期不存在：{text}" in html and f'value="{text}"' in html
    assert not Problem.objects.filter(description="日期写错的问题").exists()


def test_another_app_s_form_reads_dates_the_same_way(login, demo):
    # The rule lives in core: a form of another ledger (a 制度成果's 印发日期) says the same.
    response = login("liaison_chengdong").post("/problems/rules/new/", {"title": "制度", "issued_on": "2026-02-30"})
    assert "日期不存在：2026-02-30" in response.content.decode()


def test_a_milestone_line_with_an_impossible_date(login, demo, unit):
    response = login("liaison_chengdong").post("/problems/new/", {
        "unit": unit("城东区民政局").pk, "source": "self_inspection", "description": "x", "measures": "x",
        "rectification_type": "deadline", "deadline": "2027-01-31", "milestones": "2026-02-30 完成核实"})
    assert "第 1 行：日期不存在：2026-02-30" in response.content.decode()


def test_the_api_refuses_an_impossible_date_by_name(api, demo, unit):
    response = api("liaison_chengdong").post("/api/v1/problems", {
        "campaign": demo.pk, "unit": unit("城东区民政局").pk, "source": "self_inspection", "description": "甲",
        "rectification_type": "immediate", "measures": "立行立改", "deadline": "2026-02-30"},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"]["deadline"] == "日期不存在：2026-02-30"
