"""The 操作手册's screenshots (core/help.py SCREENSHOTS), taken with Playwright and Debian's chromium from a running
demo (`make run`), as each role's demo account sees the pages, at 1366×768 (the office desktops' screen).

    .venv/bin/python bench/help_screenshots.py --base-url http://127.0.0.1:8000 --password "$(cat var/demo_password)"

The files go to src/qicha/static/qicha/help/ (served offline with the other static files); look at them before
committing. JPEG at quality 80 keeps the text sharp at a tenth of the PNG's size.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qicha.settings")

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from qicha.core.help import SCREENSHOT_ACCOUNTS, SCREENSHOTS  # noqa: E402

OUT = ROOT / "src" / "qicha" / "static" / "qicha" / "help"
CHROMIUM = os.environ.get("QICHA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", required=True, help="the demo accounts' password")
    parser.add_argument("--only", nargs="*", help="role keys (default: every role)")
    parser.add_argument("--out", type=Path, default=OUT, help="another directory, e.g. to look at PNG copies")
    parser.add_argument("--png", action="store_true", help="PNG instead of JPEG (for viewers that show PNG only)")
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for role, shots in SCREENSHOTS.items():
            if args.only and role not in args.only:
                continue
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                          viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.goto(f"{args.base_url}/login/")
            page.fill("#id_username", SCREENSHOT_ACCOUNTS[role])
            page.fill("#id_password", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path, _caption in shots:
                page.goto(f"{args.base_url}{path}")
                page.wait_for_load_state("networkidle")
                target = out / (name.rsplit(".", 1)[0] + ".png" if args.png else name)
                if args.png:
                    page.screenshot(path=str(target), type="png")
                else:
                    page.screenshot(path=str(target), type="jpeg", quality=80)
                target.chmod(0o644)  # static files are served to everyone (nginx reads them as itself)
                print(f"{role:10} {path:24} → {target}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
