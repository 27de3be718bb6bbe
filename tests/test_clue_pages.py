"""Clue pages and reporter protection (R-CLU-6), the 清仓见底 board (R-CLU-5) and the 工作台's clue to-dos."""

from datetime import timedelta

from django.utils import timezone

from qicha.clues import services
from qicha.clues.models import Clue, Status
from qicha.core.models import AuditEvent

from .clue_helpers import PERSON_ID, act, bring_to, intake

REPORTER = {"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678"}


def reported(demo, **extra):
    return intake(demo, source="public_report", real_name=True, reporter=REPORTER, **extra)


def test_reporter_is_masked_on_pages_and_api_for_everyone_by_default(login, api, demo):
    clue = bring_to(reported(demo), "assigned")
    for username in ("office", "liaison_chengdong", "leader"):
        html = login(username).get(f"/clues/{clue.pk}/").content.decode()
        assert "王*" in html and "139****5678" in html and "110105********" in html
        assert "王举报" not in html and "13912345678" not in html and PERSON_ID not in html
        body = api(username).get(f"/api/v1/clues/{clue.pk}").content.decode()
        assert "王举报" not in body and "13912345678" not in body and PERSON_ID not in body
        listed = api(username).get("/api/v1/clues").content.decode()
        assert "王举报" not in listed and "13912345678" not in listed


def test_reporter_stored_encrypted(demo):
    from django.db import connection

    clue = reported(demo)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone, reporter_id_number FROM clues_clue WHERE id = %s", [clue.pk])
        raw = " ".join(cursor.fetchone())
    assert "王举报" not in raw and "13912345678" not in raw and PERSON_ID not in raw


def test_reveal_needs_the_permission_and_a_reason_and_is_audited(login, api, demo):
    clue = bring_to(reported(demo), "assigned")
    office = login("office")
    no_reason = office.post(f"/clues/{clue.pk}/reveal/", {"reason": ""})
    assert no_reason.status_code == 422 and "13912345678" not in no_reason.content.decode()
    shown = office.post(f"/clues/{clue.pk}/reveal/", {"reason": "联系举报人反馈核查结果"}).content.decode()
    assert "王举报" in shown and "13912345678" in shown
    event = AuditEvent.objects.filter(event_type="reveal", object_id=str(clue.pk), outcome="success").first()
    assert event is not None and event.detail == "联系举报人反馈核查结果"
    # The bureau leader sees the clue but is not entitled to the reporter's identity (the handling unit's liaison
    # is: tests/test_clue_evidence.py).
    assert login("leader").post(f"/clues/{clue.pk}/reveal/", {"reason": "想看"}).status_code == 404
    refused = api("leader").post(f"/api/v1/clues/{clue.pk}/reveal", {"reason": "想看"},
                                 content_type="application/json")
    assert refused.status_code == 404 and "13912345678" not in refused.content.decode()
    assert AuditEvent.objects.filter(event_type="reveal", object_id=str(clue.pk), outcome="denied").exists()
    api_shown = api("office").post(f"/api/v1/clues/{clue.pk}/reveal", {"reason": "核实身份"},
                                   content_type="application/json").json()
    assert api_shown["reporter"] == {"name": "王举报", "id_number": PERSON_ID, "phone": "13912345678", "masked": False}


def test_audit_log_keeps_the_reporter_masked(demo):
    clue = reported(demo)
    event = AuditEvent.objects.get(event_type="create", object_id=str(clue.pk), object_type="clues.clue")
    text = str(event.after)
    assert "13912345678" not in text and "王举报" not in text


