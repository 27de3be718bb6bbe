"""Every page a demo user can reach renders in Chinese, loads nothing from outside, and has no dead links."""

import re
from html.parser import HTMLParser

import pytest

from qicha.orgs.demo import DEMO_USERS


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for key in ("src", "href"):
            if tag in ("script", "link", "img") and attrs.get(key):
                self.assets.append(attrs[key])


def parse(html: str) -> LinkParser:
    parser = LinkParser()
    parser.feed(html)
    return parser


def crawl(client, start="/", limit=120):
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        pages[url] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in parse(response.content.decode()).links:
            if href.startswith("/") and not href.startswith("/static/") and "/edit/" not in href:
                queue.append(href)
    return pages


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_reachable_page_works_and_is_offline(login, username):
    pages = crawl(login(username))
    assert len(pages) > 3
    for url, response in pages.items():
        assert response.status_code == 200, f"{username}: {url} → {response.status_code}"
        if "text/html" in response.get("Content-Type", ""):
            html = response.content.decode()
            for asset in parse(html).assets:
                assert asset.startswith("/"), f"{url} loads {asset} from outside"
            assert not re.search(r"<script>(?!\s*</script>)", html), f"{url} has an inline script"


def test_security_headers(login):
    response = login("office").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_shell_shows_user_unit_breadcrumbs_and_beijing_time(login, demo):
    html = login("liaison_chengxi").get(f"/campaigns/{demo.pk}/").content.decode()
    assert 'data-testid="current-user">城西联络员' in html
    assert 'data-testid="current-unit">城西区民政局' in html
    assert 'class="breadcrumb"' in html and "专项行动" in html
    assert "北京时间" in html and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", html)


def test_demo_mode_is_shown_in_the_header(login, settings):
    assert "演示模式" in login("office").get("/").content.decode()
    settings.DEMO_MODE = False
    # Demo accounts must change the password outside demo mode; the banner is gone.
    assert "演示模式" not in login("sysadmin").get("/password/").content.decode()


@pytest.mark.parametrize(
    "path, active",
    [("/", "工作台"), ("/campaigns/{pk}/", "行动与查摆事项"), ("/campaigns/{pk}/coverage/", "查摆覆盖情况"),
     ("/campaigns/{pk}/self-inspection/{unit}/", "自查填报")],
)
def test_sidebar_highlights_the_current_section(login, demo, unit, path, active):
    html = login("office").get(path.format(pk=demo.pk, unit=unit("城西区民政局").pk)).content.decode()
    highlighted = re.findall(r'aria-current="page">.*?nav-link-title">(.*?)</span>', html, re.S)
    assert highlighted == [active]
