"""R-SUP-2 and R-SUP-4: responsibility and commitment letters (who signed, who has not), the supervision checks on a
commitment (a problem found opens a linked problem; a broken commitment also an accountability record), and
accountability with its summary by unit and form — by service, page and API, within the data scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.orgs.demo import MINIMAL_PDF
from qicha.orgs.models import DataScope, Unit, User
from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no
from qicha.problems.queries import visible_problems
from qicha.supervision.models import Accountability, CommitmentCheck, Letter
from qicha.supervision.queries import accountability as accountability_queries
from qicha.supervision.queries import letters as letter_queries
from qicha.supervision.services import accountability as accountability_services
from qicha.supervision.services import letters as services

from .problem_helpers import pdf, register

CHENGXI, CHENGDONG = "城西区民政局", "城东区民政局"
SUBORDINATES = ["市殡仪馆", "市救助管理站", "市社会福利院", "市社会组织服务中心", "市居民家庭经济状况核对中心"]


def office():
    return User.objects.get(username="office")


def letter_for(campaign, unit_name, kind="commitment", scan=True, **extra):
    actor = office()
    fields = {"signer": "张局长", "signer_title": "局长", "counterpart": "局党组",
              "signed_on": timezone.localdate() - timedelta(days=30),
              "scope": "落实领导责任，本单位无涉黑涉恶问题，自觉接受监督。"} | extra
    return services.record_letter(actor, campaign, kind, Unit.objects.get(name=unit_name),
                                  scan_attachment_id=pdf(actor, "承诺书扫描件.pdf").pk if scan else None, **fields)


def check(letter, result, **extra):
    fields = {"checked_on": timezone.localdate(), "checked_by": "局扫黑办 王扫黑", "method": "查阅台账、个别谈话",
              "result": result, "findings": "检查情况"} | extra
    if result in ("problem", "broken"):
        fields = {"description": "承诺事项未落实：村级组织换届联审未开展", "measures": "立即组织联审",
                  "deadline": timezone.localdate() + timedelta(days=15)} | fields
    if result == "broken":
        fields = {"decision_no": "民扫办〔2026〕12号", "decided_on": timezone.localdate()} | fields
    return services.record_check(office(), letter, **fields)


def accountability(campaign, unit_name, form="criticism", failing="inaction", **extra):
    fields = {"person": "", "person_title": "", "decision_no": "民扫办问〔2026〕1号", "decided_on": timezone.localdate(),
              "facts": "整改工作推进缓慢。"} | extra
    return accountability_services.record_accountability(office(), campaign, Unit.objects.get(name=unit_name),
                                                         failing=failing, form=form, **fields)


def board(user, campaign, status=""):
    return {b.kind: b for b in letter_queries.signing_board(user, campaign, status)}


# --- the signing board -------------------------------------------------------------------------------------------

def test_board_shows_who_signed_and_who_has_not(demo, user):
    letter_for(demo, "市殡仪馆", kind="responsibility")
    letter_for(demo, CHENGXI)
    letter_for(demo, "社会救助科")
    boards = board(user("office"), demo)
    responsibility, commitment = boards["responsibility"], boards["commitment"]
    assert [r.unit.name for r in responsibility.rows] == SUBORDINATES  # the 局属单位, in tree order
    assert (responsibility.expected, responsibility.signed, responsibility.unsigned) == (5, 1, 4)
    # Commitment: the 6 departments, 5 subordinate units and 4 district bureaus taking part.
    assert (commitment.expected, commitment.signed) == (15, 2)
    signed = {r.unit.name for r in commitment.rows if r.signed}
    assert signed == {CHENGXI, "社会救助科"}
    assert "局党组" not in {r.unit.name for r in commitment.rows}  # the counterpart signs nothing itself
    unsigned = board(user("office"), demo, "unsigned")["commitment"]
    assert len(unsigned.rows) == 13 and unsigned.signed == 2 and CHENGXI not in {u.name for u in unsigned.unsigned_units}


def test_board_page_lists_unsigned_units_with_a_link_to_record(login, demo):
    letter_for(demo, CHENGXI)
    body = login("office").get("/supervision/letters/?kind=commitment&status=unsigned").content.decode()
    assert f'data-unit="{CHENGDONG}" data-signed="0"' in body
    assert f'data-unit="{CHENGXI}"' not in body
    assert f"/supervision/letters/new/?kind=commitment&unit={Unit.objects.get(name=CHENGDONG).pk}" in body
    signed = login("office").get("/supervision/letters/?kind=commitment&status=signed").content.decode()
    assert f'data-unit="{CHENGXI}" data-signed="1"' in signed and "1 / 15" in signed


def test_district_liaison_sees_only_own_unit_on_the_board(demo, user, login, api):
    letter_for(demo, CHENGXI)
    boards = board(user("liaison_chengdong"), demo)
    assert boards["responsibility"].expected == 0
    assert [(r.unit.name, r.signed) for r in boards["commitment"].rows] == [(CHENGDONG, False)]
    own = board(user("liaison_chengxi"), demo)["commitment"]
    assert [(r.unit.name, r.signed) for r in own.rows] == [(CHENGXI, True)]
    body = login("liaison_chengdong").get("/supervision/letters/?kind=commitment").content.decode()
    assert CHENGDONG in body and CHENGXI not in body
    assert "登记责任书、承诺书" not in body  # no letter.manage: no button
    data = api("liaison_chengdong").get("/api/v1/letters/board").json()
    commitment = next(k for k in data["kinds"] if k["kind"] == "commitment")
    assert [u["unit"]["name"] for u in commitment["units"]] == [CHENGDONG] and commitment["signed"] == 0


# --- recording letters -------------------------------------------------------------------------------------------

def test_a_second_letter_of_the_same_kind_for_a_unit_is_refused(demo):
    first = letter_for(demo, CHENGXI)
    with pytest.raises(Invalid) as refused:
        letter_for(demo, CHENGXI, signer="另一人")
    assert "不能重复登记" in refused.value.details["unit"]
    assert Letter.objects.filter(unit=first.unit).count() == 1
    letter_for(demo, "市殡仪馆", kind="responsibility")
    letter_for(demo, "市殡仪馆", kind="commitment")  # the other kind is another letter


def test_duplicate_by_api_is_a_422_with_the_reason(api, demo, unit):
    letter_for(demo, CHENGXI)
    response = api("office").post("/api/v1/letters", {
        "kind": "commitment", "unit": unit(CHENGXI).pk, "signer": "某某", "signed_on": timezone.localdate().isoformat(),
        "scope": "承诺事项"}, content_type="application/json")
    assert response.status_code == 422 and "不能重复登记" in response.json()["details"]["unit"]


def test_only_expected_signers_and_valid_fields(demo, unit):
    with pytest.raises(Invalid) as refused:
        letter_for(demo, CHENGXI, kind="responsibility")  # 目标责任书 is for the 局属单位
    assert "不是本专项行动中应签订目标责任书的单位" in refused.value.details["unit"]
    with pytest.raises(Invalid) as refused:
        letter_for(demo, "市殡仪馆", signer=" ", scope="", signed_on=timezone.localdate() + timedelta(days=1))
    assert set(refused.value.details) == {"signer", "scope", "signed_on"}
    with pytest.raises(Invalid):  # a scan must be the office's own upload
        services.record_letter(office(), demo, "commitment", unit(CHENGXI), signer="张", signed_on=timezone.localdate(),
                               scope="承诺", scan_attachment_id=pdf(User.objects.get(username="liaison_chengxi")).pk)


def test_liaison_cannot_record_a_letter(demo, user, unit):
    with pytest.raises(NotFound):
        services.record_letter(user("liaison_chengxi"), demo, "commitment", unit(CHENGXI), signer="张",
                               signed_on=timezone.localdate(), scope="承诺")


def test_update_needs_the_current_version(demo):
    letter = letter_for(demo, CHENGXI)
    services.update_letter(office(), letter, version=1, signer="李副局长", signer_title="副局长")
    letter.refresh_from_db()
    assert (letter.signer, letter.version) == ("李副局长", 2)
    with pytest.raises(Conflict):
        services.update_letter(office(), Letter.objects.get(pk=letter.pk), version=1, signer="旧版本")
    assert AuditEvent.objects.filter(object_type="supervision.letter", object_id=str(letter.pk)).count() == 2


def test_letter_pages_record_and_correct(login, demo, unit, tmp_path):
    client = login("office")
    form = client.get(f"/supervision/letters/new/?kind=commitment&unit={unit(CHENGDONG).pk}").content.decode()
    assert f'<option value="{unit(CHENGDONG).pk}" selected>' in form
    scan = tmp_path / "承诺书.pdf"
    scan.write_bytes(MINIMAL_PDF)
    with scan.open("rb") as f:
        response = client.post("/supervision/letters/new/", {
            "kind": "commitment", "unit": unit(CHENGDONG).pk, "signer": "刘局长", "signer_title": "局长",
            "counterpart": "局党组", "signed_on": timezone.localdate().isoformat(), "scope": "承诺无涉黑涉恶问题", "scan": f})
    letter = Letter.objects.get(unit=unit(CHENGDONG))
    assert response.status_code == 302 and response["Location"] == f"/supervision/letters/{letter.pk}/"
    assert letter.scan.name == "承诺书.pdf"
    detail = client.get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert "刘局长" in detail and "承诺书.pdf" in detail and "记录监督检查" in detail
    again = client.post("/supervision/letters/new/", {
        "kind": "commitment", "unit": unit(CHENGDONG).pk, "signer": "刘局长", "signed_on": timezone.localdate().isoformat(),
        "scope": "再次登记"})
    assert again.status_code == 200 and "不能重复登记" in again.content.decode()
    edited = client.post(f"/supervision/letters/{letter.pk}/edit/", {
        "signer": "刘局长", "signer_title": "党组书记、局长", "counterpart": "局党组",
        "signed_on": timezone.localdate().isoformat(), "scope": "承诺无涉黑涉恶问题", "version": 1})
    assert edited.status_code == 302
    letter.refresh_from_db()
    assert letter.signer_title == "党组书记、局长" and letter.scan.name == "承诺书.pdf"  # the scan is kept
    # The unit's own liaison reads the letter but cannot correct it.
    assert login("liaison_chengdong").get(f"/supervision/letters/{letter.pk}/edit/").status_code == 403


# --- supervision checks on a commitment --------------------------------------------------------------------------

def test_a_broken_commitment_ends_in_a_linked_problem_and_an_accountability_record(demo, user):
    letter = letter_for(demo, CHENGXI)
    result = check(letter, "broken", findings="该局违规插手村级换届，违反承诺。")
    problem = result.problem
    assert problem is not None
    assert (problem.source, problem.rectification_type, problem.unit.name, problem.status) == (
        "inspection", "immediate", CHENGXI, "open")
    assert problem.campaign == demo and problem.description == "承诺事项未落实：村级组织换届联审未开展"
    record = Accountability.objects.get(commitment_check=result)
    assert (record.failing, record.form, record.unit.name) == ("broken_commitment", "talk", CHENGXI)  # 约谈 by default
    assert (record.person, record.person_title) == ("张局长", "局长")  # the signer answers for the commitment
    assert list(record.problems.all()) == [problem]
    assert record.decision_no == "民扫办〔2026〕12号"
    # In the ledger, for the unit that has to rectify it.
    assert visible_problems(user("liaison_chengxi")).filter(pk=problem.pk, source="inspection").exists()
    assert not visible_problems(user("liaison_chengdong")).filter(pk=problem.pk).exists()
    assert AuditEvent.objects.filter(object_type="supervision.commitmentcheck", object_id=str(result.pk)).exists()
    assert AuditEvent.objects.filter(object_type="supervision.accountability", object_id=str(record.pk)).exists()


def test_a_problem_found_opens_a_problem_only(demo):
    letter = letter_for(demo, CHENGXI)
    result = check(letter, "problem", form="criticism")
    assert result.problem.source == "inspection" and result.problem.unit == letter.unit
    assert not Accountability.objects.exists()
    fulfilled = check(letter, "fulfilled")
    assert fulfilled.problem is None and Problem.objects.filter(source="inspection").count() == 1


def test_a_broken_commitment_without_a_decision_records_nothing(demo):
    letter = letter_for(demo, CHENGXI)
    before = Problem.objects.count()
    with pytest.raises(Invalid) as refused:
        check(letter, "broken", decision_no="", decided_on=None, form="criticism")
    assert {"decision_no", "decided_on"} <= set(refused.value.details)
    with pytest.raises(Invalid) as refused:
        check(letter, "problem", description="", measures="", deadline=None)
    assert {"description", "measures", "deadline"} <= set(refused.value.details)
    assert Problem.objects.count() == before and not CommitmentCheck.objects.exists() and not Accountability.objects.exists()


def test_check_by_page_with_the_form_chosen(login, demo):
    letter = letter_for(demo, CHENGXI)
    client = login("office")
    response = client.post(f"/supervision/letters/{letter.pk}/checks/", {
        "checked_on": timezone.localdate().isoformat(), "checked_by": "王扫黑", "method": "实地察看", "result": "broken",
        "findings": "违反承诺", "description": "违规干预低保审批", "measures": "立即纠正",
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(), "form": "admonition",
        "person": "张局长", "person_title": "局长", "decision_no": "民扫办〔2026〕20号",
        "decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    record = Accountability.objects.get()
    assert record.form == "admonition" and record.commitment_check.letter == letter
    detail = client.get(f"/supervision/letters/{letter.pk}/").content.decode()
    assert f"/problems/{record.problems.get().pk}/" in detail and f"/supervision/accountability/{record.pk}/" in detail
    assert f"已登记问题 {format_problem_no(record.problems.get().pk)}（督导检查发现）" in detail  # the flash
    missing = client.post(f"/supervision/letters/{letter.pk}/checks/", {
        "checked_on": timezone.localdate().isoformat(), "checked_by": "王扫黑", "method": "实地察看", "result": "problem",
        "findings": "发现问题", "form": "talk"})
    assert missing.status_code == 422 and "发现问题时请填写问题描述" in missing.content.decode()


def test_check_by_api(api, demo):
    letter = letter_for(demo, CHENGXI)
    response = api("office").post(f"/api/v1/letters/{letter.pk}/checks", {
        "checked_on": timezone.localdate().isoformat(), "checked_by": "王扫黑", "method": "个别谈话", "result": "broken",
        "findings": "违反承诺", "description": "违规干预", "measures": "纠正",
        "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "decision_no": "民扫办〔2026〕21号", "decided_on": timezone.localdate().isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["result"] == "broken" and data["problem"]["id"]
    assert data["accountabilities"][0]["form"] == "talk"
    detail = api("liaison_chengxi").get(f"/api/v1/letters/{letter.pk}").json()
    assert detail["checks"][0]["problem"]["id"] == data["problem"]["id"]
    assert detail["scan"]["download"] == f"/supervision/letters/{letter.pk}/scan/"
    problems = api("liaison_chengxi").get("/api/v1/problems?source=inspection").json()
    assert [p["id"] for p in problems["results"]] == [data["problem"]["id"]]


# --- accountability ----------------------------------------------------------------------------------------------

def test_summary_counts_by_unit_form_and_failing(demo, user, api):
    accountability(demo, CHENGXI, "criticism", "inaction")
    accountability(demo, CHENGXI, "criticism", "slow")
    accountability(demo, CHENGXI, "talk", "slow", person="某某")
    accountability(demo, "城东区民政局社会救助股", "criticism", "poor_progress")
    accountability(demo, "社会救助科", "disciplinary", "dereliction")
    filters = accountability_queries.AccountabilityFilters()
    summary = accountability_queries.summary(user("office"), filters)
    assert summary.total == 5
    assert summary.by_form["criticism"] == 3 and summary.by_form["talk"] == 1 and summary.by_form["disciplinary"] == 1
    assert summary.by_form["referral"] == 0
    failing = {f["failing"]: f["count"] for f in summary.by_failing}
    assert failing == {"neglect": 0, "inaction": 1, "slow": 2, "dereliction": 1, "poor_progress": 1,
                       "broken_commitment": 0, "other": 0}
    rows = {r["unit"].name: r for r in summary.rows}
    assert summary.rows[0]["unit"].name == CHENGXI and rows[CHENGXI]["total"] == 3
    assert rows[CHENGXI]["counts"]["criticism"] == 2 and rows[CHENGXI]["counts"]["talk"] == 1
    # The unit filter includes sub-units.
    under_chengdong = accountability_queries.AccountabilityFilters.from_params({"unit": str(Unit.objects.get(name=CHENGDONG).pk)})
    assert accountability_queries.summary(user("office"), under_chengdong).total == 1
    # Scope: a district liaison counts only their own.
    assert accountability_queries.summary(user("liaison_chengxi"), filters).total == 3
    data = api("office").get("/api/v1/accountability/summary?form=criticism").json()
    assert data["total"] == 3
    assert {r["unit"]["name"]: r["total"] for r in data["by_unit"]} == {CHENGXI: 2, "城东区民政局社会救助股": 1}
    listed = api("office").get("/api/v1/accountability?failing=slow&q=某某").json()
    assert listed["count"] == 1 and listed["results"][0]["person"] == "某某"
    assert api("office").get("/api/v1/accountability?form=bogus").status_code == 422


def test_summary_on_the_page(login, demo):
    accountability(demo, CHENGXI, "criticism")
    accountability(demo, CHENGXI, "talk")
    body = login("office").get("/supervision/accountability/").content.decode()
    assert 'data-testid="total">2<' in body
    assert f'<tr data-unit="{CHENGXI}">' in body and 'data-testid="unit-total">2<' in body


@pytest.fixture
def district_office(demo):
    """A 城东 user who may record accountability and read problems and clues, within 城东's subtree only."""
    secadmin, sysadmin = User.objects.get(username="secadmin"), User.objects.get(username="sysadmin")
    from qicha.orgs import services as org_services

    role = org_services.create_role(secadmin, code="district_office", name="区县扫黑办", scope=DataScope.SUBTREE,
                                    perms=["campaign.view", "problem.view", "clue.view", "supervision.view",
                                           "accountability.manage"])
    created, _ = org_services.create_user(sysadmin, username="district_office", full_name="区扫黑办",
                                          unit=Unit.objects.get(name=CHENGDONG))
    created = User.objects.get(pk=created.pk)
    org_services.assign_roles(secadmin, created, [role], version=created.version)
    return User.objects.get(pk=created.pk)


