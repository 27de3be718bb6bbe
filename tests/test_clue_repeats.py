"""R-CLU-4: repeat reports recognised at intake and linked; an untrue matter reported again goes to 提级复核."""

import pytest
from django.utils import timezone

from qicha.clues.models import CandidateDecision, Clue, RepeatCandidate, Status
from qicha.core.models import AuditEvent

from .clue_helpers import PERSON_ID, act, bring_to, intake

FIRST_REPORT = ("群众反映城东区幸福村村委会主任李某利用职务便利，2024年起将其弟弟李某某一家四口违规纳入低保，"
                "家中有两套房和一辆小轿车，每月领取低保金2400元。")
REWORDED = "有人举报幸福村主任李某优亲厚友，他弟弟一家有两套房还开小轿车，却从2024年开始吃低保，每个月拿2400元。"


STOCK_COMPLAINTS = (
    "村干部优亲厚友，把不符合条件的亲戚评上低保，群众意见很大。",
    "有人在河道非法采砂，晚上挖砂船作业，河堤被挖塌了。",
    "工地老板拖欠农民工工资，找他要钱就叫人打人。",
    "殡葬服务公司强制消费，骨灰盒卖得很贵，不买不让火化。",
    "村里修路的钱不知去向，账目不公开。",
    "物业公司强收停车费，不交就锁车，还打业主。",
)


def person(number=PERSON_ID, name="张国强"):
    return [{"kind": "person", "name": name, "id_number": number}]


def test_same_person_by_15_and_18_digit_numbers_links_at_once(demo):
    first = intake(demo, subjects=person())
    old_style = PERSON_ID[:6] + PERSON_ID[8:17]  # the 15-digit number the same person held before 1999
    second = intake(demo, source="public_report", content="举报某人冒领低保金", subjects=person(old_style))
    candidate = RepeatCandidate.objects.get(clue=second)
    assert candidate.earlier_id == first.pk and candidate.decision == CandidateDecision.LINKED
    assert candidate.reasons[0]["label"] == "同一身份证号" and candidate.reasons[0]["exact"]
    assert second.repeat_of_id == first.pk
    assert AuditEvent.objects.filter(action="link_repeat", object_id=str(second.pk)).exists()


def test_full_width_digits_are_the_same_number(demo):
    first = intake(demo, subjects=person())
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in PERSON_ID)
    second = intake(demo, content="另一举报", subjects=person(full_width))
    assert second.repeat_of_id == first.pk


def test_reworded_report_is_a_candidate_for_the_office_to_decide(api, demo):
    first = intake(demo, content=FIRST_REPORT)
    second = intake(demo, source="public_report", content=REWORDED)
    candidate = RepeatCandidate.objects.get(clue=second)
    assert candidate.earlier_id == first.pk and candidate.decision == CandidateDecision.PENDING
    assert candidate.reasons[0]["code"] == "content" and not candidate.reasons[0]["exact"]
    assert second.repeat_of_id is None
    data = api("office").get(f"/api/v1/clues/{second.pk}").json()
    assert data["repeat_candidates"][0]["id"] == first.pk and "内容相似" in data["repeat_candidates"][0]["reason"]
    linked = api("office").post(f"/api/v1/clues/{second.pk}/repeat-candidates/{candidate.pk}", {"decision": "link"},
                                content_type="application/json")
    assert linked.status_code == 200 and linked.json()["repeat_of"] == first.pk
    again = api("office").post(f"/api/v1/clues/{second.pk}/repeat-candidates/{candidate.pk}", {"decision": "dismiss"},
                               content_type="application/json")
    assert again.status_code == 422


def test_unrelated_report_on_the_same_village_is_not_a_candidate(demo):
    intake(demo, content="幸福村村委会主任李某违规为亲属办理低保。")
    other = intake(demo, content="幸福村公墓管理混乱，有人违规修建超标墓穴并收取高额费用。", domain="funeral")
    assert not RepeatCandidate.objects.filter(clue=other).exists()


