"""简报 and 通报 drafts (R-REP-5): the text prefilled from a period's figures in the writer's scope, and the .docx in
the usual 简报 layout, built on the GB/T 9704 writer (page, fonts, headings, page numbers):

- the masthead (e.g. 扫黑除恶专项斗争简报) large, red, centred; 第X期 under it;
- 编发单位 flush left and the date flush right on one line, a red rule under them;
- the article's title, a lead paragraph, the numbered sections;
- at the foot, between two rules, the 报 / 送 / 发 distribution lines.

The 通报 (a notice of criticism) is one page for the units the cockpit's league table shows red; the league table is
read through core.workbench (`Viewer.fact("league_table")`, which the cockpit provides), not imported."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from qicha.campaigns.models import Campaign
from qicha.clues.queries import visible_clues
from qicha.core.workbench import Viewer
from qicha.problems.models import SignOff, Status
from qicha.problems.queries import visible_problems

from .gbt9704 import BLOCK_WIDTH, FANGSONG, SIZE_3, XIAOBIAOSONG, OfficialDocument, _font, cn_date
from .queries import fmt_rate, summary_figures
from .summary import default_issuer

RED = RGBColor(0xFF, 0x00, 0x00)
MASTHEAD = "扫黑除恶专项斗争简报"
MASTHEAD_SIZE = Pt(36)  # 小初 and up is the custom for a 简报's masthead
TYPICAL_CASES = 3


@dataclass
class BriefingContent:
    masthead: str
    title: str
    issuer: str
    issued_on: date
    period_start: date
    period_end: date
    lead: str = ""
    sections: list = field(default_factory=list)
    report_to: str = ""
    copy_to: str = ""
    send_to: str = ""
    number: int | None = None  # 第X期, given when saved


def _d(value: date) -> str:
    return f"{value.month}月{value.day}日"


def league_rows(user, today: date | None = None) -> list:
    """The cockpit's league table for the user's whole scope (empty when no cockpit is installed or visible)."""
    return Viewer(user, today).fact("league_table") or []


def default_briefing(user, campaign: Campaign, start: date, end: date, today: date | None = None) -> BriefingContent:
    """The draft for `start`–`end`: progress in the period and to date, typical problems closed in the period,
    the units the league table shows red and yellow, and the next steps; all editable before generation."""
    figures = summary_figures(user, campaign, today)
    problems = visible_problems(user).filter(campaign=campaign).exclude(status=Status.VOIDED)
    period = problems.aggregate(registered=Count("id", filter=Q(created_at__date__range=(start, end))))
    closed_in_period = SignOff.objects.filter(problem__in=problems.values("pk"), signed_at__date__range=(start, end))
    closed_n = closed_in_period.count()
    clues = visible_clues(user).filter(campaign=campaign).aggregate(
        received=Count("id", filter=Q(received_date__range=(start, end))),
        verified=Count("id", filter=Q(verified_at__date__range=(start, end))))
    p, c = figures.problem_total, figures.clue_total
    span = f"{_d(start)}至{_d(end)}"
    lead = (f"{span}，各单位按照专项行动部署，持续推进问题整改和线索核查。期间新查摆问题{period['registered']}个，"
            f"整改销号{closed_n}个；新受理线索{clues['received']}件，核查{clues['verified']}件。截至{cn_date(end)}，"
            f"累计查摆问题{p.found}个，已销号{p.closed}个，整改率{fmt_rate(p.rate)}，逾期未销号{p.overdue}个。")
    progress = (f"（一）问题整改。累计查摆问题{p.found}个，已整改销号{p.closed}个，{p.unclosed.text()}，"
                f"逾期{p.overdue}个。\n"
                f"（二）线索核查。累计受理线索{c.get('received', 0)}件，已核查{c.get('verified', 0)}件，"
                f"办结{c.get('closed', 0)}件；实名举报答复率{fmt_rate(figures.replies.get('rate'))}。\n"
                f"（三）案件督办。跟踪督办案件{figures.cases.get('total', 0)}件，完成“一案一整治”"
                f"{figures.cases.get('rectified', 0)}件。")
    typical = list(closed_in_period.select_related("problem__unit").order_by("-signed_at")[:TYPICAL_CASES])
    cases_text = "\n".join(
        f"（{'一二三四五'[i]}）{s.problem.unit.name}。{s.problem.description.strip().rstrip('。')}。"
        f"整改措施：{(s.problem.measures or '已按要求整改').strip().rstrip('。')}，已于{_d(s.signed_at.date())}销号。"
        for i, s in enumerate(typical)) or "本期无销号问题。"
    rows = league_rows(user, today)
    red = [r for r in rows if r.light == "red"]
    yellow = [r for r in rows if r.light == "yellow"]
    named = "\n".join(
        [f"红灯单位：{'、'.join(_unit_line(r) for r in red)}。" if red else "本期无红灯单位。"]
        + ([f"黄灯单位：{'、'.join(r.label for r in yellow)}。"] if yellow else []))
    sections = [
        {"heading": "总体进展", "text": progress},
        {"heading": "典型整改案例", "text": cases_text},
        {"heading": "红黄绿灯通报", "text": named},
        {"heading": "下一步工作", "text": "红灯单位要在一周内说明逾期原因并提出整改计划，逐一盯办销号；实名举报做到件件有回音。"},
    ]
    issuer = default_issuer(campaign)
    return BriefingContent(masthead=MASTHEAD, title=f"{campaign.name}进展情况（{span}）", issuer=issuer,
                           issued_on=today or end, period_start=start, period_end=end, lead=lead, sections=sections,
                           report_to="市扫黑除恶专项斗争领导小组办公室", copy_to="局党组成员",
                           send_to="局机关各科室、局属各单位，各区县民政局")


def _unit_line(row) -> str:
    values = {cell.label: cell.value for cell in row.cells}
    parts = [f"{label}{values[label]}{unit}" for label, unit in
             (("逾期未销号问题", "个"), ("超期未核查线索", "件"), ("迟报缺报月报", "次")) if values.get(label)]
    return f"{row.label}（{'，'.join(parts)}）" if parts else row.label


# ---- the .docx ----


def _border(paragraph, side: str, color: str = "FF0000", size: int = 12) -> None:
    """A rule along one side of the paragraph (size in eighths of a point)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _masthead(document: OfficialDocument, masthead: str, number_line: str, issuer: str, issued_on: date) -> None:
    doc = document.doc
    head = doc.add_paragraph(style="Normal")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.line_spacing = Pt(60)
    run = head.add_run(masthead)
    _font(run, XIAOBIAOSONG, MASTHEAD_SIZE)
    run.font.color.rgb = RED
    number = doc.add_paragraph(style="Normal")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(number_line), FANGSONG, SIZE_3)
    line = doc.add_paragraph(style="Normal")
    line.paragraph_format.tab_stops.add_tab_stop(BLOCK_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    _font(line.add_run(f"{issuer}\t{cn_date(issued_on)}"), FANGSONG, SIZE_3)
    _border(line, "bottom", "FF0000", 18)
    document.blank()


def _distribution(document: OfficialDocument, lines: list[tuple[str, str]]) -> None:
    document.blank()
    rows = [(label, text) for label, text in lines if text]
    for i, (label, text) in enumerate(rows):
        paragraph = document.doc.add_paragraph(style="Normal")
        paragraph.paragraph_format.keep_with_next = i < len(rows) - 1
        _font(paragraph.add_run(f"{label}：{text}"), FANGSONG, Pt(14))
        if i == 0:
            _border(paragraph, "top", "000000", 8)
        if i == len(rows) - 1:
            _border(paragraph, "bottom", "000000", 8)


def build_briefing(content: BriefingContent, year: int) -> bytes:
    document = OfficialDocument()
    _masthead(document, content.masthead, f"{year}年第{content.number}期", content.issuer, content.issued_on)
    document.title(content.title)
    document.blank()
    if content.lead:
        document.body(content.lead)
    for i, section in enumerate(content.sections, 1):
        document.numbered_section(i, section["heading"], section["text"])
    _distribution(document, [("报", content.report_to), ("送", content.copy_to), ("发", content.send_to)])
    out = io.BytesIO()
    document.doc.save(out)
    return out.getvalue()


def build_notice(user, campaign: Campaign, issuer: str | None = None, today: date | None = None) -> tuple[bytes, list]:
    """One page: the red units of the league table, what puts each there, and what they must do; a draft to edit in
    Word and to attach to the accountability records that follow."""
    today = today or timezone.localdate()
    red = [r for r in league_rows(user, today) if r.light == "red"]
    issuer = issuer or default_issuer(campaign)
    document = OfficialDocument()
    document.title(f"关于{campaign.name}\n工作进度滞后单位的通报")
    document.blank()
    document.body("各单位：")
    names = "、".join(r.label for r in red) or "（无）"
    document.body(f"截至{cn_date(today)}，按照专项行动红黄绿灯评价规则，{names}{len(red)}个单位为红灯单位，现予通报。")
    for i, row in enumerate(red, 1):
        document.body(f"{i}. {_unit_line(row)}。")
    document.body("请上述单位在接到通报后7日内查明原因、提出整改措施，逾期问题逐一挂账督办，按期销号，"
                  "并将整改情况书面报送局扫黑办。对整改不力的，将依规依纪启动问责程序。")
    document.signature(issuer, cn_date(today))
    out = io.BytesIO()
    document.doc.save(out)
    return out.getvalue(), red