def test_linked_problems_and_clues_out_of_scope_are_refused(demo, district_office):
    from qicha.clues.services import register_clue

    own = register(demo, unit_name=CHENGDONG, by="liaison_chengdong")
    foreign = register(demo, unit_name=CHENGXI, by="liaison_chengxi")
    clue = register_clue(office(), campaign=demo, content="城西线索", source="public_report",
                         received_date=timezone.localdate(), domain="subsistence", region="", subjects=[], reporter={})
    fields = {"failing": "slow", "form": "criticism", "decision_no": "城东扫办〔2026〕1号",
              "decided_on": timezone.localdate(), "facts": "整改缓慢"}
    chengdong = Unit.objects.get(name=CHENGDONG)
    with pytest.raises(Invalid) as refused:
        accountability_services.record_accountability(district_office, demo, chengdong, problem_ids=[own.pk, foreign.pk],
                                                      clue_ids=[clue.pk], **fields)
    assert format_problem_no(foreign.pk) in refused.value.details["problems"]
    assert format_problem_no(own.pk) not in refused.value.details["problems"]
    assert f"#{clue.pk}" in refused.value.details["clues"]
    with pytest.raises(NotFound):  # nor can they hold another district to account
        accountability_services.record_accountability(district_office, demo, Unit.objects.get(name=CHENGXI), **fields)
    record = accountability_services.record_accountability(district_office, demo, chengdong, problem_ids=[own.pk], **fields)
    assert list(record.problems.all()) == [own]
    # The office sees everything, but links only the unit's own problems and clues.
    from qicha.clues.services import assign_clue

    assign_clue(office(), clue, version=clue.version, unit=Unit.objects.get(name=CHENGXI))
    accountability(demo, CHENGXI, problem_ids=[foreign.pk], clue_ids=[clue.pk])
    with pytest.raises(Invalid) as wrong_unit:
        accountability(demo, CHENGXI, problem_ids=[own.pk])
    assert "不属于被问责单位" in wrong_unit.value.details["problems"]


