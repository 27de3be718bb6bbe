"""What `make run` adds beyond the organisation: demo inspectors (so a random inspection can draw)."""

from qicha.core.scope import has_permission
from qicha.orgs.models import User
from qicha.supervision.demo_inspectors import DEMO_INSPECTORS, load_demo_inspectors

from .conftest import DEMO_PASSWORD


def test_demo_inspectors_sign_in_and_hold_the_inspector_role(demo, login):
    assert load_demo_inspectors(DEMO_PASSWORD) == len(DEMO_INSPECTORS)
    assert load_demo_inspectors(DEMO_PASSWORD) == 0
    for username, _, unit_name in DEMO_INSPECTORS:
        user = User.objects.get(username=username)
        assert user.is_demo and user.unit.name == unit_name and has_permission(user, "inspection.work")
    assert login("inspector_cd").get("/").status_code == 200


def test_supervision_samples_load_once(demo, api):
    from qicha.supervision.demo import load_sample_letters
    from qicha.supervision.inspection_demo import load_sample_inspections
    from qicha.supervision.models import Accountability, Inspection, Letter

    load_demo_inspectors(DEMO_PASSWORD)
    load_sample_letters(demo)
    load_sample_inspections(demo)
    counts = (Letter.objects.count(), Inspection.objects.count(), Accountability.objects.count())
    load_sample_letters(demo)
    load_sample_inspections(demo)
    assert (Letter.objects.count(), Inspection.objects.count(), Accountability.objects.count()) == counts
    assert counts[0] > 0 and counts[1] > 0 and counts[2] > 0
    board = api("office").get("/api/v1/letters/board").json()
    assert board


def test_load_demo_runs_every_apps_step_once_and_lists_every_account(db, monkeypatch, capsys):
    """`python -m qicha load_demo` runs the steps the apps registered (orgs → … → reporting) and prints their accounts."""
    from django.core.management import call_command

    from qicha.campaigns.models import Campaign
    from qicha.clues.models import Clue
    from qicha.problems.models import Problem
    from qicha.reporting.models import Submission
    from qicha.supervision.models import Inspection, Letter

    monkeypatch.setenv("QICHA_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "已载入演示数据。" in out and f"演示密码：{DEMO_PASSWORD}" in out
    for username in ("office", "sysadmin", "inspector_cd", "leader_chengxi"):
        assert f"  {username} " in out
    models = (Campaign, Problem, Clue, Letter, Inspection, Submission)
    counts = [model.objects.count() for model in models]
    assert counts[0] == 1 and all(counts), counts
    call_command("load_demo")
    assert "演示数据已存在，保留原有数据。" in capsys.readouterr().out
    assert [model.objects.count() for model in models] == counts
    assert login_works("leader_chengxi") and login_works("inspector_cd")


def login_works(username: str) -> bool:
    return User.objects.get(username=username).check_password(DEMO_PASSWORD)
