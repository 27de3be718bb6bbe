"""Pages for the 系统管理员 (units, users) and the 安全管理员 (roles, scopes, grants); 三员 separation."""

import re

import pytest

from qicha.core.models import AuditEvent
from qicha.orgs.models import DataScope, Role, Unit, User


def test_sysadmin_adds_a_unit_under_a_district(login, unit):
    client = login("sysadmin")
    parent = unit("城东区民政局")
    response = client.post("/admin/units/new/", {"parent": parent.pk, "name": "城东区民政局社会事务股", "kind": "district_department"})
    assert response.status_code == 302
    created = Unit.objects.get(name="城东区民政局社会事务股")
    assert created.path.startswith(parent.path) and created.depth == parent.depth + 1
    assert AuditEvent.objects.filter(event_type="create", object_type="orgs.unit", object_id=str(created.pk)).exists()


def test_unit_form_errors_in_chinese(login):
    response = login("sysadmin").post("/admin/units/new/", {"name": "", "kind": "district_department"})
    assert "请填写单位名称" in response.content.decode() or "这个字段是必填项" in response.content.decode()


def test_sysadmin_creates_a_user_and_hands_over_half_an_activation_code(login, unit):
    client = login("sysadmin")
    response = client.post("/admin/users/new/", {"username": "zhang_san", "full_name": "张三", "unit": unit("城东区民政局").pk}, follow=True)
    body = response.content.decode()
    first = re.search(r"第一半激活码为：(\S+)", body).group(1)
    created = User.objects.get(username="zhang_san")
    assert not created.has_usable_password() and not created.check_password(first)  # no credential for the sysadmin
    assert created.roles.count() == 0  # the 系统管理员 grants nothing
    listing = client.get("/admin/users/").content.decode()
    assert first not in listing and "待激活" in listing


def test_sysadmin_records_an_email_for_reminders_and_a_bad_one_is_refused(login, user, unit):
    client = login("sysadmin")
    handler = user("handler")
    form = {"username": "handler", "full_name": handler.full_name, "unit": handler.unit_id, "version": handler.version}
    bad = client.post(f"/admin/users/{handler.pk}/", {**form, "email": "not-an-address"})
    assert "有效的电子邮件地址" in bad.content.decode() or "电子邮箱" in bad.content.decode()
    handler.refresh_from_db()
    assert handler.email == ""
    client.post(f"/admin/users/{handler.pk}/", {**form, "email": "handler@mz.example.gov.cn"})
    handler.refresh_from_db()
    assert handler.email == "handler@mz.example.gov.cn"


def test_sysadmin_cannot_grant_roles_or_edit_roles(login, user):
    client = login("sysadmin")
    assert client.get("/admin/roles/").status_code == 403
    assert client.get(f"/admin/grants/{user('handler').pk}/").status_code == 403


def test_secadmin_cannot_manage_units_or_users(login):
    client = login("secadmin")
    assert client.get("/admin/units/").status_code == 403
    assert client.get("/admin/users/new/").status_code == 403


def test_secadmin_creates_a_custom_scope_role_and_grants_it(login, user, unit):
    client = login("secadmin")
    response = client.post("/admin/roles/new/", {
        "code": "funeral_watch", "name": "殡葬督查员", "permissions": ["campaign.view", "selfinspection.view"],
        "scope": "custom", "custom_units": [unit("市殡仪馆").pk],
    })
    assert response.status_code == 302
    role = Role.objects.get(code="funeral_watch")
    assert role.scope == DataScope.CUSTOM and list(role.custom_units.values_list("name", flat=True)) == ["市殡仪馆"]
    target = user("handler")
    client.post(f"/admin/grants/{target.pk}/", {"roles": [role.pk], "version": target.version})
    assert list(user("handler").roles.values_list("code", flat=True)) == ["funeral_watch"]
    assert AuditEvent.objects.filter(event_type="permission_change", action="assign_roles").exists()


def test_custom_scope_needs_units(login):
    response = login("secadmin").post("/admin/roles/new/", {"code": "empty", "name": "空角色", "permissions": ["campaign.view"], "scope": "custom"})
    assert "自定数据权限须至少选择一个单位" in response.content.decode()


@pytest.mark.parametrize("first, second", [("sysadmin", "auditor"), ("secadmin", "auditor")])
def test_three_admins_stay_separated(login, user, first, second):
    target = user("handler")
    roles = [Role.objects.get(code=first).pk, Role.objects.get(code=second).pk]
    response = login("secadmin").post(f"/admin/grants/{target.pk}/", {"roles": roles, "version": target.version})
    assert "三员分立" in response.content.decode()
    assert list(user("handler").roles.values_list("code", flat=True)) == ["handler"]


