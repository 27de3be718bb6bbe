"""Excel that prints (issue 19): the wide clue ledger on A3 landscape at a readable scale, page numbers in every
ledger's footer, the issuing unit's proper name in the title, repeats named by 线索编号, and identity and phone
numbers typed into free text masked on export (and on the pages) unless the exporter is entitled and asks."""

from qicha.clues.models import Clue

from .clue_helpers import PERSON_ID, bring_to, intake
from .test_clue_export import REPORTER, data_rows, export

A3_PRINTABLE_MM = 420 - 2 * 0.4 * 25.4  # the sheet's left and right margins are 0.4 inch
CHAR_MM = 7 * 25.4 / 96  # a column width unit is a 7-pixel digit at 96 dpi
MASKED_ID = PERSON_ID[:6] + "********" + PERSON_ID[-4:]


def test_the_clue_ledger_prints_on_a3_landscape_with_page_numbers_at_a_readable_size(login, demo):
    intake(demo, reference_no="E-1")
    sheet = export(login("office"))
    assert sheet.page_setup.paperSize == 8 and sheet.page_setup.orientation == "landscape"  # A3
    # Fit to one page wide (1 is the default, left out of the file), as many pages tall as it takes.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0
    width_mm = sum(sheet.column_dimensions[c].width for c in sheet.column_dimensions) * CHAR_MM
    scale = A3_PRINTABLE_MM / width_mm
    assert scale >= 0.68, f"10 pt type would print at {10 * scale:.1f} pt"  # was 4 pt on A4
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet["A1"].value == "市民政局扫黑办涉黑涉恶线索核查台账"
    assert sheet.print_title_rows == "$3:$4"  # the two header rows repeat on every page


def test_every_ledger_has_page_numbers_in_the_footer(login, demo):
    office = login("office")
    response = office.post("/jobs/export/problems/")
    assert response.status_code == 302
    from qicha.jobs.models import Job

    from .test_ledger_exports import open_result

    sheet = open_result(office, Job.objects.latest("pk"))
    assert sheet.page_setup.paperSize == 9  # A4 is wide enough for the problem ledger
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert sheet["A1"].value.startswith("市民政局扫黑办")


def test_repeats_are_named_by_their_clue_number(login, demo):
    first = intake(demo, reference_no="ZY3-001", content="反映幸福村张某某家有两套房还吃低保", region="城东区新华街道幸福村")
    again = intake(demo, reference_no="12345-0007", content="再次反映幸福村张某某家有两套房还吃低保", region="城东区新华街道幸福村")
    Clue.objects.filter(pk=again.pk).update(repeat_of=first)
    rows = {r[1]: r for r in data_rows(export(login("office")))}
    assert rows["12345-0007"][20] == "重复举报，首次：ZY3-001"
    assert "#" not in rows["12345-0007"][20]
    assert rows["ZY3-001"][20] is None


def test_numbers_in_free_text_are_masked_unless_the_exporter_is_entitled_and_asks(login, demo):
    clue = intake(demo, source="public_report", real_name=True, reporter=REPORTER, reference_no="R-9",
                  content=f"举报人身份证号{PERSON_ID}，联系电话13912345678，反映村干部优亲厚友。")
    bring_to(clue, "verified")
    Clue.objects.filter(pk=clue.pk).update(findings=f"经核实，被反映人手机13800001111，身份证{PERSON_ID}。")
    row = data_rows(export(login("office")))[0]
    assert row[5] == f"举报人身份证号{MASKED_ID}，联系电话139****5678，反映村干部优亲厚友。"
    assert row[14] == f"经核实，被反映人手机138****1111，身份证{MASKED_ID}。"
    liaison = data_rows(export(login("liaison_chengdong")))[0]
    assert PERSON_ID not in liaison[5] and "13912345678" not in liaison[5]
    # The office holds clue.reveal: asked for in clear, with a reason, the text is exported as written.
    clear = data_rows(export(login("office"), data={"reason": "移送公安机关核查"}))[0]
    assert PERSON_ID in clear[5] and "13912345678" in clear[5]
    # The pages mask it the same way.
    page = login("office").get(f"/clues/{clue.pk}/").content.decode()
    assert PERSON_ID not in page and MASKED_ID in page and "139****5678" in page
    assert PERSON_ID not in login("office").get("/clues/").content.decode()
