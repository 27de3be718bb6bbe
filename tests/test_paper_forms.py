"""Forms a clerk prints and a leader signs (R-REP-3, issue 19): each downloaded from the detail page's menu and
re-opened with python-docx — fields filled, the six 不放过 with who confirmed them, signature and seal boxes,
identity and phone numbers masked, and a record out of the user's scope is a 404."""

import io
import shutil
import subprocess

import pytest
from docx import Document

from qicha.clues.models import Clue
from qicha.core.models import AuditEvent
from qicha.problems.models import Problem, Status
from qicha.problems.numbers import format_problem_no

from .clue_helpers import PERSON_ID, act, bring_to, intake

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment")
    return Document(io.BytesIO(response.content))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def cell_after(doc, label: str) -> str:
    """The value cell to the right of a label cell, as a reader finds it."""
    for table in doc.tables:
        for row in table.rows:
            cells = row.cells
            for i, cell in enumerate(cells[:-1]):
                if cell.text == label:
                    return next(c.text for c in cells[i + 1:] if c.text != label)
    raise AssertionError(f"no {label} in the form")


def test_sign_off_form_of_a_closed_problem_names_who_confirmed_the_six_checks(login, demo):
    problem = Problem.objects.filter(status=Status.CLOSED).select_related("sign_off__signed_by").first()
    assert problem is not None, "the demo signs one problem off"
    client = login("office")
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f"/documents/paper/problems/{problem.pk}/sign-off/" in page and "打印表单" in page
    doc = download(client, f"/documents/paper/problems/{problem.pk}/sign-off/")
    text = all_text(doc)
    assert doc.paragraphs[0].text == "问题整改销号审批表"
    assert cell_after(doc, "问题编号") == format_problem_no(problem.pk)
    assert cell_after(doc, "责任单位") == problem.unit.name
    assert cell_after(doc, "问题描述") == problem.description.strip()
    assert cell_after(doc, "整改措施") == (problem.measures.strip() or "—")
    signer = problem.sign_off.signed_by.display_name
    for label in ["问题查清不放过", "整改到位不放过", "责任落实不放过", "群众满意不放过", "漏洞堵住不放过", "短板补齐不放过"]:
        assert cell_after(doc, label).startswith("☑ 是"), label
    assert text.count(signer) >= 6  # who confirmed, on each of the six rows
    assert problem.sign_off.opinion.strip() in cell_after(doc, "销号意见")
    for box in ["责任单位意见", "扫黑办审核意见", "局领导审批意见"]:
        assert "（签字）" in cell_after(doc, box) and "（盖章）" in cell_after(doc, box) and "年" in cell_after(doc, box)
    assert AuditEvent.objects.filter(action="paper", object_id=str(problem.pk)).exists()


def test_open_problem_form_leaves_the_checks_to_be_ticked_and_the_dossier_has_the_timeline(login, demo):
    problem = Problem.objects.exclude(status=Status.CLOSED).first()
    client = login("office")
    doc = download(client, f"/documents/paper/problems/{problem.pk}/sign-off/")
    assert cell_after(doc, "问题查清不放过") == "☐ 是　☐ 否"
    dossier = download(client, f"/documents/paper/problems/{problem.pk}/dossier/")
    text = all_text(dossier)
    assert "问题整改档案" in dossier.paragraphs[0].text and format_problem_no(problem.pk) in dossier.paragraphs[0].text
    assert "处理记录" in text and "附件清单" in text and problem.unit.name in text
    assert "登记" in text  # the timeline starts with the registration


