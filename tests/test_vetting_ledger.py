"""基层组织问题成员台账 and the 2019 回头看: a 不通过 serving candidate lands in the ledger in one click, a refill
completes the row; a cleared 回头看 member lands there too; the cockpit's village panels count exactly the lists they
open; the 矛盾纠纷 ledger ships as a built-in definition and gives the three figures."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from qicha.cockpit.focus import focus_for
from qicha.core.errors import Conflict, Invalid
from qicha.core.models import AuditEvent
from qicha.core.workbench import PANELS, Viewer
from qicha.ledgers.models import LedgerDefinition
from qicha.ledgers.services import rows as ledger_rows
from qicha.orgs.models import Unit, User
from qicha.vetting import queries, services
from qicha.vetting.models import ProblemMember, ReviewMember

from .test_vetting_rounds import answer_all, id_number, open_round, xlsx


@pytest.fixture
def rejected(demo):
    round_ = open_round()
    answer_all(round_, "区公安分局", objections={3: "bully", 4: "criminal"})  # 3 serving (odd), 4 not
    answer_all(round_, "区委组织部")
    return round_


def test_a_rejected_serving_member_lands_in_the_ledger_and_a_refill_completes_it(rejected, login, api):
    client = login("office")
    serving = rejected.candidates.get(number=3)
    response = client.post(f"/vetting/candidates/{serving.pk}/to-ledger/", {"action": "suspend"})
    member = ProblemMember.objects.get(candidate=serving)
    assert response.status_code == 302 and response["Location"] == f"/vetting/members/{member.pk}/"
    assert (member.name, member.village, member.source, member.action, member.ground) == (
        serving.name, serving.village, "vetting", "suspend", "bully")
    assert "区公安分局：有异议（村霸）" in member.problem and member.id_number.clear() == id_number(3)
    assert not member.complete
    # One click only: again is refused; a candidate who is not serving, or who passed, does not land there.
    with pytest.raises(Invalid):
        services.members.member_from_candidate(User.objects.get(username="office"), serving, action="suspend")
    with pytest.raises(Invalid):
        services.members.member_from_candidate(User.objects.get(username="office"),
                                               rejected.candidates.get(number=4), action="suspend")
    listed = api("office").get("/api/v1/vetting/members?complete=0").json()
    assert listed["count"] == 1 and listed["results"][0]["id_number"] == serving.id_number.masked
    # The refill (补齐配强) completes the row.
    bad = client.post(f"/vetting/members/{member.pk}/", {"refill_name": "", "refilled_on": "", "version": 1})
    assert "请填写补齐人员" in bad.content.decode()
    done = client.post(f"/vetting/members/{member.pk}/", {"refill_name": "宋文斌", "version": member.version,
                                                         "refilled_on": timezone.localdate().isoformat()})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.complete and member.refill_name == "宋文斌"
    assert api("office").get("/api/v1/vetting/members?complete=1").json()["count"] == 1
    assert AuditEvent.objects.filter(action="refill", object_id=str(member.pk)).exists()
    page = client.get("/vetting/members/").content.decode()
    assert "已补齐" in page and id_number(3) not in page


def test_a_stale_refill_is_a_conflict(rejected):
    office = User.objects.get(username="office")
    member = services.members.member_from_candidate(office, rejected.candidates.get(number=3), action="recall")
    services.members.record_refill(office, member, refill_name="甲", refilled_on=timezone.localdate(), version=1)
    stale = ProblemMember.objects.get(pk=member.pk)
    with pytest.raises(Conflict):
        services.members.record_refill(office, stale, refill_name="乙", refilled_on=timezone.localdate(), version=1)


def test_the_2019_review_clears_a_member_into_the_ledger(demo, login):
    office = User.objects.get(username="office")
    region = Unit.objects.get(name="城西区民政局")
    data = xlsx(["村（社区）", "姓名", "身份证号", "职务"],
                [["河湾村", f"成员{n}", id_number(200 + n), "村委会主任"] for n in range(5)])
    assert services.review.import_review_members(office, region=region, data=data, file_name="2019.xlsx") == 5
    services.negative_lists.import_negative_list(office, source="县扫黑办 涉黑涉恶人员", file_name="n.xlsx",
                                                 data=xlsx(["身份证号", "姓名", "依据"], [[id_number(202), "成员2", "涉黑涉恶"]]))
    assert services.review.precheck_review(office, queries.visible_review_members(office)) == 1
    hit = ReviewMember.objects.get(name="成员2")
    assert hit.precheck_hits[0]["ground"] == "涉黑涉恶"
    with pytest.raises(Invalid) as refused:
        services.review.decide_review(office, hit, decision="clear", reason="涉黑", version=hit.version)
    assert "处置方式" in refused.value.details["action"]
    response = login("office").post(f"/vetting/review/{hit.pk}/decide/", {
        "decision": "clear", "action": "resign", "reason": "经核实涉黑涉恶，责令辞职", "version": hit.version})
    assert response.status_code == 302
    member = ProblemMember.objects.get(review_member=hit)
    assert member.source == "review" and "涉黑涉恶" in member.problem and not member.complete
    assert queries.review_counts(office) == {"total": 5, "kept": 0, "cleared": 1, "hits": 1}


def test_every_village_figure_opens_a_list_of_exactly_that_many_rows(rejected, api):
    office = User.objects.get(username="office")
    services.members.member_from_candidate(office, rejected.candidates.get(number=3), action="suspend")
    definition = LedgerDefinition.objects.get(key="village_disputes")
    liaison, unit = User.objects.get(username="liaison_chengxi"), Unit.objects.get(name="城西区民政局")
    today = timezone.localdate()
    for resolved in ("村级化解", "村级化解", "乡镇级化解", "未化解"):
        ledger_rows.create_row(liaison, definition, unit, {
            "village": "河湾村", "dispute_kind": "邻里纠纷", "parties": "王某、李某",
            "found_on": (today - timedelta(days=3)).isoformat(), "level": "一般", "situation": "宅前通道纠纷",
            "resolved_at": resolved, "closed": "是"})
    client = api("leader")
    walked = 0
    for params in ({}, {"unit": unit.pk}):
        panels = {p["key"]: p for p in client.get("/api/v1/dashboard", params).json()["panels"]}
        assert {"village_vetting", "village_vetting_grounds", "village_disputes"} <= set(panels)
        for key in ("village_vetting", "village_vetting_grounds", "village_disputes"):
            for row in panels[key]["rows"]:
                for cell in row["cells"]:
                    assert cell["api_url"], cell
                    count = client.get(f"{cell['api_url']}&page_size=1").json()["count"]
                    assert count == cell["value"], (key, row["label"], cell)
                    assert urlsplit(cell["url"]).query == urlsplit(cell["api_url"]).query
                    walked += 1
        disputes = {row["label"]: row["cells"][0]["value"] for row in panels["village_disputes"]["rows"]}
        assert list(disputes.values()) == [2, 1, 0]
        county = panels["village_vetting"]["rows"][0]["cells"]
        assert [c["value"] for c in county] == [20, 2, 1, 0]
        grounds = {row["label"]: row["cells"][0]["value"] for row in panels["village_vetting_grounds"]["rows"]}
        assert grounds["村霸"] == 1 and grounds["受过刑事处罚"] == 1 and grounds["涉黑涉恶"] == 0
    assert walked > 20


def test_the_dispute_ledger_is_built_in(demo):
    definition = LedgerDefinition.objects.get(key="village_disputes")
    assert definition.builtin and definition.name == "矛盾纠纷排查化解台账"
    resolved = definition.column("resolved_at")
    assert resolved["options"][:3] == ["村级化解", "乡镇级化解", "县级化解"]


@pytest.mark.parametrize("district", [None, "城西区民政局"])
def test_the_village_panels_ask_five_queries_whatever_the_counties(rejected, district, django_assert_num_queries):
    """Candidates per region (result derived in SQL) and problem members per region, rejections per ground, the
    disputes ledger's definition and its rows per level: no query per county, ground or level."""
    office, leader = User.objects.get(username="office"), User.objects.get(username="leader")
    services.members.member_from_candidate(office, rejected.candidates.get(number=3), action="suspend")
    focus = focus_for(leader, {"unit": Unit.objects.get(name=district).pk} if district else {})
    viewer = Viewer(leader)
    with django_assert_num_queries(5):
        built = [PANELS[key].build(viewer, focus)
                 for key in ("village_vetting", "village_vetting_grounds", "village_disputes")]
    assert all(built) and built[0].rows[0].cells[1].value == 2
