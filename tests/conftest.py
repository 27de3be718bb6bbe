import os

import pytest
from django.test import Client

DEMO_PASSWORD = "Qc-Test-2026!x"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` prove what only a server with row locks can show (two transactions racing); on the
    embedded SQLite, where one writing transaction runs at a time, they are deselected, not skipped."""
    if os.environ.get("QICHA_DATABASE_URL", "").startswith("postgres"):
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("postgresql")])
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_eagerly():
    """Jobs run inside the request that starts them (test_jobs.py also drives the real worker)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _fast_hashing(settings, tmp_path):
    # Argon2 is the production hasher (asserted in test_passwords); tests hash hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    from qicha.core.crypto import reset_key_cache

    reset_key_cache()  # each test gets its own key file under its tmp_path
    yield
    reset_key_cache()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Per-minute counters (the 越权访问尝试 rate limit) must not carry over between tests that reuse user ids.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def demo(db, settings):
    """The demo organisation, accounts and campaign that `make run` loads."""
    from qicha.core.registry import PROBLEMS, load_demo_data

    load_demo_data(DEMO_PASSWORD, through=PROBLEMS)
    from qicha.campaigns.models import Campaign

    return Campaign.objects.get()


@pytest.fixture
def user(demo):
    from qicha.orgs.models import User

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def unit(demo):
    from qicha.orgs.models import Unit

    def get(name: str) -> Unit:
        return Unit.objects.get(name=name)

    return get


@pytest.fixture
def login(demo):
    """A test client signed in through the real login page."""

    def sign_in(username: str, password: str = DEMO_PASSWORD) -> Client:
        client = Client()
        response = client.post("/login/", {"username": username, "password": password})
        assert response.status_code == 302, f"{username} could not sign in"
        return client

    return sign_in


@pytest.fixture
def api(demo):
    """A test client carrying a bearer token obtained from /api/v1/auth/token."""

    def for_user(username: str, password: str = DEMO_PASSWORD) -> Client:
        anonymous = Client()
        response = anonymous.post(
            "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return Client(headers={"Authorization": f"Bearer {response.json()['token']}"})

    return for_user