def test_dismissing_a_candidate_keeps_the_clue_apart(api, demo):
    intake(demo, content=FIRST_REPORT)
    second = intake(demo, content=REWORDED)
    candidate = RepeatCandidate.objects.get(clue=second)
    assert api("liaison_chengdong").post(f"/api/v1/clues/{second.pk}/repeat-candidates/{candidate.pk}",
                                         {"decision": "dismiss"}, content_type="application/json").status_code == 404
    response = api("office").post(f"/api/v1/clues/{second.pk}/repeat-candidates/{candidate.pk}",
                                  {"decision": "dismiss"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["repeat_of"] is None
    assert RepeatCandidate.objects.get(pk=candidate.pk).decision == CandidateDecision.DISMISSED


def test_untrue_matter_reported_again_goes_to_escalated_re_review(api, demo, user):
    first = bring_to(intake(demo, source="public_report", real_name=True, subjects=person(),
                            reporter={"name": "王举报", "phone": "13900001111"}), "closed", result="untrue")
    assert first.result == "untrue" and first.status == Status.CLOSED
    response = api("office").post("/api/v1/clues", {
        "campaign": demo.pk, "source": "public_report", "received_date": timezone.localdate().isoformat(),
        "content": "再次举报张国强冒领低保，之前的核查走过场", "domain": "subsistence", "region": "城东区新华街道幸福村",
        "real_name": True, "reporter": {"name": "王举报", "phone": "13900001111"},
        "subjects": [{"name": "张国强", "id_number": PERSON_ID}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "escalated" and data["repeat_of"] == first.pk and data["repeat_count"] == 2
    assert "已核查为不属实" in data["re_reviews"][0]["reason"]
    second = Clue.objects.get(pk=data["id"])
    # The higher office re-reviews; its result stands; the family is answered and soothed; then 销号.
    reviewed = api("office").post(f"/api/v1/clues/{second.pk}/actions/record_review",
                                  {"result": "unfounded", "findings": "市局提级复核，调取银行流水，未发现冒领"},
                                  content_type="application/json").json()
    assert reviewed["status"] == "verified" and reviewed["result"] == "unfounded"
    assert reviewed["re_reviews"][0]["result"] == "unfounded"
    assert second.unit_id == first.unit_id  # the unit that handled the matter answers the family
    refused = api("office").post(f"/api/v1/clues/{second.pk}/actions/close", {}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["details"] == {"reply": "实名举报尚未答复"}
    act(second, "record_reply", "liaison_chengdong", date=timezone.localdate(), channel="in_person",
        reporter_response="家属表示接受复核结论", soothing="街道、村干部上门走访，做好情绪安抚")
    closed = api("office").post(f"/api/v1/clues/{second.pk}/actions/close", {}, content_type="application/json").json()
    assert closed["status"] == "closed"
    assert closed["replies"][0]["soothing"] == "街道、村干部上门走访，做好情绪安抚"
    assert user("office").pk  # the whole path ran as the people who would do it


def test_escalation_detail_page_shows_reasons_and_re_review(login, demo):
    bring_to(intake(demo, subjects=person()), "verified", result="untrue")
    second = intake(demo, source="public_report", content="重复举报", subjects=person())
    html = login("office").get(f"/clues/{second.pk}/").content.decode()
    assert 'data-testid="escalated"' in html and "提级复核中" in html
    assert "同一身份证号" in html and "同一事项第 2 次反映" in html
    assert "提交复核结论" in html
    # The only figure beside the reasons is the content similarity; an identity number alone shows none.
    assert "<th>内容相似度</th>" in html and 'title="内容不是依据"' in html


def test_office_can_undo_an_automatic_link(api, demo):
    first = intake(demo, subjects=person())
    other_matter = intake(demo, content="同一人另案：殡葬服务乱收费", domain="funeral", subjects=person())
    assert other_matter.repeat_of_id == first.pk
    assert api("liaison_chengdong").post(f"/api/v1/clues/{other_matter.pk}/unlink-repeat").status_code == 404
    data = api("office").post(f"/api/v1/clues/{other_matter.pk}/unlink-repeat").json()
    assert data["repeat_of"] is None and data["repeat_candidates"][0]["decision"] == "dismissed"
    assert api("office").post(f"/api/v1/clues/{other_matter.pk}/unlink-repeat").status_code == 422


def test_escalated_repeat_goes_to_the_unit_but_not_the_disputed_handler(demo):
    bring_to(intake(demo, subjects=person()), "closed", result="untrue", handler="handler")
    again = intake(demo, source="public_report", content="再次举报", subjects=person())
    assert again.status == Status.ESCALATED
    assert again.unit.name == "城东区民政局" and again.handler_id is None
    linked_only = intake(demo, content="未核查事项的重复", subjects=person("110105198001011254"))
    assert linked_only.unit_id is None  # not escalated: the office assigns it as usual


def test_a_liaison_cannot_probe_other_units_clues_through_repeat_matching(api, demo):
    first = bring_to(intake(demo, subjects=person()), "closed", result="untrue")  # 城东's matter
    response = api("liaison_chengxi").post("/api/v1/clues", {
        "campaign": demo.pk, "source": "proactive", "received_date": timezone.localdate().isoformat(),
        "content": "排查发现张国强冒领低保", "domain": "subsistence", "subjects": [{"name": "张国强", "id_number": PERSON_ID}],
    }, content_type="application/json").json()
    assert response["status"] == "received" and response["repeat_of"] is None and response["repeat_count"] == 1
    assert response["repeat_candidates"] == [] and str(first.pk) not in str(response["re_reviews"])
    # The office sees the exact match waiting for its decision, and linking it escalates as usual.
    office = api("office").get(f"/api/v1/clues/{response['id']}").json()
    candidate = office["repeat_candidates"][0]
    assert candidate["id"] == first.pk and candidate["decision"] == "pending"
    linked = api("office").post(f"/api/v1/clues/{response['id']}/repeat-candidates/{candidate['candidate_id']}",
                                {"decision": "link"}, content_type="application/json").json()
    assert linked["status"] == "escalated"
    seen_by_chengxi = api("liaison_chengxi").get(f"/api/v1/clues/{response['id']}").json()
    assert seen_by_chengxi["repeat_of"] is None and f"#{first.pk}" not in str(seen_by_chengxi)


def test_two_link_decisions_at_once_leave_one(demo, user):
    from qicha.clues.services import decide_candidate
    from qicha.core.errors import Conflict

    a = intake(demo, content=FIRST_REPORT)
    b = intake(demo, content=FIRST_REPORT + "另一份")
    later = intake(demo, content=REWORDED)
    candidates = {c.earlier_id: c for c in RepeatCandidate.objects.filter(clue=later)}
    first_view, second_view = Clue.objects.get(pk=later.pk), Clue.objects.get(pk=later.pk)
    decide_candidate(user("office"), first_view, candidates[a.pk].pk, link=True)
    with pytest.raises(Conflict):
        decide_candidate(user("office"), second_view, candidates[b.pk].pk, link=True)
    assert Clue.objects.get(pk=later.pk).repeat_of_id == a.pk
    assert RepeatCandidate.objects.get(pk=candidates[b.pk].pk).decision == "pending"


# --- issue 20 -------------------------------------------------------------------------------------------------

CODE = "91110102MA01AB3C4W"
FUNERAL = ("安康殡葬服务有限公司把持几家医院的太平间，家属不用他们的灵车和寿衣就不让把遗体拉走，"
           "一套寿衣收六千多，骨灰盒也要两万。")


def org(name, code=CODE):
    return [{"kind": "organisation", "name": name, "credit_code": code}]


def test_same_credit_code_links_at_once_only_for_the_same_text_and_is_put_to_the_office_when_it_agrees(demo):
    first = intake(demo, content=FUNERAL, domain="funeral", region="城东区红旗街道", subjects=org("城东区安康殡葬服务有限公司"))
    # The same letter registered again (sent to two bodies): linked at once.
    twice = intake(demo, source="public_report", domain="funeral", region="城东区红旗街道",
                   subjects=org("安康殡葬服务有限公司"), content=FUNERAL)
    assert twice.repeat_of_id == first.pk
    assert RepeatCandidate.objects.get(clue=twice).reasons[0]["label"] == "同一统一社会信用代码且内容几乎相同"
    # Reworded: the content agrees, but one firm's reports of other matters agree as much: the office decides.
    again = intake(demo, source="public_report", domain="funeral", region="红旗街道", subjects=org("安康殡葬公司"),
                   content="医院太平间被安康殡葬公司垄断，寿衣六千多一套，不买他们的灵车就不让拉遗体。")
    assert again.repeat_of_id is None
    candidate = RepeatCandidate.objects.get(clue=again, earlier=first)
    assert candidate.decision == CandidateDecision.PENDING
    assert candidate.reasons[0]["label"] == "同一统一社会信用代码且内容相符，请确认是否同一事项"
    # The same company reported for another matter: neither linked nor put to the office (one company, many
    # matters); with the wording agreeing in part, a candidate for the office, not a link.
    wages = intake(demo, source="public_report", domain="funeral", region="城东区红旗街道", subjects=org("安康殡葬服务有限公司"),
                   content="这家公司拖欠我们几个司机三个月工资，一共四万多，老板一直躲着不见人。")
    assert wages.repeat_of_id is None and not RepeatCandidate.objects.filter(clue=wages).exists()
    shroud = intake(demo, source="public_report", domain="funeral", region="城东区", subjects=org("安康殡葬服务有限公司"),
                    content="安康殡葬的人守在医院门口拉生意，寿衣一套六千多。")
    assert shroud.repeat_of_id is None
    candidates = RepeatCandidate.objects.filter(clue=shroud)
    assert candidates and {c.earlier_id for c in candidates} <= {first.pk, again.pk}
    assert all(c.decision == CandidateDecision.PENDING and not any(r["exact"] for r in c.reasons) for c in candidates)
    assert any("内容部分相符" in r["label"] for c in candidates for r in c.reasons)


def test_a_matter_closed_as_untrue_comes_back_under_a_title_and_reaches_the_office(api, demo):
    first = bring_to(intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "李建国"}],
                            content="幸福村村委会主任李建国2023年把亲弟弟一家四口弄进了低保，他弟弟在县城有门面房出租，"
                                    "还开着一辆越野车，评议会上没人敢吭声。"), "closed", result="untrue")
    again = intake(demo, source="public_report", region="幸福村", subjects=[{"kind": "person", "name": "李主任"}],
                   content="热线来电：幸福村李主任给他弟弟一家办低保，他弟弟家有门面房还有越野车。")
    candidate = RepeatCandidate.objects.get(clue=again)
    assert candidate.earlier_id == first.pk and candidate.decision == CandidateDecision.PENDING
    labels = [r["label"] for r in candidate.reasons]
    assert labels[0] == "被反映人同姓且职务相同（主任），同村（社区）" and labels[1].startswith("内容相似度 0.")
    # One figure: the page and the API show the content similarity the reason states, and the place is said once.
    figure = f"{candidate.content_similarity:.2f}"
    assert labels[1].startswith(f"内容相似度 {figure}：") and "同村" not in labels[1]
    shown = api("office").get(f"/api/v1/clues/{again.pk}").json()["repeat_candidates"][0]
    assert shown["content_similarity"] == candidate.content_similarity
    linked = api("office").post(f"/api/v1/clues/{again.pk}/repeat-candidates/{candidate.pk}", {"decision": "link"},
                                content_type="application/json").json()
    assert linked["repeat_of"] == first.pk and linked["status"] == "escalated"


def test_office_merges_two_matters_under_the_earlier_one(api, demo):
    first = intake(demo, days_ago=9, subjects=person())
    first_repeat = intake(demo, days_ago=8, content="同一人再次被举报", subjects=person())
    other = intake(demo, days_ago=3, content="另一来源：城西某公墓高价卖墓", domain="funeral", region="城西区")
    other_repeat = intake(demo, days_ago=2, content="另一来源：城西某公墓高价卖墓，一个穴八万", domain="funeral",
                          region="城西区")
    candidate = RepeatCandidate.objects.get(clue=other_repeat, earlier=other)
    api("office").post(f"/api/v1/clues/{other_repeat.pk}/repeat-candidates/{candidate.pk}", {"decision": "link"},
                       content_type="application/json")
    assert first_repeat.repeat_of_id == first.pk and Clue.objects.get(pk=other_repeat.pk).repeat_of_id == other.pk
    assert api("liaison_chengdong").post(f"/api/v1/clues/{other_repeat.pk}/merge-matter", {"other": first.pk},
                                         content_type="application/json").status_code == 404
    merged = api("office").post(f"/api/v1/clues/{other_repeat.pk}/merge-matter", {"other": first_repeat.pk},
                                content_type="application/json")
    assert merged.status_code == 200 and merged.json()["repeat_of"] == first.pk
    assert set(Clue.objects.filter(repeat_of=first).values_list("pk", flat=True)) == {
        first_repeat.pk, other.pk, other_repeat.pk}
    events = AuditEvent.objects.filter(action="merge_matters")
    assert {e.object_id for e in events} == {str(other.pk), str(other_repeat.pk)}
    again = api("office").post(f"/api/v1/clues/{other.pk}/merge-matter", {"other": first.pk},
                               content_type="application/json")
    assert again.status_code == 422 and "同一事项" in again.json()["message"]


def test_office_splits_the_first_report_out_of_its_matter(api, demo):
    first = intake(demo, days_ago=9, subjects=person())
    second = intake(demo, days_ago=8, content="同一人再次被举报", subjects=person())
    third = intake(demo, days_ago=7, content="同一人第三次被举报", subjects=person())
    assert second.repeat_of_id == first.pk and third.repeat_of_id == first.pk
    data = api("office").post(f"/api/v1/clues/{first.pk}/unlink-repeat").json()
    assert data["repeat_of"] is None and data["repeat_count"] == 1
    assert Clue.objects.get(pk=second.pk).repeat_of_id is None
    assert Clue.objects.get(pk=third.pk).repeat_of_id == second.pk
    assert RepeatCandidate.objects.get(clue=second, earlier=first).decision == CandidateDecision.DISMISSED
    assert AuditEvent.objects.filter(action="merge_matters", object_id=str(third.pk)).exists()


def test_a_report_matching_two_matters_offers_to_merge_them_on_its_page(login, demo):
    first = intake(demo, days_ago=9, subjects=person())
    other = intake(demo, days_ago=5, content=FIRST_REPORT)
    later = intake(demo, days_ago=1, content=REWORDED, subjects=person())  # linked to `first`, candidate of `other`
    assert later.repeat_of_id == first.pk
    page = login("office").get(f"/clues/{later.pk}/").content.decode()
    assert 'data-testid="merge"' in page and f'name="other" value="{other.pk}"' in page
    response = login("office").post(f"/clues/{later.pk}/merge/", {"other": other.pk})
    assert response.status_code == 302
    assert Clue.objects.get(pk=other.pk).repeat_of_id == first.pk
    assert 'data-testid="split"' in login("office").get(f"/clues/{first.pk}/").content.decode()


def test_a_post_at_the_township_finds_the_named_person_of_one_of_its_villages(demo):
    # The letter names the person and the village; the hotline call gives the surname, the post and the township.
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "孟庆丰"}],
                    content="幸福村村委会主任孟庆丰把光伏扶贫电站的收益拿去给自家承包的鱼塘修路，三年挪用二十多万元。")
    namesake = intake(demo, region="城东区新华街道和平村", subjects=[{"kind": "person", "name": "孟建华"}],
                      content="和平村孟建华在河边私设砂场，向拉沙车强收过路费。")
    call = intake(demo, source="public_report", region="新华街道", subjects=[{"kind": "person", "name": "孟主任"}],
                  content="新华街道孟主任挪用光伏电站收益，二十多万，贫困户一分钱没分到。")
    candidates = {c.earlier_id: c for c in RepeatCandidate.objects.filter(clue=call)}
    assert set(candidates) == {letter.pk}
    assert candidates[letter.pk].reasons[0]["label"] == "被反映人同姓且职务相同（主任），同乡镇（街道）"
    assert namesake.pk not in candidates


