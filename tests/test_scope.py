"""R-ORG-3/4: data scope per role — all, own unit and below, own unit, only own, chosen units — unioned, fail closed."""

import pytest

from qicha.campaigns.models import SelfInspection
from qicha.core.scope import can_act_on, has_permission, scope_filter, units_in_scope
from qicha.orgs.models import DataScope, Role


def visible_unit_names(user):
    return set(units_in_scope(user, "selfinspection.view").values_list("name", flat=True))


def role(code, scope, perms=("selfinspection.view",), units=()):
    r = Role.objects.create(code=code, name=code, scope=scope, permissions=list(perms))
    r.custom_units.set(units)
    return r


@pytest.fixture
def bare(user):
    """liaison_nanshan stripped of roles, to try one scope at a time."""
    u = user("liaison_nanshan")
    u.roles.clear()
    return u


def fresh(u):
    return type(u).objects.get(pk=u.pk)


def test_no_role_sees_nothing(bare):
    assert visible_unit_names(fresh(bare)) == set()
    assert not SelfInspection.objects.filter(scope_filter(fresh(bare), "selfinspection.view")).exists()


def test_all(bare, demo):
    bare.roles.add(role("r_all", DataScope.ALL))
    from qicha.orgs.models import Unit

    assert visible_unit_names(fresh(bare)) == set(Unit.objects.values_list("name", flat=True))
    assert Unit.objects.count() == 30


def test_subtree(bare):
    bare.roles.add(role("r_sub", DataScope.SUBTREE))
    assert visible_unit_names(fresh(bare)) == {
        "南山县民政局", "南山县民政局办公室", "南山县民政局社会救助股", "南山县民政局基层政权股",
    }


def test_own_unit(bare):
    bare.roles.add(role("r_unit", DataScope.UNIT))
    assert visible_unit_names(fresh(bare)) == {"南山县民政局"}


def test_custom_units(bare, unit):
    bare.roles.add(role("r_custom", DataScope.CUSTOM, units=[unit("市殡仪馆"), unit("城西区民政局")]))
    assert visible_unit_names(fresh(bare)) == {"市殡仪馆", "城西区民政局"}
    assert SelfInspection.objects.filter(scope_filter(fresh(bare), "selfinspection.view")).count() == 7


def test_self_scope_sees_only_own_records(bare, user):
    bare.roles.add(role("r_self", DataScope.SELF))
    mine = SelfInspection.objects.filter(scope_filter(fresh(bare), "selfinspection.view", owner_field="filled_by"))
    assert not mine.exists()
    theirs = SelfInspection.objects.filter(
        scope_filter(user("liaison_chengxi"), "selfinspection.view", owner_field="filled_by")
    )
    assert theirs.count() == 7  # subtree role of 城西 sees its own seven answers


def test_several_roles_are_a_union(bare, unit):
    bare.roles.add(role("r_unit", DataScope.UNIT), role("r_custom", DataScope.CUSTOM, units=[unit("市殡仪馆")]))
    assert visible_unit_names(fresh(bare)) == {"南山县民政局", "市殡仪馆"}


def test_scope_applies_per_permission(bare):
    bare.roles.add(role("r_all_other", DataScope.ALL, perms=("coverage.view",)))
    u = fresh(bare)
    assert has_permission(u, "coverage.view")
    assert visible_unit_names(u) == set()  # all-scope for coverage does not open self-inspections


def test_can_act_on_matches_the_filter(user, unit):
    liaison = user("liaison_chengdong")
    assert can_act_on(liaison, "selfinspection.edit", unit("城东区民政局社会救助股"))
    assert not can_act_on(liaison, "selfinspection.edit", unit("城西区民政局"))
    assert not can_act_on(user("office"), "selfinspection.edit", unit("城西区民政局"))  # office reviews, does not fill


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditor"])
def test_admins_see_no_business_data(user, admin):
    u = user(admin)
    for perm in ("campaign.view", "selfinspection.view", "coverage.view"):
        assert not has_permission(u, perm)
    assert not SelfInspection.objects.filter(scope_filter(u, "selfinspection.view")).exists()


def test_inactive_user_sees_nothing(user):
    office = user("office")
    office.is_active = False
    assert not has_permission(office, "campaign.view")


def test_all_combined_with_a_narrower_role_is_still_all(bare, demo):
    bare.roles.add(role("r_unit", DataScope.UNIT), role("r_all", DataScope.ALL))
    assert SelfInspection.objects.filter(scope_filter(fresh(bare), "selfinspection.view")).count() == 9