def test_clue_forms_fill_the_clue_and_mask_identity_numbers(login, demo):
    clue = intake(demo, content=f"举报人称被反映人身份证号{PERSON_ID}，电话13912345678，长期把持村务。",
                  reference_no="ZB-7", real_name=True,
                  reporter={"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678"},
                  subjects=[{"kind": "person", "name": "李某某", "id_number": PERSON_ID}])
    clue = bring_to(clue, "closed", result="untrue")
    act(clue, "record_follow_up", "liaison_chengdong", kind="discipline", date=clue.received_date,
        document_no="城东民移〔2026〕9号", note="移送纪委")
    client = login("office")
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    for name in ["assignment", "report", "dossier"]:
        assert f"/documents/paper/clues/{clue.pk}/{name}/" in page
    assignment = download(client, f"/documents/paper/clues/{clue.pk}/assignment/")
    assert assignment.paragraphs[0].text == "涉黑涉恶问题线索交办单"
    assert cell_after(assignment, "线索编号") == "ZB-7"
    assert cell_after(assignment, "承办单位") == "城东区民政局"
    assert "前办结" in cell_after(assignment, "办理时限")
    assert "（签字）" in cell_after(assignment, "承办单位签收") and "（盖章）" in cell_after(assignment, "交办单位意见")
    report = download(client, f"/documents/paper/clues/{clue.pk}/report/")
    assert cell_after(report, "核查结论") == "不属实"
    assert "经核查" in cell_after(report, "核查情况")
    assert "城东民移〔2026〕9号" in cell_after(report, "后续处置")
    assert "表示理解" in cell_after(report, "答复情况")
    assert "办结" in cell_after(report, "办结情况")
    dossier = download(client, f"/documents/paper/clues/{clue.pk}/dossier/")
    for doc in (assignment, report, dossier):
        text = all_text(doc)
        assert PERSON_ID not in text and "13912345678" not in text and "王举报" not in text
        assert PERSON_ID[:6] + "********" + PERSON_ID[-4:] in text  # typed into the content, masked
        assert "139****5678" in text
    assert "办结销号" in all_text(dossier)  # the timeline names the acts


def test_out_of_scope_records_are_404(login, demo, unit):
    clue = bring_to(intake(demo, reference_no="X-1"), "assigned", unit_name="城西区民政局")
    problem = Problem.objects.exclude(unit__path__startswith=unit("城东区民政局").path).first()
    client = login("liaison_chengdong")
    for url in [f"/documents/paper/clues/{clue.pk}/assignment/", f"/documents/paper/clues/{clue.pk}/report/",
                f"/documents/paper/clues/{clue.pk}/dossier/", f"/documents/paper/problems/{problem.pk}/sign-off/",
                f"/documents/paper/problems/{problem.pk}/dossier/",
                f"/documents/paper/urge/{unit('城西区民政局').pk}/"]:
        assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/documents/paper/problems/{problem.pk}/sign-off/").status_code == 404


def test_urge_letter_lists_a_units_overdue_problems_and_clues(login, demo, unit):
    nanshan = unit("南山县民政局")
    from qicha.problems.queries import overdue_q

    overdue = list(Problem.objects.filter(overdue_q(), unit__path__startswith=nanshan.path))
    late_clue = intake(demo, reference_no="CQ-1", days_ago=90)
    bring_to(late_clue, "assigned", unit_name="南山县民政局")
    Clue.objects.filter(pk=late_clue.pk).update(due_date=late_clue.received_date)
    doc = download(login("office"), f"/documents/paper/urge/{nanshan.pk}/")
    text = all_text(doc)
    assert doc.paragraphs[0].text == "督办函"
    assert "南山县民政局：" in text
    assert f"逾期未销号问题{len(overdue)}个" in text if overdue else "逾期未销号问题" not in text
    assert "超期未核查线索1件" in text and "CQ-1" in text
    for p in overdue:
        assert format_problem_no(p.pk) in text
    assert "市民政局扫黑办" in text  # the issuer's proper name, not 局扫黑办


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_forms_render_as_pdf_through_libreoffice(login, demo, tmp_path):
    problem = Problem.objects.filter(status=Status.CLOSED).first()
    response = login("office").get(f"/documents/paper/problems/{problem.pk}/sign-off/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "问题整改销号审批表" in text and "短板补齐不放过" in text


def test_the_ledgers_offer_the_urge_letter_for_the_chosen_unit(login, demo, unit):
    nanshan = unit("南山县民政局")
    office = login("office")
    assert 'data-testid="urge-letter"' not in office.get("/problems/").content.decode()
    for ledger in ("problems", "clues"):
        page = office.get(f"/{ledger}/?unit={nanshan.pk}").content.decode()
        assert f"/documents/paper/urge/{nanshan.pk}/" in page, ledger
    assert 'data-testid="urge-letter"' not in login("liaison_chengdong").get(
        f"/problems/?unit={unit('城东区民政局').pk}").content.decode()