def test_the_same_complaint_about_another_named_person_of_the_township_is_no_candidate(demo):
    first = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "蒋立平"}],
                   content="新华街道支书蒋立平把低保给了自己的亲家和弟媳，两家都开店，真正困难的老人评不上。")
    other = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "万德明"}],
                   content="新华街道万德明优亲厚友，弟媳吃低保，困难户评不上。")
    # The same surname: perhaps the same man written wrong, so the wording as the township asks it still decides.
    namesake = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "蒋德明"}],
                      content="新华街道蒋德明优亲厚友，弟媳吃低保，困难户评不上。")
    assert not RepeatCandidate.objects.filter(clue=other, earlier=first).exists()
    reasons = RepeatCandidate.objects.get(clue=namesake, earlier=first).reasons
    assert reasons[0]["code"] == "content" and reasons[0]["label"].endswith("且同乡镇（街道）")


def test_a_report_filed_under_the_district_meets_the_village_its_text_names(demo):
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "吕永庆"}],
                    content="幸福村会计吕永庆把修水渠的钱挪去放贷，村民问账目他就骂人。")
    summary = intake(demo, region="城东区", subjects=[{"kind": "person", "name": "吕勇庆"}],
                     content="幸福村修渠款被会计挪用，经手人吕勇庆，请核查。")
    reasons = RepeatCandidate.objects.get(clue=summary, earlier=letter).reasons
    assert reasons[0]["label"] == "被反映人姓名同音且同村（社区）"


