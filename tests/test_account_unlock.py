"""Locked accounts: the 系统管理员 sees them and unlocks one (audited); a password reset clears the lock; an empty
login form says what is missing."""

from django.test import Client

from qicha.core.models import AuditEvent

from .conftest import DEMO_PASSWORD


def lock(username: str) -> None:
    for _ in range(5):
        Client().post("/login/", {"username": username, "password": "wrong"})
    assert Client().post("/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 403


def test_sysadmin_sees_the_locked_account_and_unlocks_it(login, user):
    lock("liaison_nanshan")
    client = login("sysadmin")
    page = client.get("/admin/users/").content.decode()
    assert 'data-testid="locked-accounts"' in page and "被锁定的账号（1）" in page
    assert "liaison_nanshan" in page and "已锁定" in page
    target = user("liaison_nanshan")
    response = client.post(f"/admin/users/{target.pk}/unlock/", follow=True)
    assert "已解除用户“liaison_nanshan”的登录锁定" in response.content.decode()
    assert 'data-testid="locked-accounts"' not in response.content.decode()
    # The owner signs in again with the old password.
    assert Client().post("/login/", {"username": "liaison_nanshan", "password": DEMO_PASSWORD}).status_code == 302
    event = AuditEvent.objects.get(action="unlock", object_id=str(target.pk))
    assert event.actor_username == "sysadmin" and event.outcome == "success"
    assert event.detail.startswith("解除登录锁定（连续登录失败")


def test_only_the_sysadmin_may_unlock(login, user):
    lock("liaison_nanshan")
    target = user("liaison_nanshan")
    for username in ("secadmin", "office", "liaison_chengdong"):
        response = login(username).post(f"/admin/users/{target.pk}/unlock/")
        assert response.status_code in (403, 404), username
    assert Client().post("/login/", {"username": "liaison_nanshan", "password": DEMO_PASSWORD}).status_code == 403
    assert not AuditEvent.objects.filter(action="unlock", outcome="success").exists()


def test_unlocking_an_account_that_is_not_locked_says_so(login, user):
    target = user("liaison_beihu")
    response = login("sysadmin").post(f"/admin/users/{target.pk}/unlock/", follow=True)
    assert "未被锁定，无需解锁" in response.content.decode()


def test_a_password_reset_clears_the_lock(login, user):
    lock("liaison_nanshan")
    target = user("liaison_nanshan")
    client = login("sysadmin")
    client.post(f"/admin/users/{target.pk}/reset-password/")
    assert "被锁定的账号" not in client.get("/admin/users/").content.decode()
    event = AuditEvent.objects.get(action="reset_password", object_id=str(target.pk))
    assert "登录锁定已解除" in event.detail


def test_an_empty_login_form_says_what_is_missing(demo):
    empty = Client().post("/login/", {"username": "", "password": ""})
    assert empty.status_code == 200 and "请输入用户名和密码。" in empty.content.decode()
    no_password = Client().post("/login/", {"username": "office", "password": ""}).content.decode()
    assert "请输入密码。" in no_password and 'value="office"' in no_password
    # An empty form is not a failed sign-in: five of them lock nothing.
    for _ in range(6):
        Client().post("/login/", {"username": "office", "password": ""})
    assert Client().post("/login/", {"username": "office", "password": DEMO_PASSWORD}).status_code == 302


def test_an_empty_token_request_says_what_is_missing(demo):
    response = Client().post("/api/v1/auth/token", {"username": "office", "password": ""},
                             content_type="application/json")
    assert response.status_code == 422
    assert response.json()["message"] == "请输入密码。"
    assert response.json()["details"] == {"password": "请输入密码"}
