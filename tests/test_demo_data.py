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