def test_admin_and_business_permissions_do_not_mix_in_a_role(login):
    response = login("secadmin").post("/admin/roles/new/", {
        "code": "mixed", "name": "混合", "permissions": ["audit.view", "selfinspection.view"], "scope": "all",
    })
    assert "管理员权限不能与业务权限放在同一角色中" in response.content.decode()


def test_concurrent_grant_edit_is_detected(login, user):
    client = login("secadmin")
    target = user("handler")
    stale = target.version
    client.post(f"/admin/grants/{target.pk}/", {"roles": [Role.objects.get(code="inspector").pk], "version": stale})
    response = client.post(f"/admin/grants/{target.pk}/", {"roles": [Role.objects.get(code="liaison").pk], "version": stale})
    assert "已被他人修改" in response.content.decode()
    assert list(user("handler").roles.values_list("code", flat=True)) == ["inspector"]


def test_auditor_reads_the_audit_including_other_admins(login, unit):
    login("sysadmin").post("/admin/units/new/", {"parent": unit("市民政局").pk, "name": "临时单位", "kind": "department"})
    body = login("auditor").get("/audit/?username=sysadmin").content.decode()
    assert "临时单位" in body and "新增" in body


def test_audit_page_shows_what_changed_in_chinese(login, user):
    target = user("handler")
    login("secadmin").post(f"/admin/grants/{target.pk}/", {"roles": [Role.objects.get(code="inspector").pk], "version": target.version})
    body = login("auditor").get("/audit/?event_type=permission_change").content.decode()
    assert "（分配角色）" in body and "assign_roles" not in body.split("<tbody>")[1].split("<details>")[0]
    assert "修改前" in body and "inspector" in body


def test_audit_filter_explains_a_reversed_range(login):
    body = login("auditor").get("/audit/?date_from=2026-12-01&date_to=2026-11-01").content.decode()
    assert "起始日期晚于截止日期" in body


def test_new_unit_needs_a_parent_and_a_unique_name(login, unit):
    client = login("sysadmin")
    orphan = client.post("/admin/units/new/", {"name": "无上级单位", "kind": "department"})
    assert "请选择上级单位" in orphan.content.decode()
    twin = client.post("/admin/units/new/", {"parent": unit("城东区民政局").pk, "name": "城东区民政局办公室", "kind": "district_department"})
    assert "上级单位下已有名为“城东区民政局办公室”的单位" in twin.content.decode()
    assert Unit.objects.filter(name="城东区民政局办公室").count() == 1


def test_admin_roles_cannot_be_combined_with_business_roles(login, user):
    target = user("leader")
    roles = [Role.objects.get(code="bureau_leader").pk, Role.objects.get(code="sysadmin").pk]
    response = login("secadmin").post(f"/admin/grants/{target.pk}/", {"roles": roles, "version": target.version})
    assert "不能同时持有业务角色" in response.content.decode()
    assert list(user("leader").roles.values_list("code", flat=True)) == ["bureau_leader"]
    denied = AuditEvent.objects.get(event_type="permission_change", outcome="denied")
    assert denied.actor_username == "secadmin" and denied.object_id == str(target.pk)


@pytest.mark.parametrize("target", ["secadmin", "auditor"])
def test_sysadmin_cannot_take_over_the_other_admins(login, user, target):
    client = login("sysadmin")
    victim = user(target)
    response = client.post(f"/admin/users/{victim.pk}/reset-password/", follow=True)
    assert "不能由系统管理员重置密码" in response.content.decode()
    client.post(f"/admin/users/{victim.pk}/active/", {"active": "0", "version": victim.version})
    assert user(target).is_active and user(target).check_password("Qc-Test-2026!x")
    assert AuditEvent.objects.filter(outcome="denied", object_id=str(victim.pk)).count() == 2


def test_reset_admin_password_command(user):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reset_admin_password", "auditor", stdout=out)
    password = out.getvalue().split("一次性密码：")[1].split("（")[0]
    assert user("auditor").check_password(password) and user("auditor").must_change_password


def test_auditor_exports_the_audit_as_csv_with_formulas_neutralised(login, user):
    target = user("handler")
    login("sysadmin").post(f"/admin/users/{target.pk}/", {"full_name": "=cmd|calc", "unit": target.unit_id, "version": target.version})
    response = login("auditor").get("/audit/export/")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff序号,时间,用户")
    assert "'=cmd|calc" in body and ",=cmd" not in body
    assert AuditEvent.objects.filter(event_type="export", action="audit_export", actor_username="auditor").exists()
    assert login("sysadmin").get("/audit/export/").status_code == 403


def test_safe_cell():
    from qicha.core.spreadsheet import safe_cell

    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-5") == "'-5" and safe_cell("@SUM") == "'@SUM"
    assert safe_cell("正常文本") == "正常文本" and safe_cell(42) == 42
