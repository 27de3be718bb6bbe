"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against a live server."""

import os
import shutil
from pathlib import Path

import pytest

from ..conftest import DEMO_PASSWORD

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QICHA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e_demo(transactional_db):
    from qicha.campaigns.models import Campaign
    from qicha.core.registry import PROBLEMS, load_demo_data

    load_demo_data(DEMO_PASSWORD, through=PROBLEMS)
    return Campaign.objects.get()


@pytest.fixture
def page_for(browser, live_server, e2e_demo):
    """A fresh browser context signed in as `username` through the login page."""
    contexts = []
    external = []

    def open_as(username: str):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        # Offline intranet: any request leaving the live server is a failure.
        page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:") else external.append(r.url))
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not external, f"pages requested outside resources: {external}"


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
