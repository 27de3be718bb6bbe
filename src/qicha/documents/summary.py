"""What a summary says: the default narrative (citing the figures) and the document built from a draft and the figures."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from docx import Document

from qicha.campaigns.models import Campaign
from qicha.clues.models import Result
from qicha.core.attachments import blob_path
from qicha.core.excel_export import issuing_name
from qicha.core.masking import mask_free_text
from qicha.orgs.models import Unit
from qicha.problems.queries import UNCLOSED_LABEL, UNCLOSED_PARTS

from .gbt9704 import OfficialDocument, cn_date, cn_number, strip_numbering
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
    return issuing_name(campaign.organiser)  # 局扫黑办 under 市民政局 → 市民政局扫黑办


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


def _period(start, end) -> str:
    if start and end:
        return f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    if start:
        return f"{start.month}月{start.day}日起"
    return ""


def _joined(parts: list[str], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


def _coverage_sentence(figures: Figures, start: str) -> str:
    """Who inspected themselves, as the coverage matrix says: "all N units, item by item" only when it is so."""
    c = figures.coverage
    name = figures.campaign.name
    number = f"（{figures.campaign.document_no}）" if figures.campaign.document_no else ""
    lead = f"{start}，我局认真落实《{name}》{number}部署要求"
    if c is None or not c.units or not c.items:
        return lead + "。"
    aspects = f"{cn_number(c.items)}个方面" if c.items <= 10 else f"{c.items}个方面"
    if c.filled == c.expected:
        return f"{lead}，组织{c.units}个单位对照{aspects}逐项开展自查，自查覆盖率100%。"
    if c.filled == 0:
        return f"{lead}。{c.units}个参与单位尚未填报对照{aspects}的自查情况。"
    rest = c.units - c.complete_units
    done = f"其中{c.complete_units}个单位已完成全部{aspects}的自查" if c.complete_units else "尚无单位完成全部方面的自查"
    return (f"{lead}，{c.units}个参与单位对照{aspects}开展自查，已填报{_n(c.filled)}项，占应填报"
            f"{_n(c.expected)}项的{fmt_rate(c.rate)}；{done}，{rest}个单位尚未完成。")


def _problem_sentence(p, as_of: str) -> str:
    if not p.found:
        return f"截至{as_of}，尚未查摆出问题。"
    text = f"截至{as_of}，共查摆问题{_n(p.found)}个"
    if p.closed == p.found:
        return text + "，已全部整改销号。"
    text += f"，已整改销号{_n(p.closed)}个，整改率{fmt_rate(p.rate)}" if p.closed else "，尚无问题整改销号"
    text += f"；{p.unclosed.text(_n)}" if p.unclosed.total else ""
    return text + (f"，其中逾期{_n(p.overdue)}个。" if p.overdue else "，均在整改时限内。")


def _clue_sentence(clues: dict, as_of: str) -> str:
    received = clues.get("received", 0)
    if not received:
        return f"截至{as_of}，未受理涉黑涉恶问题线索。"
    verified, closed = clues.get("verified", 0), clues.get("closed", 0)
    parts = [f"截至{as_of}，共受理涉黑涉恶问题线索{_n(received)}件"]
    parts.append(f"已核查{_n(verified)}件" if verified else "尚无线索核查完毕")
    if closed:
        parts.append(f"办结{_n(closed)}件")
    return _joined(parts) + "。"


def _phase_paragraphs(figures: Figures) -> list[str]:
    lines = []
    for number, phase in enumerate(figures.phases, 1):
        head = f"（{cn_number(number)}）{phase.label}"
        running = phase.start and phase.start <= figures.as_of and (phase.end is None or phase.end > figures.as_of)
        when = f"{phase.start.month}月{phase.start.day}日以来" if running else _period(phase.start, phase.end)
        if phase.start is None or phase.start > figures.as_of:
            lines.append(f"{head}。" + (f"该阶段（{when}）尚未开始。" if when else "该阶段未设定起止日期。"))
            continue
        facts = []
        if phase.found:
            facts.append(f"登记问题{_n(phase.found)}个")
        if phase.closed:
            facts.append(f"整改销号{_n(phase.closed)}个")
        if phase.clues_received:
            facts.append(f"受理线索{_n(phase.clues_received)}件")
        if phase.clues_verified:
            facts.append(f"核查完毕线索{_n(phase.clues_verified)}件")
        if phase.rules:
            facts.append(f"出台制度{len(phase.rules)}项")
        body = "，".join(facts) if facts else "台账中没有登记问题、线索或制度成果"
        lines.append(f"{head}。" + (f"{when}，" if when else "") + body + "。")
    return lines


def _rules_sentence(rules) -> str:
    if not rules:
        return ""
    names = "、".join(f"《{r.title}》" for r in rules[:5]) + ("等" if len(rules) > 5 else "")
    return f"建章立制方面，形成制度成果{len(rules)}项，包括{names}，推动“当下改”与“长久立”相结合。"


def default_sections(campaign: Campaign, kind: str, figures: Figures) -> list[dict]:
    """The four parts every summary has, each sentence written only when the data bear it out (a zero is said
    plainly or the sentence is left out), for the office to edit. The final summary adds the three phases."""
    p = figures.problem_total
    clues = figures.clue_total
    cases = figures.cases
    as_of = cn_date(figures.as_of)
    stage = kind == Kind.STAGE
    start = "专项行动开展以来" if stage else "专项行动开展以来，经过安排部署、集中整改、巩固提升三个阶段"

    work = [_coverage_sentence(figures, start)]
    if p.found:
        work.append(f"（一）压实整改责任。对查摆出的{_n(p.found)}个问题逐一建立台账，明确责任单位、责任人和整改时限，"
                    "实行对账销号管理。")
    if clues.get("received"):
        work.append("（二）狠抓线索核查。" + _clue_sentence(clues, as_of))
    # (一)(二) are numbered as written: renumber what is left.
    numbered = [line for line in work if line.startswith("（")]
    for i, line in enumerate(numbered, 1):
        work[work.index(line)] = f"（{cn_number(i)}）" + line.split("）", 1)[1]

    results = [_problem_sentence(p, as_of)]
    if not clues.get("received"):
        results.append(f"线索核查方面，截至{as_of}未受理涉黑涉恶问题线索。")
    busiest = sorted((r for r in figures.problems_by_item if r.found and not r.label.startswith("其他（")),
                     key=lambda r: -r.found)[:3]
    if busiest:
        results[-1] += "从查摆事项看，" + "、".join(f"{strip_numbering(r.label)}{r.found}个" for r in busiest) + "。"
    if clues.get("verified"):
        found = [f"{label}{clues.get(value, 0)}件" for value, label in Result.choices if clues.get(value)]
        results.append(f"线索核查方面，已核查的{_n(clues['verified'])}件线索中，{'，'.join(found)}。")
    replies = figures.replies
    if replies.get("due"):
        results.append(f"实名举报应答复{replies['due']}件，已答复{replies['answered']}件，答复率{fmt_rate(replies['rate'])}。")
    if cases.get("total"):
        done = cases.get("concluded", 0) + cases.get("closed", 0)
        parts = [f"案件督办方面，跟踪督办案件{_n(cases['total'])}件", f"已办结{_n(done)}件" if done else "均在办理中"]
        if cases.get("rectified"):
            parts.append(f"完成“一案一整治”{_n(cases['rectified'])}件")
        if cases.get("rectification_problems"):
            parts.append(f"推动整改问题{_n(cases['rectification_problems'])}个")
        results.append(_joined(parts) + "。")
    if figures.accountability_total:
        held = "、".join(f"{label}{n}人（次）" for label, n in figures.accountability if n)
        results.append(f"问责方面，共问责{_n(figures.accountability_total)}人（次），其中{held}。")
    if rules := _rules_sentence(figures.rules):
        results.append(rules)
    monthly = figures.reporting_total
    if monthly.get("expected"):
        results.append(f"月度报送方面，已截止的月份应报{_n(monthly['expected'])}次，按时报送{_n(monthly['timely'])}次，"
                        f"及时率{_pct(monthly['timely_rate'])}，完整率{_pct(monthly['complete_rate'])}。")
    if sector := "".join(table.sentence for table in figures.extra_tables):
        results.append("专项治理方面，" + sector)

    issues = []
    c = figures.coverage
    if c is not None and c.units and c.filled < c.expected:
        aspects = f"{cn_number(c.items)}个方面" if c.items <= 10 else f"{c.items}个方面"
        issues.append(f"自查还不全面，{c.units - c.complete_units}个单位尚未完成全部{aspects}的自查。")
    if p.unclosed.total:
        late = f"，其中{_n(p.overdue)}个已超过整改时限" if p.overdue else ""
        issues.append(f"整改尚未完成，仍有{_n(p.unclosed.total)}个问题未销号{late}。")
    in_hand = clues.get("received", 0) - clues.get("closed", 0)
    if in_hand:
        issues.append(f"线索核查尚未清零，仍有{_n(in_hand)}件线索未办结。")
    if replies.get("due") and replies.get("answered", 0) < replies["due"]:
        issues.append(f"实名举报答复还有{replies['due'] - replies['answered']}件未答复。")
    ordinals = "一二三四五六七八九十"
    issue_text = "\n".join(f"{ordinals[i]}是{line}" for i, line in enumerate(issues)) or (
        f"截至{as_of}，台账中的问题均已整改销号，受理的线索均已办结，没有逾期事项。")

    plans = []
    if p.unclosed.total:
        plans.append(f"持续抓好问题整改。对未销号的{_n(p.unclosed.total)}个问题逐一盯办"
                     + ("，逾期问题挂牌督办" if p.overdue else "") + "，确保按期整改到位。")
    if in_hand:
        plans.append(f"深化线索核查。对在办的{_n(in_hand)}件线索加快核查进度"
                     + ("，实名举报做到件件有回音" if replies.get("due", 0) > replies.get("answered", 0) else "") + "。")
    plans.append("巩固整改成果。把整改中形成的好经验好做法固化为制度机制，推动常态长效。" if not stage or not p.unclosed.total
                 else "巩固整改成果。对已销号问题适时开展回头看，防止问题反弹。")
    plan_text = "\n".join(f"（{cn_number(i)}）{line}" for i, line in enumerate(plans, 1))
    phases = [] if stage else [{"heading": "各阶段工作情况", "text": "\n".join(_phase_paragraphs(figures))}]
    return [
        {"heading": "工作开展情况", "text": "\n".join(work)},
        *phases,
        {"heading": "取得的成效", "text": "\n".join(results)},
        {"heading": "存在的问题", "text": issue_text},
        {"heading": "下一步工作打算", "text": plan_text},
    ]


def default_content(campaign: Campaign, kind: str, figures: Figures) -> DraftContent:
    return DraftContent(title=default_title(campaign, kind), issuer=default_issuer(campaign),
                        # The figures are as of `figures.as_of` (a stage summary: the stage's end), so the document
                        # is dated that day; the writer may change it.
                        issued_on=figures.as_of,
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


def build_document(content: DraftContent, figures: Figures, path, progress=lambda percent, message: None,
                   quoted=()) -> dict:
    """Write the summary to `path`; return what the job reports (tables written, sections). `quoted`: the units'
    accepted summaries, excerpted in an attachment of their own after the tables."""
    doc = OfficialDocument()
    doc.title(content.title)
    doc.blank()
    for number, section in enumerate(content.sections, 1):
        doc.numbered_section(number, section.get("heading", ""), section.get("text", ""))
    doc.attachment_note([ATTACHMENT_TITLE, *([quoted_title(quoted)] if quoted else [])])
    doc.signature(content.issuer, cn_date(content.issued_on))
    progress(40, "正文已写入，正在生成统计表…")

    doc.attachment(1 if quoted else None, ATTACHMENT_TITLE)
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
    for number, table in enumerate(figures.extra_tables, 8):  # registered by other apps (the sector ledgers)
        doc.table(f"表{number}　{table.title}", list(table.header), [list(row) for row in table.rows],
                  list(table.widths), note=table.note)
    if quoted:
        quote_unit_summaries(doc, quoted)
    progress(90, "统计表已生成，正在保存文档…")
    doc.save(path)
    return {"tables": doc.tables, "sections": len(content.sections)}


# ---- 各单位总结摘编: the units' accepted summaries, quoted in the office's own ----

EXCERPT_CHARS = 600  # per unit: the office's document quotes, the platform keeps the whole text and file


def summary_paragraphs(summary) -> list[str]:
    """A unit summary's paragraphs: the typed text, else the text of its .docx (a PDF is not read)."""
    lines = [line.strip() for line in (summary.text or "").splitlines() if line.strip()]
    if not lines and summary.file is not None and summary.file.kind == "docx":
        try:
            lines = [p.text.strip() for p in Document(str(blob_path(summary.file.sha256))).paragraphs if p.text.strip()]
        except (OSError, ValueError, KeyError):  # a missing or unreadable file: quoted by name only
            lines = []
    return [mask_free_text(line) for line in lines]