def test_intake_form_reports_each_error_where_it_is(login, demo):
    page = login("office")
    response = page.post("/clues/new/", {
        "source": "public_report", "received_date": "2026-02-30", "domain": "subsistence", "content": "",
        "real_name": "on", "reporter_name": "", "person_0_name": "张三", "person_0_id_number": "110105198001011233",
        "org_0_name": "某协会", "org_0_credit_code": "51110000MJ0000000X",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "日期不存在：2026-02-30" in html and "这个字段是必填项" in html
    assert Clue.objects.count() == 0
    response = page.post("/clues/new/", {
        "source": "public_report", "received_date": timezone.localdate().isoformat(), "domain": "subsistence",
        "content": "举报内容", "real_name": "on", "reporter_name": "",
        "person_0_name": "张三", "person_0_id_number": "110105198001011233",
        "org_0_name": "某协会", "org_0_credit_code": "51110000MJ0000000X",
    })
    html = response.content.decode()
    assert "实名举报须填写举报人姓名" in html
    assert "被反映人身份证号校验码错误：最后一位应为 8" in html
    assert "统一社会信用代码校验码错误：最后一位应为 6" in html
    assert Clue.objects.count() == 0


def test_intake_form_registers_and_reports_the_repeat(login, demo):
    first = intake(demo, subjects=[{"kind": "person", "name": "张国强", "id_number": PERSON_ID}])
    response = login("office").post("/clues/new/", {
        "source": "public_report", "received_date": timezone.localdate().isoformat(), "domain": "subsistence",
        "region": "城东区新华街道幸福村", "content": "举报张国强冒领低保", "person_0_name": "张国强",
        "person_0_id_number": PERSON_ID[:6] + PERSON_ID[8:17],
    }, follow=True)
    html = response.content.decode()
    clue = Clue.objects.exclude(pk=first.pk).get()
    assert clue.repeat_of_id == first.pk
    assert f"已自动认定为线索 #{first.pk} 的重复举报" in html


def test_liaison_registers_for_own_unit_only(login, demo):
    page = login("liaison_chengdong")
    response = page.post("/clues/new/", {
        "source": "proactive", "received_date": timezone.localdate().isoformat(), "domain": "funeral",
        "content": "主动排查发现殡葬服务乱收费",
    })
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert clue.unit.name == "城东区民政局" and clue.status == Status.RECEIVED
    assert login("liaison_chengxi").get(f"/clues/{clue.pk}/").status_code == 404


def test_bulk_assign_from_the_list(login, demo, unit):
    clues = [intake(demo, content=f"交办线索{i}") for i in range(3)]
    page = login("office")
    response = page.post("/clues/assign/", {"clue": [c.pk for c in clues[:2]], "unit": unit("城西区民政局").pk},
                         follow=True)
    assert "已将 2 条线索分办至城西区民政局" in response.content.decode()
    statuses = dict(Clue.objects.values_list("pk", "status"))
    assert statuses[clues[0].pk] == statuses[clues[1].pk] == Status.ASSIGNED
    assert statuses[clues[2].pk] == Status.RECEIVED
    # A liaison cannot assign, and cannot reach clues outside their scope this way.
    assert login("liaison_chengdong").post("/clues/assign/", {"clue": [clues[2].pk], "unit": unit("城东区民政局").pk}
                                           ).status_code == 403


def test_clearance_board_tells_the_truth(login, api, demo, user):
    today = timezone.localdate()
    services.set_time_limit(user("office"), "central_group", days=3, day_kind="calendar")
    late = bring_to(intake(demo, days_ago=10), "verifying", unit_name="城西区民政局", worker="liaison_chengxi")
    bring_to(intake(demo, days_ago=10, content="已核查完的"), "verified", unit_name="城西区民政局", worker="liaison_chengxi")
    bring_to(intake(demo, days_ago=8, content="城东已办结"), "closed")
    intake(demo, days_ago=0, content="今天受理的")
    yesterday = api("office").get(f"/api/v1/clues/board?cut_off={(today - timedelta(days=1)).isoformat()}").json()
    assert yesterday["total"]["received"] == 3  # today's clue came after that cut-off
    assert yesterday["total"]["verified"] == 0  # and as of yesterday nothing had been verified yet
    board = api("office").get(f"/api/v1/clues/board?cut_off={today.isoformat()}").json()
    assert board["total"]["received"] == 4 and board["total"]["verified"] == 2 and board["total"]["open"] == 2
    units = {row["label"]: row for row in board["units"]}
    assert units["城西区民政局"]["open"] == 1 and not units["城西区民政局"]["cleared"]
    assert units["城西区民政局"]["max_days_late"] == 7 and units["城西区民政局"]["overdue"] == 1
    assert units["城东区民政局"]["cleared"] and units["未分办"]["open"] == 1
    assert board["cleared_units"] == 1 and board["unit_count"] == 2
    html = login("office").get(f"/clues/board/?cut_off={today.isoformat()}").content.decode()
    assert f"#{late.pk}" in html and "未清仓" in html and "已清仓" in html
    # 城东's liaison sees only 城东 on the board.
    mine = api("liaison_chengdong").get(f"/api/v1/clues/board?cut_off={today.isoformat()}").json()
    assert [row["label"] for row in mine["units"]] == ["城东区民政局"]
    act(late, "report_result", "liaison_chengxi", result="true", findings="属实")
    after = api("office").get(f"/api/v1/clues/board?cut_off={today.isoformat()}").json()
    assert after["cleared_units"] == 2 and after["total"]["open"] == 1  # only the unassigned one is left


def test_board_refuses_an_impossible_date_in_chinese(login, demo):
    html = login("office").get("/clues/board/?cut_off=2026-02-30").content.decode()
    assert "日期不存在：2026-02-30" in html


def test_workbench_shows_clue_todos_and_reply_rate(login, demo):
    intake(demo, content="待分办的")
    answered = bring_to(reported(demo), "closed")
    bring_to(reported(demo, content="第二条实名"), "verified")
    office = login("office").get("/").content.decode()
    assert 'data-testid="todo-clue_received"' in office and 'data-testid="todo-clue_verified"' in office
    assert "实名举报答复率" in office and "50.0%" in office
    liaison = login("liaison_chengdong").get("/").content.decode()
    assert 'data-testid="todo-clue_reply"' in liaison and 'data-testid="todo-clue_received"' not in liaison
    assert answered.replies.count() == 1


def test_time_limit_page_saves_and_recomputes(login, demo):
    clue = intake(demo, days_ago=2)
    page = login("office")
    assert "限时查处" in page.get("/clues/time-limits/").content.decode()
    response = page.post("/clues/time-limits/", {"source": "central_group", "days": "7", "day_kind": "calendar"},
                         follow=True)
    assert "1 条未核查线索的时限已重新计算" in response.content.decode()
    clue.refresh_from_db()
    assert clue.due_date == clue.received_date + timedelta(days=7)
    assert login("liaison_chengdong").get("/clues/time-limits/").status_code == 403


def test_demo_samples_load_once_and_tell_a_story(api, demo):
    from qicha.clues.demo import load_sample_clues

    assert load_sample_clues(demo) is True
    assert load_sample_clues(demo) is False
    escalated = Clue.objects.get(status=Status.ESCALATED)
    assert escalated.repeat_of.result == "untrue"
    board = api("office").get("/api/v1/clues/board").json()
    assert board["total"]["received"] == Clue.objects.count()
    assert Clue.objects.filter(status=Status.CLOSED).count() == 2


def test_a_true_clue_becomes_a_case_linked_back(login, demo):
    from qicha.clues.models import Case

    clue = bring_to(intake(demo, reference_no="ZY-9"), "verified", result="true")
    page = login("office")
    detail = page.get(f"/clues/{clue.pk}/").content.decode()
    assert 'data-testid="open-case"' in detail
    form = page.get(f"/cases/new/?clue={clue.pk}").content.decode()
    assert "线索立案" in form and clue.content in form
    response = page.post(f"/cases/new/?clue={clue.pk}", {
        "name": "幸福村低保优亲厚友案", "source": "clue", "reference_no": "ZY-9", "unit": clue.unit_id,
        "received_date": timezone.localdate().isoformat(), "summary": clue.content,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(clue=clue)
    assert case.source == "clue" and case.unit_id == clue.unit_id
    assert "幸福村低保优亲厚友案" in page.get(f"/clues/{clue.pk}/").content.decode()
    assert login("liaison_chengxi").get(f"/cases/new/?clue={clue.pk}").status_code in (403, 404)


def test_workbench_shows_case_todos(login, demo, unit, user):
    from qicha.clues.services.cases import conclude_case, register_case, start_case

    case = register_case(user("office"), demo, unit("城东区民政局"), name="城东督办案件", source="central_group",
                         received_date=timezone.localdate(), summary="案情")
    liaison = login("liaison_chengdong").get("/").content.decode()
    assert 'data-testid="todo-case_active"' in liaison and "城东督办案件" in liaison
    assert "城东督办案件" not in login("liaison_chengxi").get("/").content.decode()
    listed = login("liaison_chengdong").get("/cases/?active=1").content.decode()
    assert "城东督办案件" in listed
    case = start_case(user("liaison_chengdong"), case, version=case.version)
    conclude_case(user("liaison_chengdong"), case, version=case.version, conclusion="已办结")
    office = login("office").get("/").content.decode()
    assert 'data-testid="todo-case_concluded"' in office and "城东督办案件" in office


def test_only_a_true_clue_becomes_a_case_and_only_once(login, demo):
    from qicha.clues.models import Case

    unverified = bring_to(intake(demo, content="尚未核查的"), "assigned")
    page = login("office")
    form = {"name": "案", "source": "clue", "unit": unverified.unit_id,
            "received_date": timezone.localdate().isoformat(), "summary": "案情"}
    refused = page.post(f"/cases/new/?clue={unverified.pk}", form).content.decode()
    assert "只有核查属实或部分属实的线索才能立案督办" in refused
    true = bring_to(intake(demo, content="属实的"), "verified", result="true")
    assert page.post(f"/cases/new/?clue={true.pk}", form | {"unit": true.unit_id}).status_code == 302
    again = page.post(f"/cases/new/?clue={true.pk}", form | {"unit": true.unit_id}).content.decode()
    assert "该线索已立案督办" in again
    assert Case.objects.filter(clue=true).count() == 1 and not Case.objects.filter(clue=unverified).exists()


def test_a_past_cut_off_shows_the_board_as_it_was_that_day(api, demo, user):
    import time_machine

    services.set_time_limit(user("office"), "central_group", days=10, day_kind="calendar")
    today = timezone.localdate()
    cut_off = today - timedelta(days=5)
    early = intake(demo, days_ago=20, content="截止日前已核查")
    late_verified = intake(demo, days_ago=20, content="截止日后才核查的")
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        bring_to(early, "verified")
    bring_to(late_verified, "verified")
    board = api("office").get(f"/api/v1/clues/board?cut_off={cut_off.isoformat()}").json()
    assert board["as_of"] == cut_off.isoformat()
    assert board["total"] == board["total"] | {"received": 2, "verified": 1, "open": 1, "overdue": 1, "max_days_late": 5}
    now = api("office").get(f"/api/v1/clues/board?cut_off={today.isoformat()}").json()
    assert now["total"]["verified"] == 2 and now["total"]["open"] == 0


def test_assign_offers_only_people_who_verify_clues(login, demo):
    clue = intake(demo)
    html = login("office").get(f"/clues/{clue.pk}/").content.decode()
    assert "钱承办" in html and "城西联络员" in html
    for name in ("吴审计", "周安全", "孙系统", "李局长"):
        assert name not in html


def test_intake_form_reports_every_error_in_one_round(login, demo):
    html = login("office").post("/clues/new/", {
        "source": "public_report", "received_date": "2026-02-30", "domain": "subsistence", "content": "举报内容",
        "real_name": "on", "person_0_name": "张三", "person_0_id_number": "110105198001011233",
    }).content.decode()
    assert "日期不存在：2026-02-30" in html
    assert "实名举报须填写举报人姓名" in html and "最后一位应为 8" in html
    assert "请填写受理日期" not in html  # the date keeps the form's own, more precise message


def test_clue_page_names_the_rectification_problem_by_its_number(api, login, demo):
    from qicha.problems.models import Problem
    from qicha.problems.numbers import format_problem_no

    clue = bring_to(intake(demo), "verified", result="partly_true")
    response = api("liaison_chengdong").post(
        f"/api/v1/clues/{clue.pk}/actions/record_follow_up",
        {"kind": "rectification", "date": timezone.localdate().isoformat(), "document_no": "城东民〔2026〕9号",
         "measures": "清退违规低保金", "deadline": (timezone.localdate() + timedelta(days=30)).isoformat()},
        content_type="application/json")
    assert response.status_code == 200, response.content
    problem = Problem.objects.get(pk=response.json()["follow_ups"][0]["problem"])
    no = format_problem_no(problem.pk)
    html = login("office").get(f"/clues/{clue.pk}/").content.decode()
    assert f'整改问题：<a href="/problems/{problem.pk}/">{no}</a>' in html  # the follow-up
    assert f"开启整改问题 {no}" in html  # the record's history
    assert f"整改问题 #{problem.pk}" not in html and f">#{problem.pk}</a>" not in html