def test_the_page_lists_the_same_companys_other_matters_as_context_not_as_candidates(login, demo):
    first = intake(demo, content=FUNERAL, domain="funeral", region="城东区红旗街道", subjects=org("城东区安康殡葬服务有限公司"))
    wages = intake(demo, source="public_report", domain="funeral", region="城东区红旗街道", subjects=org("安康殡葬服务有限公司"),
                   content="这家公司拖欠我们几个司机三个月工资，一共四万多，老板一直躲着不见人。")
    unrelated = intake(demo, domain="funeral", region="城东区红旗街道", subjects=org("福寿园陵园有限公司", ""),
                       content="福寿园陵园墓穴价格一年涨了三倍。")
    assert not RepeatCandidate.objects.filter(clue=wages).exists()
    page = login("office").get(f"/clues/{wages.pk}/").content.decode()
    listed = page.split('data-testid="same-subject"')[1].split("</ul>")[0]
    assert "同一单位/同一被反映人的其他线索" in page
    assert f"/clues/{first.pk}/" in listed and f"/clues/{unrelated.pk}/" not in listed
    assert 'data-testid="candidates"' not in page


def test_the_page_lists_a_person_given_by_surname_only_beside_the_same_surname_of_the_village(login, demo):
    # The letter names the village head in full; the hotline line only as 老李, in words the letter hardly shares:
    # no candidate, but the office is shown the letter beside it, tier after tier, and can say it is the same matter.
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "李建国"}],
                    content="幸福村党支部书记李建国把村里的鱼塘私自包给他小舅子，一包二十年，租金一分没进村集体账户。")
    other_town = intake(demo, region="城东区红旗街道光明村", subjects=[{"kind": "person", "name": "李建军"}],
                        content="光明村李建军开的小卖部卖过期食品。")
    hotline = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "老李"}],
                     content="来电：老李把公家的塘给了自家亲戚，群众有意见。")
    assert not RepeatCandidate.objects.filter(clue=hotline).exists()
    page = login("office").get(f"/clues/{hotline.pk}/").content.decode()
    listed = page.split('data-testid="same-subject"')[1].split("</ul>")[0]
    assert f"/clues/{letter.pk}/" in listed and f"/clues/{other_town.pk}/" not in listed
    assert "同乡镇（村）同姓，其中一方仅给出姓氏" in listed and "是同一事项" in listed
    response = login("office").post(f"/clues/{hotline.pk}/merge/", {"other": letter.pk}, follow=True)
    assert "已认定为同一事项" in response.content.decode()
    hotline.refresh_from_db()
    assert hotline.repeat_of_id == letter.pk


