"""Summaries that tell the truth (issue 19): every sentence of the default text rests on the data — a zero is said
plainly or the sentence left out, full coverage is claimed only when the matrix is full —, the 阶段性总结 counts as of
the day chosen (by default the stage's end) and is dated so, and the 工作总结 gives each phase its own figures."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from qicha.campaigns.models import Campaign, Phase
from qicha.clues.queries import ClueFilters
from qicha.clues.queries import status_counts as clue_counts
from qicha.core.registry import CAMPAIGNS, load_demo_data
from qicha.documents import queries, services
from qicha.documents.summary import default_content
from qicha.orgs.models import Unit, User
from qicha.problems.queries import ProblemFilters, status_counts
from qicha.problems.services import record_lasting_rule

from .conftest import DEMO_PASSWORD
from .problem_helpers import bring_to, register

# A figure of nothing: "0个", "0件", "0项", "0人（次）", "0次" — and the hollow phrases of the old template.
ZERO = re.compile(r"(?<![\d.,])0(个|件|项|人|次)")
HOLLOW = ["0项…", "形成制度成果0项", "逐项开展自查", "加强组织领导", "成立专项行动工作专班"]


def text_of(content) -> str:
    return "\n".join(s["heading"] + "\n" + s["text"] for s in content.sections)


def assert_truthful(text: str) -> None:
    assert not ZERO.search(text), ZERO.search(text).group(0) + " in: " + text
    for phrase in HOLLOW:
        assert phrase not in text, phrase


@pytest.mark.parametrize("kind", ["stage", "final"])
def test_an_empty_campaign_says_nothing_happened_without_zero_sentences(db, kind):
    load_demo_data(DEMO_PASSWORD, through=CAMPAIGNS)
    campaign = Campaign.objects.get()
    office = User.objects.get(username="office")
    content = services.default_draft(office, campaign, kind, timezone.localdate())
    text = text_of(content)
    assert_truthful(text)
    assert "尚未查摆出问题" in text and "未受理涉黑涉恶问题线索" in text
    assert "形成制度成果" not in text and "问责" not in text and "案件" not in text
    assert "15个参与单位对照七个方面开展自查" in text  # the demo's few answers, said as they are


def test_the_demo_summary_has_no_zero_sentence_and_agrees_with_the_ledgers(demo):
    load_demo_data(DEMO_PASSWORD)  # clues, cases, supervision, reporting too
    office = User.objects.get(username="office")
    today = timezone.localdate()
    for kind in ("stage", "final"):
        text = text_of(services.default_draft(office, demo, kind, today))
        assert_truthful(text)
        tabs = status_counts(office, ProblemFilters())
        found = tabs["all"] - tabs["voided"]
        assert f"共查摆问题{found}个" in text
        assert f"逾期{tabs['overdue']}个" in text if tabs["overdue"] else "逾期" not in text
        received = clue_counts(office, ClueFilters())["all"]
        assert f"共受理涉黑涉恶问题线索{received}件" in text
        figures = queries.summary_figures(office, demo, today)
        c = figures.coverage
        assert f"已填报{c.filled}项，占应填报{c.expected}项" in text


def test_the_stage_summary_counts_and_is_dated_as_of_the_stage_end(db):
    # The campaign without the demo's problems (those happen across its months): this test counts its own two.
    load_demo_data(DEMO_PASSWORD, through=CAMPAIGNS)
    demo = Campaign.objects.get()
    office = User.objects.get(username="office")
    year = demo.year
    Phase.objects.filter(campaign=demo, kind="rectify").update(end_date=date(year, 6, 30))
    demo.stage_summary_due = date(year, 6, 23)
    demo.save(update_fields=["stage_summary_due"])
    with time_machine.travel(date(year, 6, 10), tick=False):
        early = register(demo, unit_name="城东区民政局", by="liaison_chengdong", days=5)  # due 6月15日
    with time_machine.travel(date(year, 6, 28), tick=False):
        bring_to(early, "closed")  # signed off after the stage's end
        register(demo, unit_name="城东区民政局", by="liaison_chengdong")  # registered after it
    assert queries.default_as_of(demo, "stage") == date(year, 6, 23)
    content = services.default_draft(office, demo, "stage")
    text = text_of(content)
    assert content.issued_on == date(year, 6, 23)  # dated the day it counts at
    assert f"截至{year}年6月23日" in text
    assert "共查摆问题1个" in text and "尚无问题整改销号" in text
    assert "其中逾期1个" in text  # due on the 15th, still open on the 23rd
    # Chosen: as of today, both problems and the sign-off count.
    today = services.default_draft(office, demo, "stage", timezone.localdate())
    assert "已整改销号" in text_of(today) and today.issued_on == timezone.localdate()


def test_the_final_summary_accounts_for_each_phase_and_the_lasting_rules(demo, user):
    office = user("office")
    year = demo.year
    today = timezone.localdate()
    phases = {p.kind: p for p in Phase.objects.filter(campaign=demo)}
    # The three phases end before today, so each has its own days.
    starts = [today - timedelta(days=90), today - timedelta(days=60), today - timedelta(days=30)]
    for kind, start, end in zip(("deploy", "rectify", "consolidate"), starts, [*starts[1:], today + timedelta(days=30)],
                                strict=True):
        Phase.objects.filter(pk=phases[kind].pk).update(start_date=start, end_date=end - timedelta(days=1))
    with time_machine.travel(starts[1] + timedelta(days=2), tick=False):
        register(demo, unit_name="城东区民政局", by="liaison_chengdong")
    record_lasting_rule(office, campaign=demo, unit=Unit.objects.get(name="城东区民政局"), title="低保入户核查办法",
                        document_no="城东民〔2026〕3号", issued_on=today - timedelta(days=5))
    content = services.default_draft(office, demo, "final", today)
    text = text_of(content)
    assert_truthful(text)
    assert "安排部署阶段。" in text and "集中整改阶段。" in text and "巩固提升阶段。" in text
    rectify = next(line for line in text.splitlines() if "集中整改阶段。" in line)
    assert "登记问题1个" in rectify
    consolidate = next(line for line in text.splitlines() if "巩固提升阶段。" in line)
    assert "出台制度1项" in consolidate
    assert "形成制度成果1项，包括《低保入户核查办法》" in text
    stage = text_of(default_content(demo, "stage", queries.summary_figures(office, demo, today)))
    assert "集中整改阶段。" not in stage  # the stage summary is not the final one with a sentence changed
    assert year  # the campaign's year is the one the phases were set in