def excerpt(paragraphs: list[str], limit: int = EXCERPT_CHARS) -> list[str]:
    """Whole paragraphs up to about `limit` characters; a cut paragraph ends in "……"."""
    out, used = [], 0
    for paragraph in paragraphs:
        if used + len(paragraph) > limit:
            cut = paragraph[:limit - used].rstrip("，。；、,.; ")
            if cut:
                out.append(cut + "……")
            break
        out.append(paragraph)
        used += len(paragraph)
    return out


def quoted_title(quoted) -> str:
    return f"各单位{quoted[0].get_kind_display()}摘编"


def quote_unit_summaries(doc: OfficialDocument, quoted) -> None:
    doc.attachment(2, quoted_title(quoted))
    for number, summary in enumerate(quoted, 1):
        doc.heading(2, f"（{cn_number(number)}）{summary.unit.name}")
        paragraphs = excerpt(summary_paragraphs(summary))
        for paragraph in paragraphs:
            doc.body(paragraph)
        when = f"{cn_date(timezone.localdate(summary.submitted_at))}提交" if summary.submitted_at else ""
        source = f"，总结文件《{summary.file.name}》见平台" if summary.file is not None else ""
        if not paragraphs:
            source = f"，以文件《{summary.file.name}》报送，原文见平台" if summary.file is not None else ""
        doc.body(f"（{when}{source}。）")