def test_a_liaison_is_not_shown_another_units_clues_about_the_same_company(login, demo):
    first = intake(demo, content=FUNERAL, domain="funeral", region="城东区红旗街道", subjects=org("城东区安康殡葬服务有限公司"))
    wages = intake(demo, by="liaison_chengxi", source="proactive", domain="funeral", region="城西区",
                   subjects=org("安康殡葬服务有限公司"), content="这家公司拖欠我们几个司机三个月工资，一共四万多，老板一直躲着不见人。")
    assert f"/clues/{first.pk}/" in login("office").get(f"/clues/{wages.pk}/").content.decode()
    page = login("liaison_chengxi").get(f"/clues/{wages.pk}/")
    assert page.status_code == 200 and f"/clues/{first.pk}/" not in page.content.decode()


def test_intake_finds_a_nickname_by_a_given_name_character_and_a_surname_with_its_post_in_the_county(demo):
    # The keyed digests at intake, as similarity.compare on clear keys (tests/test_clue_similarity_forms.py).
    letter = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "尤文斌"}],
                    content="新华街道尤文斌在菜市场后面开地下赌场，每晚几十人赌牌九，抽头渔利，输了钱的被逼着写借条。")
    call = intake(demo, source="public_report", region="新华街道", subjects=[{"kind": "person", "name": "斌哥"}],
                  content="新华斌哥开地下赌场，输了钱的被逼写借条。")
    found = RepeatCandidate.objects.get(clue=call)
    assert found.earlier_id == letter.pk and found.reasons[0]["code"] == "nickname"
    # Another full name sharing the character is not reached through its forms.
    other = intake(demo, source="public_report", region="城东区新华街道", subjects=[{"kind": "person", "name": "鲁志斌"}],
                   content="鲁志斌占了河滩种菜，不让别人放牛。")
    assert not RepeatCandidate.objects.filter(clue=other, earlier=letter).exists()
    station = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "黄卫东"}],
                     content="城东区治超站副站长黄卫东收货车司机的钱，超载车给两百块就放行，不给就罚两千。")
    by_post = intake(demo, source="public_report", region="城东区", subjects=[{"kind": "person", "name": "黄副站长"}],
                     content="治超站的黄副站长收钱放超载车，给两百就放行，不给钱就重罚。")
    codes = {r["code"] for c in RepeatCandidate.objects.filter(clue=by_post, earlier=station) for r in c.reasons}
    assert "surname" in codes