def test_accountability_by_api_refuses_foreign_problems(api, demo, district_office, unit):
    foreign = register(demo, unit_name=CHENGXI, by="liaison_chengxi")
    payload = {"unit": unit(CHENGXI).pk, "failing": "slow", "form": "criticism", "decision_no": "文号",
               "decided_on": timezone.localdate().isoformat(), "facts": "事由", "problems": [foreign.pk]}
    created = api("office").post("/api/v1/accountability", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["problems"][0]["id"] == foreign.pk
    detail = api("office").get(f"/api/v1/accountability/{created.json()['id']}").json()
    assert detail["form_label"] == "通报批评" and detail["failing_label"] == "慢作为"


def test_poor_progress_panel_opens_a_prefilled_criticism(login, demo, user):
    overdue = Problem.objects.get(description="群众反映的低保领域问题线索未建立逐条核查机制。")  # the demo's overdue one
    lagging = accountability_queries.lagging_units(user("office"), demo)
    assert lagging[0]["unit"].name == "南山县民政局" and lagging[0]["overdue"] == 1
    assert lagging[0]["problem_ids"] == [overdue.pk] and lagging[0]["max_days_late"] == 5
    assert accountability_queries.lagging_units(user("liaison_chengdong"), demo) == []
    client = login("office")
    page = client.get("/supervision/accountability/").content.decode()
    nanshan = Unit.objects.get(name="南山县民政局")
    link = f"/supervision/accountability/new/?unit={nanshan.pk}&failing=poor_progress&form=criticism&problems={overdue.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert '<option value="poor_progress" selected>' in form and '<option value="criticism" selected>' in form
    assert f'<option value="{overdue.pk}" selected>{format_problem_no(overdue.pk)} 南山县民政局：' in form
    assert "整改工作推动不力" in form
    response = client.post("/supervision/accountability/new/", {
        "unit": nanshan.pk, "failing": "poor_progress", "form": "criticism", "decision_no": "民扫办〔2026〕30号",
        "decided_on": timezone.localdate().isoformat(), "facts": "逾期未整改，工作推动不力", "problems": [overdue.pk]})
    record = Accountability.objects.get()
    assert response.status_code == 302 and list(record.problems.all()) == [overdue]
    assert accountability_queries.lagging_units(user("office"), demo)[0]["criticised_on"] == timezone.localdate()
    assert "已通报" in client.get("/supervision/accountability/").content.decode()
    detail = client.get(f"/supervision/accountability/{record.pk}/").content.decode()
    assert "民扫办〔2026〕30号" in detail and f"/problems/{overdue.pk}/" in detail


# --- data scope on every route -----------------------------------------------------------------------------------

@pytest.fixture
def chengxi_records(demo):
    letter = letter_for(demo, CHENGXI)
    broken = check(letter, "broken")
    return letter, Accountability.objects.get(commitment_check=broken)


def test_another_districts_liaison_gets_404_on_every_record_route(login, api, chengxi_records):
    letter, record = chengxi_records
    pages = [f"/supervision/letters/{letter.pk}/", f"/supervision/letters/{letter.pk}/edit/",
             f"/supervision/letters/{letter.pk}/checks/", f"/supervision/letters/{letter.pk}/scan/",
             f"/supervision/accountability/{record.pk}/"]
    client = login("liaison_chengdong")
    for url in pages:
        assert client.get(url).status_code == (405 if url.endswith("checks/") else 404), url  # checks/ takes POST only
        assert client.post(url, {"signer": "篡改", "version": 1, "checked_on": timezone.localdate().isoformat(),
                                 "checked_by": "x", "method": "x", "result": "fulfilled", "findings": "x"}).status_code == 404, url
    assert CommitmentCheck.objects.count() == 1 and Letter.objects.get(pk=letter.pk).signer == "张局长"
    client = api("liaison_chengdong")
    for url in [f"/api/v1/letters/{letter.pk}", f"/api/v1/accountability/{record.pk}"]:
        assert client.get(url).status_code == 404, url
    posted = client.post(f"/api/v1/letters/{letter.pk}/checks", {
        "checked_on": timezone.localdate().isoformat(), "checked_by": "x", "method": "x", "result": "fulfilled",
        "findings": "x"}, content_type="application/json")
    assert posted.status_code == 404 and CommitmentCheck.objects.count() == 1
    assert client.get("/api/v1/letters").json()["count"] == 0
    assert client.get("/api/v1/accountability").json()["count"] == 0
    assert client.get("/api/v1/accountability/summary").json()["total"] == 0
    # Missing and foreign look the same.
    assert client.get("/api/v1/letters/999999").json() == client.get(f"/api/v1/letters/{letter.pk}").json()
    # The unit's own liaison reads them.
    own = login("liaison_chengxi")
    assert own.get(f"/supervision/letters/{letter.pk}/").status_code == 200
    assert own.get(f"/supervision/accountability/{record.pk}/").status_code == 200
    assert own.post(f"/supervision/letters/{letter.pk}/checks/", {"checked_on": timezone.localdate().isoformat(),
                    "checked_by": "x", "method": "x", "result": "fulfilled", "findings": "x"}).status_code == 403
    assert CommitmentCheck.objects.count() == 1  # reading is not supervising: no letter.manage


def test_scan_download_is_scope_checked(login, chengxi_records):
    letter, _ = chengxi_records
    url = f"/supervision/letters/{letter.pk}/scan/"
    response = login("liaison_chengxi").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == MINIMAL_PDF
    assert "承诺书扫描件.pdf" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
    assert login("leader").get(url).status_code == 200
    assert login("liaison_chengdong").get(url).status_code == 404
    assert login("handler").get(url).status_code == 403  # no supervision.view at all
    assert login("auditor").get(url).status_code == 403
    unscanned = letter_for(letter.campaign, "市殡仪馆", kind="responsibility", scan=False)
    assert login("office").get(f"/supervision/letters/{unscanned.pk}/scan/").status_code == 404


def test_openapi_documents_the_endpoints_in_chinese(demo, client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, method in [("/api/v1/letters", "get"), ("/api/v1/letters", "post"), ("/api/v1/letters/board", "get"),
                         ("/api/v1/letters/{letter_id}", "get"), ("/api/v1/letters/{letter_id}/checks", "post"),
                         ("/api/v1/accountability", "get"), ("/api/v1/accountability", "post"),
                         ("/api/v1/accountability/summary", "get"), ("/api/v1/accountability/{accountability_id}", "get")]:
        summary = spec["paths"][path][method]["summary"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in summary), (path, method, summary)


def test_sample_letters_leave_some_units_unsigned(demo, user):
    from qicha.supervision.demo import load_sample_letters

    assert load_sample_letters(demo) is True
    assert load_sample_letters(demo) is False
    boards = board(user("office"), demo)
    assert (boards["responsibility"].signed, boards["responsibility"].expected) == (4, 5)
    assert (boards["commitment"].signed, boards["commitment"].expected) == (13, 15)
    record = Accountability.objects.get()
    assert record.commitment_check.letter.unit.name == "南山县民政局" and record.problems.get().source == "inspection"


def test_board_page_shows_the_last_check(login, demo):
    letter = letter_for(demo, CHENGXI)
    check(letter, "fulfilled", checked_on=timezone.localdate() - timedelta(days=1))
    check(letter, "problem")
    body = login("office").get("/supervision/letters/?kind=commitment").content.decode()
    assert "2 次，最近：" in body and "发现问题" in body
