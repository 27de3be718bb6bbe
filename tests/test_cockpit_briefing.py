"""简报 drafts from the data (R-REP-5): the office picks a period, edits the prefilled text and gets a .docx in the
usual 简报 layout with the year's next 期号; and the one-page 通报 naming the league table's red units."""

import io
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta

import docx
import pytest
from django.utils import timezone

from qicha.documents.models import Briefing
from qicha.problems.models import Problem, SignOff

from .problem_helpers import bring_to, register

NANSHAN = "南山县民政局"


def paragraphs(content: bytes) -> list:
    return docx.Document(io.BytesIO(content)).paragraphs


def border_colour(paragraph, side: str) -> str | None:
    edges = paragraph._p.xpath(f"./w:pPr/w:pBdr/w:{side}")
    return edges[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}color") if edges else None


def draft(client, start, end) -> dict:
    response = client.get("/documents/briefings/new/", {"start": start.isoformat(), "end": end.isoformat()})
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
    sections = response.context["sections"][:-1]
    return data | {"heading": [s["heading"] for s in sections], "text": [s["text"] for s in sections]}


def test_the_office_drafts_edits_and_gets_the_briefing(demo, login):
    today = timezone.localdate()
    closed = bring_to(register(demo, description="低保审核台账缺失，未逐户建档"), "closed")
    for days in (-2, -6):
        register(demo, unit_name=f"{NANSHAN}社会救助股", by="liaison_nanshan", days=days)  # 南山 goes red
    office = login("office")
    data = draft(office, today - timedelta(days=6), today)
    # The demo's problems happen across the campaign's months: count those of this week, as the 简报 does.
    week = timezone.make_aware(datetime.combine(today - timedelta(days=6), time.min))
    registered = Problem.objects.exclude(status="voided").filter(created_at__gte=week).count()
    signed = SignOff.objects.filter(signed_at__gte=week).count()
    assert f"期间新查摆问题{registered}个，整改销号{signed}个" in data["lead"]
    assert data["heading"] == ["总体进展", "典型整改案例", "红黄绿灯通报", "下一步工作"]
    assert closed.description in data["text"][1]
    assert f"红灯单位：{NANSHAN}（逾期未销号问题3个）" in data["text"][2]
    data["lead"] = "本期导语经办公室修改。"

    response = office.post("/documents/briefings/new/", data)
    assert response.status_code == 302
    first = Briefing.objects.get()
    assert (first.year, first.number) == (today.year, 1)
    again = office.post("/documents/briefings/new/", data)
    assert again.status_code == 302 and Briefing.objects.order_by("-number").first().number == 2  # 期号 per year

    listing = office.get("/documents/briefings/").content.decode()
    assert f"{today.year}年第1期" in listing and f"{today.year}年第2期" in listing
    download = office.get(f"/documents/briefings/{first.pk}.docx")
    assert download.status_code == 200
    paras = paragraphs(download.content)
    texts = [p.text for p in paras]
    masthead = paras[0]
    assert masthead.text == "扫黑除恶专项斗争简报"
    assert masthead.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert masthead.runs[0].font.size.pt >= 26
    assert texts[1] == f"{today.year}年第1期"
    rule = paras[2]
    assert rule.text.startswith("市民政局扫黑办\t") and rule.text.endswith(f"{today.year}年{today.month}月{today.day}日")
    assert border_colour(rule, "bottom") == "FF0000"  # the red rule under 编发单位 and date
    assert "本期导语经办公室修改。" in texts
    assert "一、总体进展" in texts and "二、典型整改案例" in texts
    foot = [p for p in paras if p.text[:2] in ("报：", "送：", "发：")]
    assert [p.text[:2] for p in foot] == ["报：", "送：", "发："]
    assert border_colour(foot[0], "top") == "000000" and border_colour(foot[-1], "bottom") == "000000"


def test_a_bad_period_is_refused_and_others_cannot_draft(demo, login):
    office = login("office")
    response = office.get("/documents/briefings/new/", {"start": "2026-06-30", "end": "2026-06-01"}, follow=True)
    assert "统计截止日不能早于起始日" in response.content.decode()
    assert not Briefing.objects.exists()
    assert login("liaison_chengdong").get("/documents/briefings/").status_code == 403


def test_the_notice_names_the_red_units(demo, login):
    for days in (-2, -6):
        register(demo, unit_name=f"{NANSHAN}社会救助股", by="liaison_nanshan", days=days)
    response = login("office").get("/documents/briefings/notice.docx")
    assert response.status_code == 200
    texts = [p.text for p in paragraphs(response.content)]
    assert any("工作进度滞后单位的通报" in t for t in texts)
    assert any(t.startswith("1. 南山县民政局（逾期未销号问题3个）") for t in texts)
    assert not any("城东区民政局（" in t for t in texts)


@pytest.mark.slow
def test_libreoffice_renders_the_briefing_and_the_notice(demo, login, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-writer-nogui"
    today = timezone.localdate()
    office = login("office")
    assert office.post("/documents/briefings/new/", draft(office, today - timedelta(days=6), today)).status_code == 302
    (tmp_path / "briefing.docx").write_bytes(office.get(f"/documents/briefings/{Briefing.objects.get().pk}.docx").content)
    (tmp_path / "notice.docx").write_bytes(office.get("/documents/briefings/notice.docx").content)
    for name in ("briefing", "notice"):
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / f"{name}.docx")],
                       check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "briefing.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    text = re.sub(r"\s", "", text)  # the extractor spaces digits from Chinese
    assert "扫黑除恶专项斗争简报" in text and f"{today.year}年第1期" in text and "报：" in text
    notice = (tmp_path / "notice.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", notice)) == 1  # the 通报 fits on one page