def test_intake_finds_a_summary_naming_no_one_by_its_kind_of_problem_and_a_village_post_below_the_wording(demo):
    # Both rules make candidates from the same village below what the village asks of the wording alone: intake
    # looks for them by the kind of problem or the post the two share, not only by the wording.
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "孔德顺"}],
                    content="幸福村河段天天晚上有人偷采河沙，几条抽沙船从半夜干到天亮，河堤都被挖塌了。领头的叫孔德顺。")
    elsewhere = intake(demo, region="城东区新华街道和平村", subjects=[],
                       content="和平村河道有人偷采河沙，抽沙船晚上作业。")
    summary = intake(demo, source="public_report", region="城东区", subjects=[],
                     content="来电人反映：新华街道幸福村有人非法采砂，河堤坍塌，请水务部门查处。")
    candidates = {c.earlier_id: c for c in RepeatCandidate.objects.filter(clue=summary)}
    assert candidates[letter.pk].reasons[0]["code"] == "problem"
    assert elsewhere.pk not in candidates
    holder = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "柏玉兰"}],
                    content="幸福村会计柏玉兰把她娘家哥哥、她婆婆都报成低保户，她哥家有两辆货车。真正困难的老人评不上。")
    call = intake(demo, source="public_report", region="城东区新华街道", subjects=[{"kind": "person", "name": "村会计"}],
                  content="来电人称：幸福村村会计给亲戚违规办低保，要求核查。")
    assert RepeatCandidate.objects.get(clue=call, earlier=holder).reasons[0]["code"] == "post"


