"""What a summary says: the default narrative (citing the figures) and the document built from a draft and the figures."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from qicha.campaigns.models import Campaign
from qicha.clues.models import Result
from qicha.orgs.models import Unit
from qicha.problems.queries import UNCLOSED_LABEL, UNCLOSED_PARTS

from .gbt9704 import OfficialDocument, cn_date, strip_numbering
from .models import Kind
from .queries import CLUE_COLUMNS, Figures, fmt_rate, rate

ATTACHMENT_TITLE = "专项行动工作情况统计表"


@dataclass
class DraftContent:
    """A draft's fields, saved or not yet saved (the defaults)."""

    title: str
    issuer: str
    issued_on: date
    sections: list[dict]
    version: int = 0  # 0: never saved


def _parent_name(unit) -> str:
    parent = Unit.objects.filter(path=unit.path[:-unit.steplen]).first() if unit.depth > 1 else None
    return parent.name if parent is not None else ""


def default_issuer(campaign: Campaign) -> str:
    organiser = campaign.organiser
    if organiser.name.startswith("局") and (parent := _parent_name(organiser)):
        return parent + organiser.name[1:]  # 局扫黑办 under 市民政局 → 市民政局扫黑办
    return organiser.name


def default_title(campaign: Campaign, kind: str) -> str:
    """Broken at a whole phrase: the campaign on the first line, what the document is on the second."""
    what = "阶段性工作总结" if kind == Kind.STAGE else "工作总结"
    organiser = campaign.organiser
    owner = (_parent_name(organiser) if organiser.name.startswith("局") else "") or organiser.name
    return f"{owner}{campaign.name}\n{what}"


def _n(value) -> str:
    return f"{value:,}"


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def default_sections(campaign: Campaign, kind: str, figures: Figures) -> list[dict]:
    """The four parts every summary has, with the figures written in, for the office to edit."""
    p = figures.problem_total
    clues = figures.clue_total
    cases = figures.cases
    as_of = cn_date(figures.as_of)
    stage = kind == Kind.STAGE
    busiest = sorted((r for r in figures.problems_by_item if r.found), key=lambda r: -r.found)[:3]
    item_text = "、".join(f"{strip_numbering(r.label)}{r.found}个" for r in busiest) or "各查摆事项均未发现问题"
    held = "、".join(f"{label}{n}人（次）" for label, n in figures.accountability if n)
    results = "，".join(f"{label}{clues.get(value, 0)}件" for value, label in Result.choices)
    replies = figures.replies
    reply_text = (f"实名举报已答复{replies['answered']}件，答复率{fmt_rate(replies['rate'])}"
                  if replies.get("due") else "暂无需答复的实名举报")
    start = "专项行动开展以来" if stage else "专项行动开展以来，经过安排部署、集中整改、巩固提升三个阶段"
    work = (
        f"{start}，我局认真落实《{campaign.name}》部署要求（{campaign.document_no or '文号'}），坚持边查边改、立查立改，"
        f"组织{figures.participating_units}个单位对照七个方面逐项开展自查，全面查找工作中的漏洞和薄弱环节。\n"
        "（一）加强组织领导。成立专项行动工作专班，明确责任领导和责任部门，建立问题、责任、措施、时限“四张清单”。\n"
        "（二）压实整改责任。对查摆出的问题逐一建立台账，实行对账销号管理，做到问题查清、整改到位、责任落实、"
        "群众满意、漏洞堵住、短板补齐。\n"
        f"（三）狠抓线索核查。截至{as_of}，共受理涉黑涉恶问题线索{_n(clues.get('received', 0))}件，"
        f"已核查{_n(clues.get('verified', 0))}件，办结{_n(clues.get('closed', 0))}件。"
    )
    results_text = (
        f"截至{as_of}，共查摆问题{_n(p.found)}个，已整改销号{_n(p.closed)}个，整改率{fmt_rate(p.rate)}；"
        f"{p.unclosed.text(_n)}，逾期{_n(p.overdue)}个。从查摆事项看，{item_text}。\n"
        f"线索核查方面，已核查的线索中{results}；{reply_text}。\n"
        f"案件督办方面，跟踪督办案件{_n(cases.get('total', 0))}件，已办结{_n(cases.get('concluded', 0) + cases.get('closed', 0))}件，"
        f"完成“一案一整治”{_n(cases.get('rectified', 0))}件，推动整改问题{_n(cases.get('rectification_problems', 0))}个。\n"
        f"问责方面，共问责{_n(figures.accountability_total)}人（次）" + (f"，其中{held}" if held else "") + "。\n"
        f"建章立制方面，形成制度成果{_n(len(figures.rules))}项，推动“当下改”与“长久立”相结合。"
    )
    monthly = figures.reporting_total
    if monthly.get("expected"):
        results_text += (f"\n月度报送方面，已截止的月份应报{_n(monthly['expected'])}次，按时报送{_n(monthly['timely'])}次，"
                         f"及时率{_pct(monthly['timely_rate'])}，完整率{_pct(monthly['complete_rate'])}。")
    issues = (
        f"一是整改进度不够均衡，仍有{_n(p.unclosed.total)}个问题未销号，其中{_n(p.overdue)}个已超过整改时限。\n"
        "二是部分单位查摆不够深入，问题查摆存在避重就轻的现象。\n"
        "三是长效机制建设有待加强，部分制度成果的执行效果还需检验。"
    )
    plans = (
        "（一）持续抓好问题整改。对未销号问题逐一盯办，逾期问题挂牌督办，确保按期整改到位。\n"
        "（二）深化线索核查。对在办线索加快核查进度，实名举报做到件件有回音。\n"
        "（三）巩固整改成果。把整改中形成的好经验好做法固化为制度机制，推动常态长效。"
    )
    if not stage:
        plans = plans.replace("（一）持续抓好问题整改", "（一）持续巩固整改成效")
    return [
        {"heading": "工作开展情况", "text": work},
        {"heading": "取得的成效", "text": results_text},
        {"heading": "存在的问题", "text": issues},
        {"heading": "下一步工作打算", "text": plans},
    ]


