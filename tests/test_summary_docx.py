"""阶段总结、工作总结 (R-REP-3): the narrative saved with conflict detection, the .docx in GB/T 9704 layout, the figures."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from qicha.clues.models import Clue
from qicha.core.models import AuditEvent
from qicha.documents.models import SummaryDraft
from qicha.jobs.models import Job
from qicha.jobs.registry import result_dir
from qicha.problems.models import Problem

from .problem_helpers import bring_to, register

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def generate(client, kind="stage", as_of=None) -> Document:
    # The stage summary counts as of the stage's end; these tests look at today's demo data, so they ask for today.
    response = client.post(f"/documents/{kind}/generate/", {"as_of": (as_of or timezone.localdate()).isoformat()})
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "done", job.message
    assert job.result_name.endswith(".docx")
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    path = result_dir(job.pk) / job.result_name
    return Document(str(path))


def east_asia(element) -> str | None:
    """The East-Asian font named on a run's or a style's rPr."""
    rpr = element.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def run_with(doc, text):
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if text in run.text:
                return paragraph, run
    raise AssertionError(f"{text!r} not in the document")


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def table_with(doc, caption_start):
    """The table after the caption paragraph that starts with `caption_start`, as rows of cell texts."""
    body = doc.element.body
    children = list(body.iterchildren())
    for i, child in enumerate(children):
        if child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))).startswith(caption_start):
            table = children[i + 1]
            assert table.tag == qn("w:tbl"), f"no table after {caption_start}"
            return [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))]
                    for tr in table.iter(qn("w:tr"))]
    raise AssertionError(f"no caption {caption_start!r}")


def row(rows, label):
    return next(r for r in rows if r[0] == label)


def test_docx_is_in_gbt9704_layout(login, demo):
    doc = generate(login("office"))
    section = doc.sections[0]
    mm = lambda length: round(length / Mm(1), 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)) \
        == (37, 35, 28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert 28 * 20 <= int(grid.get(qn("w:linePitch"))) <= 29 * 20  # 22 lines in the 225 mm text block
    assert int(grid.get(qn("w:charSpace"))) < 0  # 28 characters of 3号 in 156 mm

    normal = doc.styles["Normal"]
    assert east_asia(normal.element) == "仿宋_GB2312" and normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= normal.paragraph_format.line_spacing <= Pt(29)

    title = doc.paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER or title.style.paragraph_format.alignment == \
        WD_ALIGN_PARAGRAPH.CENTER
    assert "".join(r.text for r in title.runs) == f"市民政局{demo.name}\n阶段性工作总结"  # broken at a phrase
    assert {east_asia(r._r) for r in title.runs} == {"方正小标宋简体"} and title.runs[0].font.size == Pt(22)
    assert east_asia(title.style.element) == "方正小标宋简体"

    heading, run = run_with(doc, "一、工作开展情况")
    assert east_asia(run._r) == "黑体" and run.font.size == Pt(16)
    assert east_asia(heading.style.element) == "黑体"
    _, run = run_with(doc, "（一）压实整改责任。")
    assert east_asia(run._r) == "楷体_GB2312" and run.font.size == Pt(16)
    body, run = run_with(doc, "专项行动开展以来")
    assert east_asia(run._r) == "仿宋_GB2312" and run.font.size == Pt(16)
    indent = body._p.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"  # first line two characters in

    # Page numbers "— 1 —" in 4号宋体 from a PAGE field: odd pages right, even pages left.
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == alignment
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        texts = [r.text for r in paragraph.runs if r.text]
        assert texts[0] == "— " and texts[-1] == " —"
        for run in paragraph.runs:
            assert east_asia(run._r) == "宋体" and run.font.size == Pt(14)

    # 署名 and 成文日期 (Arabic numerals, four characters in from the right): by default the day the figures are
    # taken, so the date and the "截至" in the text agree.
    today = timezone.localdate()
    dated = next(p for p in doc.paragraphs if p.text == f"{today.year}年{today.month}月{today.day}日")
    assert dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert dated._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    texts = [p.text for p in doc.paragraphs]
    assert texts[texts.index(dated.text) - 1] == "市民政局扫黑办"

    # Tables: bold header row in 仿宋, borders, a 黑体 title above.
    assert len(doc.tables) == 7
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    header = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert header.bold and east_asia(header._r) == "仿宋_GB2312" and header.font.size == Pt(12)
    _, caption = run_with(doc, "表1　问题查摆整改情况（按查摆事项）")
    assert east_asia(caption._r) == "黑体"


def test_tables_carry_the_figures_of_the_ledgers(login, demo, unit):
    for _ in range(3):
        register(demo, unit_name="城西区民政局", by="liaison_chengxi", days=2,
                 check_item=demo.check_items.get(ordinal=4))
    closed = register(demo, unit_name="城西区民政局", by="liaison_chengxi", days=20,
                      check_item=demo.check_items.get(ordinal=4))
    bring_to(closed, "closed", worker="liaison_chengxi")
    bring_to(register(demo, unit_name="城西区民政局", by="liaison_chengxi"), "voided", worker="liaison_chengxi")
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(days=10)):  # the three open ones are now overdue
        doc = generate(login("office"))
        today = timezone.localdate()
    live = Problem.objects.filter(campaign=demo).exclude(status="voided")
    active = live.filter(status__in=("open", "in_progress", "submitted"))

    by_unit = table_with(doc, "表2")
    assert by_unit[0][1:] == ["查摆问题", "已销号", "未销号", "待整改", "整改中", "已申请销号待审核", "逾期", "整改率"]
    # A unit's row is its subtree (its 股/科 included), as its monthly report counts it.
    in_chengxi = {"unit__path__startswith": unit("城西区民政局").path}
    chengxi, active_chengxi = live.filter(**in_chengxi), active.filter(**in_chengxi)
    found = row(by_unit, "城西区民政局")
    assert found[1:8] == [
        str(chengxi.count()), str(chengxi.filter(status="closed").count()), str(active_chengxi.count()),
        *(str(active_chengxi.filter(status=s).count()) for s in ("open", "in_progress", "submitted")),
        str(active_chengxi.filter(deadline__lt=today).count())]
    assert int(found[7]) >= 3
    total = row(by_unit, "合计")
    assert total[1:3] == [str(live.count()), str(live.filter(status="closed").count())]
    closure = 100 * live.filter(status="closed").count() / live.count()
    assert total[8] == f"{closure:.1f}%".replace(".0%", "%")

    item = demo.check_items.get(ordinal=4)
    by_item = table_with(doc, "表1")
    assert row(by_item, str(item))[1:3] == [str(live.filter(check_item=item).count()),
                                            str(live.filter(check_item=item, status="closed").count())]
    assert int(row(by_item, str(item))[1]) >= 4

    clues = Clue.objects.filter(campaign=demo)
    assert row(table_with(doc, "表3"), "合计")[1] == str(clues.count())
    assert row(table_with(doc, "表5"), "合计")[1] == str(demo.accountabilities.count())
    # The default narrative cites the same figures.
    assert f"共查摆问题{live.count():,}个，已整改销号{live.filter(status='closed').count():,}个" in body_text(doc)


def test_narrative_edits_appear_in_the_document(login, demo):
    office = login("office")
    page = office.get("/documents/final/")
    assert page.status_code == 200 and "尚未保存" in page.content.decode()
    response = office.post("/documents/final/", {
        "title": "市民政局“七查七摆”专项行动\n工作总结", "issuer": "市民政局扫黑办", "issued_on": "2026-11-20",
        "version": "0",
        "heading": ["一、工作开展情况", "新的体会", ""],
        "text": ["（一）高位推动。局党组专题研究部署七次。\n1.建立周调度机制。每周一调度整改进度。\n全局上下形成合力。",
                 "群众满意度明显提升。", ""],
        "action": "save",
    })
    assert response.status_code == 302
    draft = SummaryDraft.objects.get(campaign=demo, kind="final")
    assert draft.version == 1 and len(draft.sections) == 2  # the empty extra section is dropped
    doc = generate(office, "final")
    text = body_text(doc)
    assert "一、工作开展情况" in text and "二、新的体会" in text and "群众满意度明显提升。" in text
    _, run = run_with(doc, "（一）高位推动。")
    assert east_asia(run._r) == "楷体_GB2312"
    paragraph, run = run_with(doc, "1.建立周调度机制。")
    assert east_asia(run._r) == "仿宋_GB2312" and paragraph.style.font.bold
    assert paragraph.runs[1].text == "每周一调度整改进度。" and not paragraph.runs[1].bold  # runs in with the text
    assert "2026年11月20日" in text
    assert "".join(r.text for r in doc.paragraphs[0].runs) == "市民政局“七查七摆”专项行动\n工作总结"
    assert AuditEvent.objects.filter(object_type="documents.summarydraft", event_type="create").exists()
    generated = AuditEvent.objects.get(action="summary_generate")
    assert generated.actor_username == "office" and "工作总结" in generated.detail


def test_a_stale_save_is_refused_and_writes_nothing(login, demo):
    office, colleague = login("office"), login("office")
    form = {"title": "阶段总结", "issuer": "市民政局扫黑办", "issued_on": "2026-06-23",
            "heading": ["工作开展情况"], "text": ["第一稿"], "action": "save"}
    assert office.post("/documents/stage/", form | {"version": "0"}).status_code == 302
    # A second editor who opened the never-saved defaults cannot overwrite the first version.
    stale = colleague.post("/documents/stage/", form | {"version": "0", "text": ["另一稿"]})
    assert stale.status_code == 409
    assert "该记录已被他人修改，请刷新页面查看最新内容后再保存" in stale.content.decode()
    assert "另一稿" in stale.content.decode()  # what they typed is still on the page
    assert office.post("/documents/stage/", form | {"version": "1", "text": ["第二稿"]}).status_code == 302
    stale = colleague.post("/documents/stage/", form | {"version": "1", "text": ["基于旧版的修改"]})
    assert stale.status_code == 409
    draft = SummaryDraft.objects.get(campaign=demo, kind="stage")
    assert draft.version == 2 and draft.sections == [{"heading": "工作开展情况", "text": "第二稿"}]
    assert AuditEvent.objects.filter(object_type="documents.summarydraft", event_type="update").count() == 1


def test_invalid_input_is_explained(login, demo):
    office = login("office")
    response = office.post("/documents/stage/", {
        "title": "阶段总结", "issuer": "扫黑办", "issued_on": "2026-06-23", "version": "0",
        "heading": ["", ""], "text": ["只有正文没有标题", ""], "action": "save"})
    assert response.status_code == 200 and "第1部分：请填写该部分的标题。" in response.content.decode()
    response = office.post("/documents/stage/", {
        "title": "", "issuer": "扫黑办", "issued_on": "2026-06-23", "version": "0",
        "heading": ["工作开展情况"], "text": ["正文"], "action": "generate"})
    assert response.status_code == 200 and "form-error" in response.content.decode()
    assert not SummaryDraft.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize("username", ["liaison_chengxi", "handler", "leader", "sysadmin", "auditor"])
def test_only_the_office_writes_summaries(login, demo, username):
    client = login(username)
    assert client.get("/documents/").status_code == 403
    assert client.get("/documents/stage/").status_code == 403
    assert client.post("/documents/stage/", {"title": "越权", "version": "0"}).status_code == 403
    assert client.post("/documents/final/generate/").status_code == 403
    assert not SummaryDraft.objects.exists() and not Job.objects.filter(kind="documents.summary").exists()


def test_service_refuses_without_permission_and_unknown_kinds_are_404(login, demo, user):
    from qicha.core.errors import NotFound
    from qicha.documents import services

    with pytest.raises(NotFound):
        services.save_draft(user("liaison_chengxi"), demo, "stage", version=0, title="越权", issuer="越权",
                            issued_on=date(2026, 6, 1), sections=[{"heading": "越权", "text": "越权"}])
    office = login("office")
    assert office.get("/documents/annual/").status_code == 404
    home = office.get("/documents/").content.decode()
    assert "阶段性总结" in home and "工作总结" in home
    assert f"{demo.stage_summary_due:%Y}年{demo.stage_summary_due.month}月{demo.stage_summary_due.day}日" in home


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.slow
def test_libreoffice_renders_the_summary(login, demo, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-writer-nogui"
    generate(login("office"))
    job = Job.objects.get(kind="documents.summary")
    source = result_dir(job.pk) / job.result_name
    docx = tmp_path / "summary.docx"
    shutil.copy(source, docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / "summary.pdf").read_bytes()
    # Body and signature on 2–3 pages, the statistics attachment on its own pages after them.
    assert 4 <= pdf_pages(pdf) <= 8
    assert shutil.which("pdftotext"), "pdftotext is required: apt-get install poppler-utils"
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(tmp_path / "summary.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout
    assert "阶段性工作总结" in first and "一、工作开展情况" in first
    # 28 characters to a full line of body text (digits are half a character; the extractor's spaces do not count).
    # The text now carries figures on most lines, and a number is not broken across lines: the fullest line of the
    # first page may stop a character or two short of 28, never over it.
    widths = [sum(0.5 if ord(ch) < 0x2000 else 1 for ch in re.sub(r"\s", "", line)) for line in first.splitlines()]
    assert 26 <= max(widths) <= 28.5, widths


def test_monthly_reporting_timeliness_is_tabulated(demo, user, tmp_path):
    import time_machine

    from qicha.documents import services
    from qicha.reporting import services as reporting
    from qicha.reporting.models import ReportingPeriod

    office, liaison = user("office"), user("liaison_chengxi")
    with time_machine.travel(date(demo.year, 7, 10), tick=False):
        period = ReportingPeriod.objects.filter(campaign=demo, year=demo.year, month=7).first() or \
            reporting.open_period(office, demo, demo.year, 7, requires_approval=False)
        submission = reporting.prepare_submission(liaison, period, "7月台账")
        reporting.submit_report(liaison, submission, version=submission.version)  # before the 21st: on time
    with time_machine.travel(date(demo.year, 7, 25), tick=False):
        written = services.generate_document(office, demo.pk, "stage", lambda name: tmp_path / name,
                                             lambda percent, message: None, as_of=date(demo.year, 7, 25))
    doc = Document(str(written["path"]))
    july = row(table_with(doc, "表7"), f"{demo.year}年7月")
    expected = int(july[1])
    assert expected > 1 and july[2:4] == ["1", "1"] and july[6] == "已截止"
    assert july[4] == f"{round(100 / expected)}%"
    assert f"及时率{round(100 / expected)}%" in body_text(doc)


def test_defaults_can_be_refilled_from_the_latest_figures(login, demo):
    office = login("office")
    office.post("/documents/stage/", {"title": "阶段总结", "issuer": "市民政局扫黑办", "issued_on": "2026-06-23",
                                      "version": "0", "heading": ["工作开展情况"], "text": ["旧的文字"],
                                      "action": "save"})
    register(demo, unit_name="城西区民政局", by="liaison_chengxi")
    page = office.get(f"/documents/stage/?defaults=1&as_of={timezone.localdate():%Y-%m-%d}").content.decode()
    found = Problem.objects.filter(campaign=demo).exclude(status="voided").count()
    assert f"共查摆问题{found}个" in page and "旧的文字" not in page
    assert 'name="version" value="1"' in page  # saving it replaces version 1, not a conflict
    assert SummaryDraft.objects.get(kind="stage").sections[0]["text"] == "旧的文字"  # nothing saved by looking
