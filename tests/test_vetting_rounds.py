"""村“两委” 联审: a round of 城西区 with three departments and twenty candidates imported from Excel — located import
errors, who is late, a single 有异议 rejects, the result matrix equals the answers (page, API and the SQL rule), the
联审意见汇总表 read back, the pre-check hitting a planted negative-list match, closing through the workflow."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from stdnum.cn import ric

from qicha.core.errors import Invalid, NotFound
from qicha.core.models import AuditEvent
from qicha.notify.models import Notification
from qicha.orgs.demo import add_demo_accounts
from qicha.orgs.models import Unit, User
from qicha.vetting import queries, services
from qicha.vetting.importing import ImportRejected
from qicha.vetting.models import Candidate, Opinion, Result, RoundStatus, VettingRound
from qicha.vetting.reminders import send_deadline_reminders
from qicha.vetting.workflow import ROUND_WORKFLOW

from .conftest import DEMO_PASSWORD

DEPARTMENTS = [("区委组织部", "t_dept_a"), ("区公安分局", "t_dept_b"), ("区人民法院", "t_dept_c")]
HEADER = ["村（社区）", "姓名", "身份证号", "拟任职务", "是否党员", "是否现任"]


def id_number(seq: int) -> str:
    body = f"110102198{seq % 10}0{(seq % 9) + 1}1{seq % 9}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def xlsx(header, rows, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def candidate_rows(count: int = 20) -> list[list]:
    return [[f"河湾{n % 4 + 1}村", f"候选人{n:02d}", id_number(n), "村委会委员", "是", "是" if n % 2 else "否"]
            for n in range(1, count + 1)]


def department_accounts():
    add_demo_accounts(DEMO_PASSWORD, "vetting_department", [(u, f"{name}联审员", "城西区民政局")
                                                           for name, u in DEPARTMENTS])
    return {name: User.objects.get(username=u) for name, u in DEPARTMENTS}


def open_round(deadline_days: int = 5) -> VettingRound:
    accounts = department_accounts()
    office = User.objects.get(username="office")
    round_ = services.rounds.open_round(
        office, election="2026年城西区村“两委”换届", region=Unit.objects.get(name="城西区民政局"),
        deadline=timezone.localdate() + timedelta(days=deadline_days),
        departments=[(name, [accounts[name]]) for name, _ in DEPARTMENTS])
    services.rounds.import_candidates(office, round_, xlsx(HEADER, candidate_rows(), title="候选人名单"), "名单.xlsx")
    return round_


def dept(round_, name):
    return round_.departments.get(name=name)


def answer_all(round_, name, objections=None, upto=None):
    user = User.objects.get(username=dict(DEPARTMENTS)[name])
    department = dept(round_, name)
    for candidate in round_.candidates.all()[:upto]:
        ground = (objections or {}).get(candidate.number, "")
        services.answers.answer(user, department, candidate, verdict="objection" if ground else "none",
                                ground=ground, note="经查有前科" if ground else "")


@pytest.fixture
def round20(demo):
    return open_round()


def test_the_candidate_list_is_imported_sealed_and_masked(round20, login):
    assert round20.candidates.count() == 20
    first = round20.candidates.get(number=1)
    stored = Candidate.objects.filter(pk=first.pk).values_list("id_number", flat=True).get()
    assert id_number(1) not in stored.ciphertext  # sealed at rest
    page = login("office").get(f"/vetting/{round20.pk}/").content.decode()
    assert "候选人01" in page and id_number(1) not in page and first.id_number.masked in page


def test_a_bad_list_is_refused_whole_with_located_errors(demo):
    round_ = open_round()
    office = User.objects.get(username="office")
    bad = candidate_rows(3)
    bad[1][2] = "110102198001011234"            # wrong checksum
    bad[2][2] = id_number(1)                     # already in the round
    bad.append(["河湾1村", "", id_number(50), "村委会委员", "是", "否"])  # no name
    with pytest.raises(ImportRejected) as refused:
        services.rounds.import_candidates(office, round_, xlsx(HEADER, bad), "错误名单.xlsx")
    located = refused.value.located
    assert any("第3行 C列（身份证号）" in e and "校验码" in e for e in located), located
    assert any("第4行 C列（身份证号）" in e and "不能重复" in e for e in located), located
    assert any("第5行 B列（姓名）" in e for e in located), located
    assert round_.candidates.count() == 20  # nothing of the bad file


def test_late_departments_are_shown_and_a_single_objection_rejects(demo, login, api):
    round_ = open_round()
    answer_all(round_, "区委组织部")
    answer_all(round_, "区公安分局", objections={7: "criminal"})
    answer_all(round_, "区人民法院", upto=12)
    # Past the deadline: the court, with 8 candidates unanswered, is late; the others are complete.
    VettingRound.objects.filter(pk=round_.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    progress = {p.department.name: p for p in queries.progress(VettingRound.objects.get(pk=round_.pk),
                                                              timezone.localdate())}
    assert [progress[n].late for n, _ in DEPARTMENTS] == [False, False, True]
    assert (progress["区人民法院"].answered, progress["区人民法院"].total) == (12, 20)
    page = login("office").get(f"/vetting/{round_.pk}/").content.decode()
    assert page.count('data-testid="late"') == 1 and "12 / 20" in page
    data = api("office").get(f"/api/v1/vetting/rounds/{round_.pk}").json()
    assert [d["late"] for d in data["departments"]] == [False, False, True]
    results = {c["number"]: c["result"] for c in data["candidates"]}
    assert results[7] == "fail"                                          # one 有异议 is enough
    assert {results[n] for n in range(1, 13) if n != 7} == {"pass"}        # every department 无异议
    assert {results[n] for n in range(13, 21)} == {"pending"}              # the court has not answered
    assert data["candidates"][6]["opinions"]["区公安分局"].startswith("有异议（受过刑事处罚）")


def test_the_result_matrix_equals_the_answers(round20):
    answer_all(round20, "区委组织部", objections={3: "bully"})
    answer_all(round20, "区公安分局", objections={3: "gang", 11: "clan"})
    answer_all(round20, "区人民法院", upto=15)
    departments, rows = queries.matrix(round20)
    answers = {(o.candidate.number, o.department.name): o.verdict
               for o in Opinion.objects.filter(candidate__round=round20).select_related("candidate", "department")}
    for row in rows:
        assert [o.verdict if o else None for o in row.cells] == [answers.get((row.candidate.number, d.name))
                                                                 for d in departments]
        given = [answers.get((row.candidate.number, d.name)) for d in departments]
        expected = "fail" if "objection" in given else ("pass" if None not in given else "pending")
        assert row.result == expected
    sql = dict(queries.with_results(round20.candidates.all()).values_list("number", "result"))
    assert sql == {row.candidate.number: row.result for row in rows}
    assert rows[2].grounds == ["村霸", "涉黑涉恶"]


def test_a_reviewed_decision_stands_and_is_audited(round20):
    answer_all(round20, "区公安分局", objections={4: "other"})
    candidate = round20.candidates.get(number=4)
    office = User.objects.get(username="office")
    with pytest.raises(Invalid) as refused:
        services.rounds.record_decision(office, candidate, decision="pass", reason="", version=candidate.version)
    assert refused.value.details == {"reason": "请填写复核理由"}
    services.rounds.record_decision(office, candidate, decision="pass", reason="经复核，异议事项已澄清",
                                    version=candidate.version)
    assert dict(queries.with_results(round20.candidates.filter(number=4)).values_list("number", "result")) == {4: "pass"}
    event = AuditEvent.objects.filter(action="decide").get()
    assert event.after["decision"] == "pass" and event.actor.username == "office"
    assert AuditEvent.objects.filter(action="answer").count() == 20


def test_departments_hear_of_the_round_and_the_county_when_all_answered(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = open_round()
    for name, username in DEPARTMENTS:
        notice = Notification.objects.get(user__username=username, kind="vetting_department.open")
        assert notice.title == f"联审批次“{round_.election}”请{name}答复联审意见"
        assert notice.link == f"/vetting/{round_.pk}/departments/{dept(round_, name).pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(round_, "区委组织部")
        answer_all(round_, "区公安分局")
        answer_all(round_, "区人民法院", upto=19)
    assert not Notification.objects.filter(kind="vetting_round.all_answered").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(round_, "区人民法院")
    done = Notification.objects.get(kind="vetting_round.all_answered")
    assert done.user.username == "office" and "已全部答复" in done.title
    # The reminder reaches only the departments still owing answers.
    with django_capture_on_commit_callbacks(execute=True):
        late = open_round(deadline_days=1)
        answer_all(late, "区委组织部")
    assert send_deadline_reminders(timezone.localdate()) == 2
    assert set(Notification.objects.filter(kind="vetting_department.remind").values_list("user__username",
                                                                                        flat=True)) == {
        "t_dept_b", "t_dept_c"}


def test_the_summary_sheet_reads_back(round20, login):
    answer_all(round20, "区委组织部")
    answer_all(round20, "区公安分局", objections={2: "criminal"})
    response = login("office").get(f"/vetting/{round20.pk}/summary.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "联审意见汇总表" in rows[0][0]
    at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    # Two header rows: the departments under their merged group heading, the other headers merged down.
    header = [low or high for high, low in zip(rows[at], rows[at + 1], strict=True)]
    assert header[:5] == ["序号", "村（社区）", "姓名", "身份证号", "拟任职务"] and "各部门联审意见" in rows[at]
    body = [r for r in rows if r and isinstance(r[0], int | float)]
    assert len(body) == 20
    second = next(r for r in body if r[0] == 2)
    police = header.index("区公安分局")
    assert second[police].startswith("有异议（受过刑事处罚）") and second[header.index("联审结果")] == "不通过"
    assert body[0][header.index("区人民法院")] == "未答复" and body[0][header.index("联审结果")] == "待答复"
    assert id_number(2) not in str(rows) and "*" in second[3]  # masked
    assert any(r and r[0] == "各联审部门（签章）：" for r in rows)


def test_precheck_hits_a_planted_negative_list_match(round20, login):
    office = User.objects.get(username="office")
    planted = xlsx(["身份证号", "姓名", "依据"], [[id_number(9), "候选人09", "受过刑事处罚"],
                                                [id_number(99), "别人", "村霸"]])
    services.negative_lists.import_negative_list(office, source="县公安局 刑事处罚人员", data=planted,
                                                 file_name="名单.xlsx")
    assert services.rounds.precheck_round(office, round20) == 1
    hit = round20.candidates.get(number=9)
    assert hit.precheck_hits == [{"ground": "受过刑事处罚", "source": hit.precheck_hits[0]["source"]}]
    assert "县公安局 刑事处罚人员" in hit.precheck_hits[0]["source"]
    assert round20.candidates.exclude(precheck_hits=[]).count() == 1
    # The department sees the hint (never a decision): the result stays 待答复.
    page = login("t_dept_b").get(f"/vetting/{round20.pk}/departments/{dept(round20, '区公安分局').pk}/")
    assert "比对提示：受过刑事处罚" in page.content.decode()
    assert dict(queries.with_results(round20.candidates.filter(number=9)).values_list("number", "result")) == {
        9: "pending"}


def test_closing_goes_through_the_workflow_and_stops_answers(round20, api):
    office = User.objects.get(username="office")
    response = api("office").post(f"/api/v1/vetting/rounds/{round20.pk}/actions/close", {"version": round20.version},
                                  content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    round_ = VettingRound.objects.get(pk=round20.pk)
    assert round_.status == RoundStatus.CLOSED
    with pytest.raises(Invalid):
        answer_all(round_, "区委组织部", upto=1)
    assert ROUND_WORKFLOW.allowed_actions(office, round_)[0].action == "reopen"
    refused = api("t_dept_a").post(f"/api/v1/vetting/rounds/{round20.pk}/actions/reopen", {"reason": "x"},
                                   content_type="application/json")
    assert refused.status_code == 404


def test_a_department_answers_only_for_itself(round20):
    other = User.objects.get(username="t_dept_a")
    candidate = round20.candidates.first()
    with pytest.raises(NotFound):
        services.answers.answer(other, dept(round20, "区公安分局"), candidate, verdict="none")
    with pytest.raises(Invalid) as refused:
        services.answers.answer(other, dept(round20, "区委组织部"), candidate, verdict="objection")
    assert "异议依据" in refused.value.details["ground"]
    assert not Opinion.objects.exists()
    assert queries.matrix(round20)[1][0].result == Result.PENDING


def test_the_office_opens_a_round_and_imports_by_page(demo, login):
    department_accounts()
    client = login("office")
    assert client.get("/vetting/new/").status_code == 200
    region = Unit.objects.get(name="城西区民政局")
    refused = client.post("/vetting/new/", {"election": "", "region": region.pk, "deadline": "2026-02-30",
                                            "departments": "区公安分局：t_dept_b、nobody"})
    body = refused.content.decode()
    assert "没有这些账号：nobody" in body and not VettingRound.objects.exists()
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post("/vetting/new/", {"election": "2026年换届", "region": region.pk, "deadline": deadline,
                                             "departments": "区委组织部：t_dept_a\n区公安分局：t_dept_b"})
    round_ = VettingRound.objects.get(election="2026年换届")
    assert response.status_code == 302 and response["Location"] == f"/vetting/{round_.pk}/"
    assert list(round_.departments.values_list("name", flat=True)) == ["区委组织部", "区公安分局"]
    template = client.get("/vetting/template/")
    assert load_workbook(io.BytesIO(template.content)).sheetnames[0] == "候选人名单"
    bad = candidate_rows(2)
    bad[1][2] = "11010219800101123"  # 17 digits
    upload = io.BytesIO(xlsx(HEADER, bad))
    upload.name = "名单.xlsx"
    followed = client.post(f"/vetting/{round_.pk}/import/", {"file": upload}, follow=True).content.decode()
    assert "工作表“Sheet1” 第3行 C列（身份证号）：身份证号应为 18 位" in followed and "未导入任何候选人" in followed
    assert round_.candidates.count() == 0
    good = io.BytesIO(xlsx(HEADER, candidate_rows(2)))
    good.name = "名单.xlsx"
    followed = client.post(f"/vetting/{round_.pk}/import/", {"file": good}, follow=True).content.decode()
    assert "已导入候选人 2 名" in followed and round_.candidates.count() == 2
