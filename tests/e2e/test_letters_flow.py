"""In Chromium: the office records an unsigned unit's commitment letter from the board, finds the commitment broken
on a check — which opens a problem on the unit's ledger and an accountability record — and issues a 通报批评 for the
unit whose work lags most (R-SUP-2, R-SUP-4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.orgs.demo import MINIMAL_PDF

pytestmark = pytest.mark.e2e

UNIT = "北湖县民政局"


def test_letter_check_and_accountability(page_for, screenshot, e2e_demo, tmp_path):
    from qicha.problems.models import Problem
    from qicha.supervision.demo import load_sample_letters
    from qicha.supervision.models import Accountability

    load_sample_letters(e2e_demo)
    scan = tmp_path / "北湖县民政局承诺书.pdf"
    scan.write_bytes(MINIMAL_PDF)
    today = timezone.localdate()

    office = page_for("office")
    office.get_by_role("link", name="督导检查").click()
    office.get_by_role("link", name="责任书与承诺书").click()
    office.get_by_test_id("letter-kinds").get_by_role("link", name="承诺书").click()
    assert "13 / 15" in office.get_by_test_id("signed-commitment").inner_text()
    screenshot(office, "50-letter-board")
    office.get_by_test_id("status-filter").get_by_role("link", name="未签订").click()
    row = office.locator(f'tr[data-unit="{UNIT}"]')
    assert "未签订" in row.inner_text()
    row.get_by_test_id("record-letter").click()
    office.fill("#id_signer", "冯光明")
    office.fill("#id_signer_title", "局长")
    office.fill("#id_signed_on", (today - timedelta(days=2)).isoformat())
    office.fill("#id_scope", "本人郑重承诺：切实履行扫黑除恶领导责任，本单位及本人不存在涉黑涉恶问题。")
    office.set_input_files("#id_scan", str(scan))
    screenshot(office, "51-letter-form")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url("**/supervision/letters/*/")
    assert "已登记北湖县民政局" in office.locator(".alert-success").inner_text()
    assert "北湖县民政局承诺书.pdf" in office.get_by_test_id("scan").inner_text()

    office.fill("#id_checked_by", "局扫黑办 王扫黑")
    office.fill("#id_method", "个别谈话、查阅台账")
    office.check("input[name=result][value=broken]")
    office.fill("#id_findings", "该局主要负责人干预村“两委”换届候选人联审，违反承诺。")
    office.fill("#id_description", "干预村“两委”换届候选人县级联审。")
    office.fill("#id_measures", "立即纠正，重新组织联审。")
    office.fill("#id_deadline", (today + timedelta(days=10)).isoformat())
    office.select_option("#id_form", "admonition")
    office.fill("#id_decision_no", f"民扫办〔{today.year}〕31号")
    office.fill("#id_decided_on", today.isoformat())
    office.get_by_role("button", name="保存检查记录").click()
    office.wait_for_url("**/supervision/letters/*/")
    assert "已登记问题" in office.locator(".alert-success").inner_text()
    checks = office.get_by_test_id("checks")
    assert "违反承诺" in checks.inner_text() and "诫勉谈话" in checks.inner_text()
    screenshot(office, "52-letter-detail")
    problem = Problem.objects.get(description="干预村“两委”换届候选人县级联审。")
    assert problem.source == "inspection" and problem.unit.name == UNIT

    # The problem is on the district's ledger.
    liaison = page_for("liaison_beihu")
    liaison.goto(office.url.split("/supervision/")[0] + f"/problems/{problem.pk}/")
    assert "干预村“两委”换届候选人县级联审" in liaison.content()

    office.get_by_role("link", name="诫勉谈话").click()
    assert f"民扫办〔{today.year}〕31号" in office.get_by_test_id("decision-no").inner_text()
    assert str(problem.pk) in office.get_by_test_id("linked-problems").inner_text()
    screenshot(office, "53-accountability-detail")

    office.get_by_role("link", name="问责追责").click()
    assert office.get_by_test_id("total").inner_text().strip() == "2"
    lagging = office.get_by_test_id("lagging-units")
    assert "南山县民政局" in lagging.inner_text()
    screenshot(office, "54-accountability")
    lagging.locator('[data-unit="南山县民政局"]').get_by_test_id("criticise").click()
    assert "整改工作推动不力" in office.input_value("#id_facts")
    office.fill("#id_decision_no", f"民扫办〔{today.year}〕32号")
    screenshot(office, "55-accountability-form")
    office.get_by_role("button", name="保存").click()
    office.wait_for_url("**/supervision/accountability/*/")
    record = Accountability.objects.get(decision_no=f"民扫办〔{today.year}〕32号")
    assert (record.failing, record.form, record.unit.name) == ("poor_progress", "criticism", "南山县民政局")
    assert record.problems.count() == 1
    office.get_by_role("link", name="问责追责").click()
    assert "已通报" in office.get_by_test_id("lagging-units").inner_text()
    screenshot(office, "56-accountability-after")
