"""Sign-in (R-SAFE-1 baseline): generic failure message, lockout by username, idle timeout, forced change."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qicha.core.models import AuditEvent
from qicha.orgs.auth_views import GENERIC_LOGIN_FAILURE

from .conftest import DEMO_PASSWORD


def attempt(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_login_page_is_chinese(db):
    body = Client().get("/login/").content.decode()
    assert "账号登录" in body and "用户名" in body and "密码" in body


def test_one_generic_message_for_unknown_user_and_wrong_password(demo):
    unknown = attempt(Client(), "nobody", "whatever")
    wrong = attempt(Client(), "office", "wrong-password")
    for response in (unknown, wrong):
        assert response.status_code == 200
        assert GENERIC_LOGIN_FAILURE in response.content.decode()


def test_disabled_account_gets_the_same_message(demo, user):
    office = user("office")
    office.is_active = False
    office.save()
    assert GENERIC_LOGIN_FAILURE in attempt(Client(), "office", DEMO_PASSWORD).content.decode()


def test_successful_login_lands_on_workbench(demo):
    response = attempt(Client(), "office", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_lockout_after_five_failures_refuses_even_the_right_password(demo):
    client = Client()
    for _ in range(4):
        assert attempt(client, "liaison_nanshan", "bad").status_code == 200
    fifth = attempt(client, "liaison_nanshan", "bad")
    assert fifth.status_code == 403
    assert "锁定" in fifth.content.decode()
    right = attempt(Client(), "liaison_nanshan", DEMO_PASSWORD)
    assert right.status_code == 403 and "锁定" in right.content.decode()
    # Another account is unaffected: the lock is per username.
    assert attempt(Client(), "liaison_beihu", DEMO_PASSWORD).status_code == 302


def test_lockout_lifts_after_cooloff(demo, settings):
    for _ in range(5):
        attempt(Client(), "liaison_nanshan", "bad")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert attempt(Client(), "liaison_nanshan", DEMO_PASSWORD).status_code == 302


def test_lockout_applies_to_api_tokens_too(demo):
    client = Client()
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "office", "password": "bad"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token", {"username": "office", "password": DEMO_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "locked"
    # And the page login is locked as well: one counter per username.
    assert attempt(Client(), "office", DEMO_PASSWORD).status_code == 403


def test_failure_limit_is_configurable(demo, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        attempt(Client(), "handler", "bad")
    assert attempt(Client(), "handler", DEMO_PASSWORD).status_code == 403


def test_sign_in_events_are_audited(demo):
    attempt(Client(), "office", "bad")
    attempt(Client(), "office", DEMO_PASSWORD)
    failed = AuditEvent.objects.filter(event_type="login_failed", actor_username="office").get()
    assert failed.outcome == "failure" and failed.ip == "127.0.0.1"
    login = AuditEvent.objects.filter(event_type="login", actor_username="office").get()
    assert login.unit_name == "局扫黑办"


def test_lockout_is_audited(demo):
    for _ in range(5):
        attempt(Client(), "handler", "bad")
    assert AuditEvent.objects.filter(event_type="lockout", actor_username="handler", outcome="denied").exists()


def test_idle_session_expires_on_the_server(login, settings):
    client = login("office")
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=settings.IDLE_TIMEOUT_MINUTES - 1)):
        assert client.get("/").status_code == 200  # activity renews the session
    with time_machine.travel(timezone.now() + timedelta(minutes=2 * settings.IDLE_TIMEOUT_MINUTES + 1)):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_session_row_is_renewed_at_most_once_a_minute(login, settings):
    """Working within a minute writes no session row; after a minute the expiry moves on with the activity."""
    from django.contrib.sessions.models import Session

    client = login("office")
    client.get("/")
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == expiry
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.get("/").status_code == 200
        assert Session.objects.get(session_key=key).expire_date >= expiry + timedelta(minutes=4)


def test_logout_ends_the_session(login):
    client = login("office")
    client.post("/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/campaigns/", "/api/v1/me"])
def test_anonymous_is_sent_to_login_or_refused(db, path):
    response = Client().get(path)
    if path.startswith("/api/"):
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]