def test_intake_meets_a_person_across_a_report_that_gives_no_place_both_ways(demo):
    # A note with no place is looked up by the people it gives against every clue, and a clue with a place against
    # the notes with none (MatchKey kinds names_anywhere / unplaced), as similarity.compare finds them.
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "王德明"}],
                    content="幸福村党支部书记王德明把低保名额给了自己的弟弟和儿媳，他弟弟在县城有门面有车，困难户申请三回都评不上。")
    note = intake(demo, source="public_report", region="", subjects=[{"kind": "person", "name": "王书记"}],
                  content="王书记把低保给了自己弟弟和儿媳，真正困难的评不上，请查。")
    assert "name_anywhere" in {r["code"] for r in RepeatCandidate.objects.get(clue=note, earlier=letter).reasons}
    call = intake(demo, source="public_report", region="城东区新华街道", subjects=[{"kind": "person", "name": "王某明"}],
                  content="来电人反映：王某明把低保给了自己弟弟和儿媳，困难户评不上，请核查。")
    assert note.pk in set(RepeatCandidate.objects.filter(clue=call).values_list("earlier_id", flat=True))


def test_intake_meets_a_surname_given_alone_where_only_the_county_is_common_both_ways(demo):
    # 李老大 of a report giving only the district and 李正荣 of one giving the village: found by the wording and
    # the marker of the people each gives (similarity.surname_wide_markers), whichever came first.
    letter = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "李正荣"}],
                    content="幸福村的李正荣两兄弟仗着家里人多，强行占了我们组三户人家的承包地种烤烟，拿承包证给他看他也不认，"
                            "还把去理论的人打伤了。")
    note = intake(demo, source="public_report", region="城东区", subjects=[{"kind": "person", "name": "李老大"}],
                  content="李老大一家在村里横，占了别人的承包地种烟，谁说就打谁。")
    reasons = RepeatCandidate.objects.get(clue=note, earlier=letter).reasons
    assert reasons[0]["code"] == "surname" and "同区县" in reasons[0]["label"]
    # The other way round: the surname given alone first, the full name after it.
    first = intake(demo, source="public_report", region="城东区", subjects=[{"kind": "person", "name": "陈老三"}],
                   content="陈老三在河边挖沙卖，晚上拉沙车来来回回，河堤都挖垮了，没人敢管。")
    later = intake(demo, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "陈世友"}],
                   content="幸福村的陈世友用两台挖机在河滩上挖沙卖，夜里拉沙车一趟接一趟，河堤被挖垮了一段，"
                           "村民去拦被他的人打了。")
    assert RepeatCandidate.objects.get(clue=later, earlier=first).reasons[0]["code"] == "surname"


def test_intake_meets_a_nickname_with_what_a_full_name_is_called_where_one_gives_no_place_both_ways(demo):
    # 强哥 of a note giving no place and 熊志强 of a letter from the township: met by the wording and the marker of
    # the people each gives (similarity.forms_markers), whichever came first.
    letter = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "熊志强"}],
                    content="新华街道卫生院门口的医托是一伙人，头子叫熊志强，专门把看病的老人拉去私人诊所，一次检查收好几千。")
    note = intake(demo, source="public_report", region="", subjects=[{"kind": "person", "name": "强哥"}],
                  content="强哥手下那帮婆娘天天在门口转，专拉乡下来看病的老人，大家当心。")
    reasons = RepeatCandidate.objects.get(clue=note, earlier=letter).reasons
    assert reasons[0]["code"] == "name_anywhere", reasons
    # The other way round: the nickname first, with no place; the full name after it, from the township.
    first = intake(demo, source="public_report", region="", subjects=[{"kind": "person", "name": "彬仔"}],
                   content="彬仔放数好多年了，利滚利，还不上就叫人守你屋企门口。")
    later = intake(demo, region="城东区新华街道", subjects=[{"kind": "person", "name": "潘志彬"}],
                   content="新华街道的潘志彬放高利贷，借五千要还几万，还不上就派人守在借款人家门口泼油漆、写大字。")
    reasons = RepeatCandidate.objects.get(clue=later, earlier=first).reasons
    assert reasons[0]["code"] == "name_anywhere", reasons


