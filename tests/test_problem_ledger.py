"""The ledger: derived overdue, filters in the URL, counts, data scope, attachments, workbench, no N+1."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qicha.core.attachments import blob_path, store_upload
from qicha.core.errors import Invalid
from qicha.core.workbench import Viewer, cards_for, figures_for
from qicha.problems import queries
from qicha.problems.models import Problem
from qicha.problems.numbers import format_problem_no

from .problem_helpers import add_evidence, bring_to, pdf, register


def test_overdue_the_day_after_the_deadline(demo, user, login):
    problem = register(demo, days=3)
    deadline = problem.deadline
    office = user("office")
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(deadline, timezone.datetime.min.time())) + timedelta(hours=12)):
        assert not Problem.objects.get(pk=problem.pk).overdue
        assert not queries.visible_problems(office).filter(pk=problem.pk, is_overdue=True).exists()
    with time_machine.travel(timezone.make_aware(timezone.datetime.combine(deadline + timedelta(days=1), timezone.datetime.min.time())) + timedelta(hours=9)):
        fresh = Problem.objects.get(pk=problem.pk)
        assert fresh.overdue and fresh.days_left == -1
        assert queries.visible_problems(office).filter(pk=problem.pk, is_overdue=True).exists()
        supervised = next(c for c in cards_for(Viewer(office)) if c.key == "supervised")
        assert problem.pk in [p.pk for p in supervised.rows]
        html = login("office").get("/problems/?overdue=1").content.decode()
        assert f'data-problem="{problem.pk}"' in html and "逾期 1 天" in html


def test_closed_problems_are_never_overdue(demo):
    problem = bring_to(register(demo, days=1), "closed")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert not Problem.objects.get(pk=problem.pk).overdue


@pytest.mark.parametrize(
    "query, expected",
    [
        ("source=group_feedback", 5),
        ("rectification_type=immediate", 2),
        ("status=closed", 1),
        ("status=submitted", 1),
        ("check_item=3", 5),
        ("q=低保", 2),
        ("due_within_days=7", 1),  # the closed one due in 5 days no longer counts
        ("overdue=1", 1),
    ],
)
def test_filters(api, demo, query, expected):
    body = api("office").get(f"/api/v1/problems?{query}").json()
    assert body["count"] == expected, body


def test_unit_filter_includes_sub_units(api, demo, unit):
    body = api("office").get(f"/api/v1/problems?unit={unit('城东区民政局').pk}").json()
    assert {r["unit"]["name"] for r in body["results"]} == {"城东区民政局", "城东区民政局社会救助股"}


def test_filters_live_in_the_url_and_counts_per_status(login, demo):
    html = login("office").get("/problems/?source=group_feedback&sort=-deadline").content.decode()
    assert 'value="group_feedback" selected' in html
    assert 'data-status="in_progress"' in html and "status=in_progress" in html and "source=group_feedback" in html


def test_bad_filter_is_explained(api, demo):
    response = api("office").get("/api/v1/problems?due_within_days=abc")
    assert response.status_code == 422 and response.json()["details"] == {"due_within_days": "应为整数"}


def test_other_district_cannot_reach_a_problem_by_any_route(demo, api, login, user):
    problem = register(demo)
    entry = add_evidence(problem)
    attachment = entry.attachments.get()
    outsider_api, outsider = api("liaison_chengxi"), login("liaison_chengxi")
    assert outsider_api.get(f"/api/v1/problems/{problem.pk}").status_code == 404
    assert outsider_api.get(f"/api/v1/problems/{problem.pk}/progress").status_code == 404
    assert outsider_api.patch(f"/api/v1/problems/{problem.pk}", {"version": 1, "measures": "x"}, content_type="application/json").status_code == 404
    assert problem.pk not in [r["id"] for r in outsider_api.get("/api/v1/problems?page_size=500").json()["results"]]
    assert outsider.get(f"/problems/{problem.pk}/").status_code == 404
    assert outsider.get(f"/problems/attachments/{attachment.pk}/").status_code == 404
    assert login("liaison_chengdong").get(f"/problems/attachments/{attachment.pk}/").status_code == 200
    counters = figures_for(Viewer(user("liaison_chengxi")))["problems"]
    assert counters["total"].value == 2  # only 城西's own two


def test_admins_see_no_problems(api, demo):
    for admin in ("sysadmin", "secadmin", "auditor"):
        assert api(admin).get("/api/v1/problems").json()["count"] == 0


def test_registration_errors_are_chinese_and_located(api, demo, unit):
    response = api("liaison_chengdong").post("/api/v1/problems", {
        "campaign": demo.pk, "unit": unit("城东区民政局").pk, "source": "group_feedback", "description": "",
        "rectification_type": "deadline", "measures": "", "deadline": "2026-12-31",
        "milestones": [{"title": "晚于时限的节点", "due_date": "2027-01-15"}],
    }, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["details"] == {
        "description": "请填写问题描述。", "measures": "请填写整改措施。",
        "milestones.0.due_date": "节点时限不能晚于整改时限。", "aspect": "督导组反馈问题须选择所属方面。",
    }


def test_registering_for_another_district_is_404(api, demo, unit):
    response = api("liaison_chengdong").post("/api/v1/problems", {
        "campaign": demo.pk, "unit": unit("城西区民政局").pk, "source": "self_inspection", "description": "x",
        "rectification_type": "immediate", "measures": "x", "deadline": "2026-12-31",
    }, content_type="application/json")
    assert response.status_code == 404


def test_register_from_self_inspection_page(login, demo, unit):
    client = login("liaison_chengxi")
    entry = demo.self_inspections.get(unit=unit("城西区民政局"), check_item__ordinal=4)
    form = client.get(f"/problems/new/?self_inspection={entry.pk}").content.decode()
    assert "来自 城西区民政局 的自查填报" in form
    response = client.post(f"/problems/new/?self_inspection={entry.pk}", {
        "unit": unit("城西区民政局").pk, "check_item": entry.check_item_id, "source": "self_inspection",
        "description": "交办线索台账更新不及时", "rectification_type": "deadline", "measures": "每周更新台账",
        "deadline": "2027-01-31", "milestones": "2027-01-10 完成台账梳理\n2027-01-25 建立周报制度",
    })
    assert response.status_code == 302
    problem = Problem.objects.get(description="交办线索台账更新不及时")
    assert problem.self_inspection == entry and [m.title for m in problem.milestones.all()] == ["完成台账梳理", "建立周报制度"]


def test_milestone_lines_are_checked(login, demo, unit):
    response = login("liaison_chengxi").post("/problems/new/", {
        "unit": unit("城西区民政局").pk, "source": "self_inspection", "description": "x", "rectification_type": "deadline",
        "measures": "x", "deadline": "2027-01-31", "milestones": "2027/01/10 完成",
    })
    assert "第 1 行：日期“2027/01/10”应写成 YYYY-MM-DD" in response.content.decode()


class TestAttachments:
    def test_type_is_decided_by_content(self, demo, user):
        actor = user("liaison_chengdong")
        with pytest.raises(Invalid) as caught:
            store_upload(actor, SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 100))
        assert "不是允许的类型" in caught.value.message
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
        with pytest.raises(Invalid) as caught:
            store_upload(actor, SimpleUploadedFile("报告.pdf", png))
        assert caught.value.message == "文件“报告.pdf”的内容是PNG 图片，与扩展名不符。"
        assert store_upload(actor, SimpleUploadedFile("现场照片.png", png)).kind == "png"

    def test_old_office_files_are_accepted_by_their_container(self, demo, user):
        from pathlib import Path

        ole = (Path(__file__).parent / "data" / "problems" / "ledger_messy.xls").read_bytes()
        assert store_upload(user("liaison_chengdong"), SimpleUploadedFile("旧台账.xls", ole)).kind == "xls"

    def test_size_limit(self, demo, user, settings):
        settings.ATTACHMENT_MAX_MB = 1
        big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)
        with pytest.raises(Invalid) as caught:
            store_upload(user("liaison_chengdong"), SimpleUploadedFile("大文件.pdf", big))
        assert "超过 1 MB 的上限" in caught.value.message

    def test_names_are_sanitised_and_content_stored_once(self, demo, user):
        actor = user("liaison_chengdong")
        first = pdf(actor, name="../../etc/整改<报告>.pdf")
        second = pdf(actor, name="另一份.pdf")
        assert first.name == "整改报告.pdf"
        assert first.sha256 == second.sha256 and blob_path(first.sha256).exists()

    def test_upload_through_the_api(self, api, demo):
        client = api("liaison_chengdong")
        from qicha.orgs.demo import MINIMAL_PDF

        response = client.post("/api/v1/attachments", {"file": SimpleUploadedFile("佐证.pdf", MINIMAL_PDF)})
        assert response.status_code == 201
        body = response.json()
        assert body["name"] == "佐证.pdf" and len(body["sha256"]) == 64


def test_workbench_todos(login, demo):
    handler = login("handler").get("/").content.decode()
    assert 'data-testid="todo-assigned"' in handler and "人情保" in handler
    office = login("office").get("/").content.decode()
    assert 'data-testid="todo-to_review"' in office and 'data-testid="supervised-overdue"' in office


def test_returned_problem_shows_on_the_liaisons_workbench(demo, user):
    from qicha.problems import services

    problem = bring_to(register(demo), "submitted")
    services.return_problem(user("office"), problem, version=problem.version, reason="佐证不足")
    returned = next(t for t in cards_for(Viewer(user("liaison_chengdong"))) if t.key == "returned")
    assert [p.pk for p in returned.rows] == [problem.pk]


def test_feedback_aspects_view(login, demo):
    html = login("office").get("/problems/feedback/").content.decode()
    assert "3个方面5个问题" in html


def test_lasting_rule_with_its_problems(login, demo):
    problem = Problem.objects.get(description="扫黑除恶简报编发不及时。")
    client = login("liaison_chengxi")
    picker = client.get("/problems/rules/new/").content.decode()
    assert f'<option value="{problem.pk}">{format_problem_no(problem.pk)} {problem.unit.name}：' in picker
    response = client.post("/problems/rules/new/", {
        "unit": problem.unit_id, "title": "扫黑除恶简报编发制度", "document_no": "城西民〔2026〕8号",
        "issued_on": "2026-11-20", "problems": [problem.pk],
    })
    assert response.status_code == 302
    assert "扫黑除恶简报编发制度" in client.get(f"/problems/{problem.pk}/").content.decode()


def _make_problems(campaign, n):
    for i in range(n):
        register(campaign, description=f"批量问题{i}", person="handler")


@pytest.mark.parametrize("view", ["list", "detail", "workbench"])
def test_constant_queries_at_10_and_200_rows(demo, login, django_assert_max_num_queries, view):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("office")
    counts = []
    for n in (10, 200):
        _make_problems(demo, n if not counts else n - 10)
        problem = Problem.objects.order_by("id").last()
        for _ in range(3 if view == "detail" else 0):
            add_evidence(problem)
        url = {"list": "/problems/?page_size=50", "detail": f"/problems/{problem.pk}/", "workbench": "/"}[view]
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_anonymous_download_is_refused(demo):
    problem = register(demo)
    attachment = add_evidence(problem).attachments.get()
    assert Client().get(f"/problems/attachments/{attachment.pk}/").status_code == 302


def test_office_adds_a_feedback_aspect_and_others_cannot(login, demo):
    office = login("office")
    office.post("/problems/feedback/", {"title": "宣传发动不够充分"})
    assert "4个方面5个问题" in office.get("/problems/feedback/").content.decode()
    duplicate = office.post("/problems/feedback/", {"title": "宣传发动不够充分"}).content.decode()
    assert "已有名为“宣传发动不够充分”的反馈方面" in duplicate
    login("liaison_chengdong").post("/problems/feedback/", {"title": "联络员不能加"})
    assert demo.feedback_aspects.count() == 4


def test_milestones_can_be_marked_done(login, demo, unit):
    problem = register(demo, rectification_type="deadline", milestones=[{"title": "核实", "due_date": timezone.localdate()}])
    client = login("liaison_chengdong")
    form = client.get(f"/problems/{problem.pk}/edit/").content.decode()
    today = timezone.localdate().isoformat()
    assert f"{today} 核实" in form
    client.post(f"/problems/{problem.pk}/edit/", {
        "unit": problem.unit_id, "source": "self_inspection", "description": problem.description,
        "rectification_type": "deadline", "measures": problem.measures, "deadline": problem.deadline.isoformat(),
        "milestones": f"√ {today} 核实", "version": problem.version,
    })
    assert problem.milestones.get().done


def test_aspect_filter_is_shown_and_kept(login, demo):
    aspect = demo.feedback_aspects.first()
    html = login("office").get(f"/problems/?source=group_feedback&aspect={aspect.pk}").content.decode()
    assert 'data-testid="aspect-filter"' in html and f'name="aspect" value="{aspect.pk}"' in html
    assert f"aspect={aspect.pk}&amp;overdue=1" in html or f"aspect={aspect.pk}&overdue=1" in html


def test_bad_filter_names_the_field_in_chinese(login, demo):
    html = login("office").get("/problems/?due_within_days=-5").content.decode()
    assert "几日内到期天数应在 0 至 366 之间" in html and "due_within_days" not in html.split("筛选条件有误")[1][:80]


def test_milestones_are_kept_in_date_order(demo):
    today = timezone.localdate()
    problem = register(demo, rectification_type="deadline", days=30, milestones=[
        {"title": "后", "due_date": today + timedelta(days=20)}, {"title": "先", "due_date": today + timedelta(days=5)},
    ])
    assert [m.title for m in problem.milestones.all()] == ["先", "后"]
