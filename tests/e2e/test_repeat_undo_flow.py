"""In Chromium (issue 20): a report linked by its identity number to a matter closed as 不属实, and so escalated, is
about something else; the office unlinks it and the clue is back where it was, unassigned, the re-review kept as
withdrawn."""

import pytest

from ..clue_helpers import PERSON_ID, bring_to, intake

pytestmark = pytest.mark.e2e


def test_office_undoes_a_mistaken_escalation(page_for, screenshot, live_server, e2e_demo):
    person = [{"kind": "person", "name": "张国强", "id_number": PERSON_ID}]
    bring_to(intake(e2e_demo, days_ago=30, subjects=person), "closed", result="untrue", handler="handler")
    mistaken = intake(e2e_demo, source="public_report", domain="funeral", subjects=person,
                      content="张国强开的殡葬用品店强买强卖，一个骨灰盒卖两万。")
    office = page_for("office")
    office.goto(f"{live_server.url}/clues/{mistaken.pk}/")
    assert office.get_by_test_id("escalated").is_visible()
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_test_id("unlink").click()
    office.wait_for_selector('[data-testid="withdrawn"]')
    assert "该关联引起的提级复核已撤销，线索恢复为“待分办”" in office.content()
    assert office.get_by_test_id("escalated").count() == 0
    assert office.get_by_test_id("assign-form").is_visible()  # the office assigns it as a new matter
    screenshot(office, "clue-escalation-withdrawn")


def test_office_names_the_matter_of_a_call_the_matcher_could_not_see(page_for, screenshot, live_server, e2e_demo):
    letter = bring_to(intake(e2e_demo, days_ago=30, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "刘国栋"}],
                             content="幸福村刘国栋在河滩上挖沙卖，夜里大车来回跑，堤都挖空了。"), "closed", result="untrue",
                      handler="handler")
    call = intake(e2e_demo, source="public_report", region="", content="来电：北边河套那个挖坑的又开工了，谁来管管。")
    office = page_for("office")
    office.goto(f"{live_server.url}/clues/{call.pk}/")
    form = office.get_by_test_id("same-matter-form")
    form.locator("input[name=other]").fill("abc")
    office.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="认定为同一事项").click()
    office.wait_for_selector(".alert")
    assert "线索编号“abc”有误" in office.content()
    form = office.get_by_test_id("same-matter-form")
    form.locator("input[name=other]").fill(f"#{letter.pk}")
    office.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="认定为同一事项").click()
    office.wait_for_selector('[data-testid="escalated"]')
    assert "已认定为同一事项" in office.content() and "新的举报已转提级复核" in office.content()
    assert office.get_by_test_id("unlink").is_visible()  # and the office can take it back
    screenshot(office, "clue-named-same-matter")


def test_office_confirms_a_call_naming_only_the_surname_from_the_same_subject_list(page_for, screenshot, live_server,
                                                                                   e2e_demo):
    letter = bring_to(intake(e2e_demo, days_ago=30, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "李建国"}],
                             content="幸福村党支部书记李建国把村里的鱼塘私自包给他小舅子，一包二十年，租金一分没进村集体账户。"),
                      "closed", result="untrue", handler="handler")
    call = intake(e2e_demo, source="public_report", region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "老李"}],
                  content="来电：老李把公家的塘给了自家亲戚，群众有意见。")
    office = page_for("office")
    office.goto(f"{live_server.url}/clues/{call.pk}/")
    listed = office.get_by_test_id("same-subject")
    assert "同乡镇（村）同姓，其中一方仅给出姓氏" in listed.inner_text()
    assert office.get_by_test_id("candidates").count() == 0  # no candidate: the list is context the office reads
    screenshot(office, "clue-same-subject-list")
    office.once("dialog", lambda dialog: dialog.accept())
    listed.locator("li", has_text=f"#{letter.pk}").get_by_role("button", name="是同一事项").click()
    office.wait_for_selector('[data-testid="escalated"]')
    assert "已认定为同一事项" in office.content() and "新的举报已转提级复核" in office.content()
    screenshot(office, "clue-same-subject-surname")
