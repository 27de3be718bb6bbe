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