def test_the_office_names_the_matter_of_a_report_the_matcher_missed_and_the_untrue_matter_is_re_reviewed(login, demo):
    # A hotline line against a letter about 刘某's sand pit: nothing in common the matcher could go by.
    first = bring_to(intake(demo, days_ago=20, region="城东区新华街道幸福村", subjects=[{"kind": "person", "name": "刘国栋"}],
                            content="幸福村刘国栋在河滩上挖沙卖，夜里大车来回跑，堤都挖空了。"), "closed", result="untrue")
    call = intake(demo, days_ago=1, source="public_report", content="来电：北边河套那个挖坑的又开工了，谁来管管。")
    assert not RepeatCandidate.objects.filter(clue=call).exists()
    office = login("office")
    page = office.get(f"/clues/{call.pk}/").content.decode()
    assert 'data-testid="same-matter-form"' in page
    # A number that is no clue the office sees, and a mistyped one, change nothing and say what is wrong.
    for typed, message in ((f"#{call.pk + 999}", f"未找到线索 #{call.pk + 999}"), ("12a", "线索编号“12a”有误"),
                           (str(call.pk), "不能是本线索")):
        shown = office.post(f"/clues/{call.pk}/merge/", {"other": typed}, follow=True).content.decode()
        assert message in shown and Clue.objects.get(pk=call.pk).repeat_of_id is None
    shown = office.post(f"/clues/{call.pk}/merge/", {"other": f"＃{first.pk}"}, follow=True).content.decode()
    assert "已认定为同一事项" in shown and "已转提级复核" in shown
    call.refresh_from_db()
    assert call.repeat_of_id == first.pk and call.status == Status.ESCALATED
    candidate = RepeatCandidate.objects.get(clue=call, earlier=first)
    assert candidate.decision == CandidateDecision.LINKED and candidate.reasons[0]["label"] == "扫黑办认定为同一事项"
    assert AuditEvent.objects.filter(action="link_repeat", object_id=str(call.pk),
                                     detail__contains="扫黑办认定为同一事项").exists()
    # Undone, it returns to where it was: no candidate either way any more (only the office had paired them), and
    # the office may name it again, in full-width digits as a Chinese input method types them.
    office.post(f"/clues/{call.pk}/unlink/")
    call.refresh_from_db()
    assert call.repeat_of_id is None and call.status != Status.ESCALATED
    assert f'data-candidate="{first.pk}"' not in office.get(f"/clues/{call.pk}/").content.decode()
    assert RepeatCandidate.objects.get(clue=call, earlier=first).decision == CandidateDecision.DISMISSED
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in str(first.pk))
    office.post(f"/clues/{call.pk}/merge/", {"other": full_width})
    assert Clue.objects.get(pk=call.pk).repeat_of_id == first.pk
    assert RepeatCandidate.objects.get(clue=call, earlier=first).reasons[0]["label"] == "扫黑办认定为同一事项"
    # A unit liaison sees no such form and cannot do it.
    assert login("liaison_chengdong").post(f"/clues/{call.pk}/merge/", {"other": str(first.pk)}).status_code in (403, 404)


def test_a_note_giving_no_place_meets_the_letter_naming_the_same_person_in_full_with_little_wording_in_common(demo):
    for days, text in enumerate(STOCK_COMPLAINTS, start=20):  # content weights as a register gives them
        intake(demo, days_ago=days, region="城西区", content=text)
    letter = intake(demo, days_ago=9, region="城东区新华街道", subjects=[{"kind": "person", "name": "杨斌"}],
                    content="我在新华街道运河路开印刷厂，前年资金周转不灵，经人介绍到融信咨询借钱。老板杨斌让我签了二十万的"
                            "合同，实际到手十四万，说六万是服务费和保证金。之后每周还利息，晚一天就加罚息，还不上就派人堵门泼油漆。")
    note = "丈夫在杨斌那借了五万，合同写十万，每周还，半年滚成十八万，天天打电话骂人，还把照片P成遗像发给亲戚。"
    # The wording agrees too little for anything else (about 0.10): the full name is the reason.
    by_name = intake(demo, days_ago=2, region="", subjects=[{"kind": "person", "name": "杨斌"}], content=note)
    assert [r["code"] for r in RepeatCandidate.objects.get(clue=by_name, earlier=letter).reasons] == ["name_anywhere"]
    # A name withheld (杨某) is a thousand people of a city: no candidate with so little wording in common.
    masked = intake(demo, days_ago=1, region="", subjects=[{"kind": "person", "name": "杨某"}],
                    content=note.replace("杨斌", "杨某").replace("五万", "四万"))
    assert not RepeatCandidate.objects.filter(clue=masked, earlier=letter).exists()
