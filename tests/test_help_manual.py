"""操作手册 (issue 19): every role's page shows its screenshots, with captions, from files shipped with the static files."""

from django.contrib.staticfiles import finders

from qicha.core.help import MANUAL, SCREENSHOTS


def test_every_role_has_screenshots_that_exist_and_are_shown_with_captions(login):
    page = login("liaison_chengxi")
    assert set(SCREENSHOTS) == set(MANUAL)
    for role, shots in SCREENSHOTS.items():
        html = page.get(f"/help/{role}/").content.decode()
        for name, _path, caption in shots:
            assert finders.find(f"qicha/help/{name}"), f"{name} is missing: run bench/help_screenshots.py"
            assert f'src="/static/qicha/help/{name}"' in html and caption in html, (role, name)