def default_content(campaign: Campaign, kind: str, figures: Figures) -> DraftContent:
    return DraftContent(title=default_title(campaign, kind), issuer=default_issuer(campaign),
                        # The figures are as of today, so the document is dated today (the due date is shown
                        # beside it on the page); the writer may change it.
                        issued_on=timezone.localdate(),
                        sections=default_sections(campaign, kind, figures))


def file_name(kind: str, campaign: Campaign) -> str:
    what = "阶段性工作总结" if kind == Kind.STAGE else "工作总结"
    return f"{campaign.name}{what}.docx".replace("“", "").replace("”", "").replace("/", "-")


def _problem_table_rows(rows, total) -> list[list]:
    def cells(r):
        return [r.label, r.found, r.closed, r.unclosed.total, *(n for _, n in r.unclosed.parts), r.overdue,
                fmt_rate(r.rate)]

    return [cells(r) for r in rows] + [cells(total)]


# 未销号 and its parts, worded as everywhere else (problems.queries.UNCLOSED_PARTS); 逾期 counts among the 未销号.
PROBLEM_HEADER = ["", "查摆问题", "已销号", UNCLOSED_LABEL, *(label for _, label in UNCLOSED_PARTS), "逾期", "整改率"]
PROBLEM_WIDTHS = [30, 15, 15, 15, 15, 15, 19, 15, 17]  # 156 mm; the longer headers wrap


def build_document(content: DraftContent, figures: Figures, path, progress=lambda percent, message: None) -> dict:
    """Write the summary to `path`; return what the job reports (tables written, sections)."""
    doc = OfficialDocument()
    doc.title(content.title)
    doc.blank()
    for number, section in enumerate(content.sections, 1):
        doc.numbered_section(number, section.get("heading", ""), section.get("text", ""))
    doc.attachment_note([ATTACHMENT_TITLE])
    doc.signature(content.issuer, cn_date(content.issued_on))
    progress(40, "正文已写入，正在生成统计表…")

    doc.attachment(None, ATTACHMENT_TITLE)
    as_of = (f"统计截至{cn_date(figures.as_of)}。整改率＝已销号÷查摆问题；未销号＝待整改＋整改中＋已申请销号待审核，"
             "逾期均在未销号之中。")
    doc.table("表1　问题查摆整改情况（按查摆事项）", ["查摆事项", *PROBLEM_HEADER[1:]],
              _problem_table_rows(figures.problems_by_item, figures.problem_total), PROBLEM_WIDTHS, note=as_of)
    doc.table("表2　问题查摆整改情况（按单位）", ["单位", *PROBLEM_HEADER[1:]],
              _problem_table_rows(figures.problems_by_unit, figures.problem_total), PROBLEM_WIDTHS)
    progress(60, "问题整改统计表已生成")

    clue_header = ["线索来源", "受理", "已核查", *Result.labels, "已办结", "核查率"]
    clue_rows = [[r["label"], *(r[c] for c in CLUE_COLUMNS), fmt_rate(rate(r["verified"], r["received"]))]
                 for r in [*figures.clue_rows, figures.clue_total]]
    replies = figures.replies
    doc.table("表3　涉黑涉恶问题线索核查情况", clue_header, clue_rows, [28, 13, 16, 13, 19, 16, 19, 16, 16],
              note=f"实名举报应答复{replies.get('due', 0)}件，已答复{replies.get('answered', 0)}件，"
                   f"答复率{fmt_rate(replies.get('rate'))}。")
    cases = figures.cases
    doc.table("表4　案件督办及“一案一整治”情况",
              ["督办案件", "办理中", "已办结", "已销号", "完成一案一整治", "推动整改问题"],
              [[cases["total"], cases["active"], cases["concluded"], cases["closed"], cases["rectified"],
                cases["rectification_problems"]]], [24, 24, 24, 24, 32, 28])
    doc.table("表5　问责情况（按问责方式）", ["问责方式", "人（次）"],
              [*([label, n] for label, n in figures.accountability), ["合计", figures.accountability_total]],
              [90, 40])
    rule_rows = [[i, r.title, r.unit.name, r.document_no or "—", cn_date(r.issued_on) if r.issued_on else "—"]
                 for i, r in enumerate(figures.rules, 1)] or [["—", "暂无", "", "", ""]]
    doc.table("表6　制度成果（建章立制）", ["序号", "制度名称", "制定单位", "文号", "印发日期"], rule_rows,
              [14, 60, 34, 26, 22])
    monthly = [[r["label"], r["expected"], r["reported"], r["timely"], _pct(r["timely_rate"]), _pct(r["complete_rate"]),
                "已截止" if r["closed"] else "报送中"] for r in figures.reporting]
    total = figures.reporting_total
    monthly.append(["合计（已截止）", total.get("expected", 0), total.get("reported", 0), total.get("timely", 0),
                    _pct(total.get("timely_rate")), _pct(total.get("complete_rate")), ""])
    doc.table("表7　月度台账报送情况", ["月份", "应报单位", "已报送", "按时报送", "及时率", "完整率", "状态"],
              monthly, [30, 21, 21, 21, 21, 21, 21],
              note="及时率＝按时报送÷应报，完整率＝已报送÷应报；合计只计已过报送截止日的月份。")
    progress(90, "统计表已生成，正在保存文档…")
    doc.save(path)
    return {"tables": doc.tables, "sections": len(content.sections)}
