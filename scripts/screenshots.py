"""`make screenshots`: every persona's main pages at phone (390 px) and desktop (1280 px) width, for review.

Loads the demo into a fresh database (var/screenshots.sqlite3), serves it on a free local port, logs in as
each demo persona (reading the demo's authenticator code off the page) and follows the links of the
persona's menu and of its start page, up to PAGES_PER_PERSONA pages, saving a full-page PNG of each at
both widths in var/screenshots/<persona>/. It also prints, per page, its HTTP status and whether the
page is wider than the window (horizontal overflow), so a reviewer knows where to look first.

Uses Debian's chromium through Playwright, as the browser tests do; nothing is downloaded.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "screenshots"
DATABASE = ROOT / "var" / "screenshots.sqlite3"
PERSONAS = ("koordinator", "kollega", "laeser", "admin", "leder", "chef", "kurt", "bodil", "psykolog", "anden")
PASSWORD = "fasthold-demo"
WIDTHS = (390, 1280)
PAGES_PER_PERSONA = 14
# Links that download a file, change something or leave the site are not pages to look at.
SKIP = re.compile(r"(logout|/i18n/|\.(pdf|csv|ics|zip|svg|png)$|/feed/|/export)", re.IGNORECASE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fasthold(*args: str, env: dict) -> None:
    subprocess.run([str(ROOT / ".venv" / "bin" / "fasthold"), *args], check=True, env=env, cwd=ROOT)


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if page.get_by_label("Kode fra din godkendelsesapp").count():
        # The demo shows the current code on the page (FASTHOLD_DEMO=1); a real installation never does.
        code = re.search(r"\d{3} \d{3}", page.inner_text("main")).group(0)
        page.get_by_label("Kode fra din godkendelsesapp").fill(code)
        with page.expect_navigation():
            page.keyboard.press("Enter")


def _pages(page, base: str) -> list[str]:
    """The persona's start page, then the links of its menu and start page, on this site, in order."""
    seen = [urlparse(page.url).path]
    for href in page.eval_on_selector_all("header a[href], nav a[href], main a[href]", "els => els.map(e => e.href)"):
        url = urlparse(href)
        if url.netloc != urlparse(base).netloc or SKIP.search(url.path) or url.path in seen:
            continue
        seen.append(url.path)
    return seen[:PAGES_PER_PERSONA]


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print("Debian's chromium is not installed: apt-get install chromium (make setup does it).", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "FASTHOLD_DEBUG": "1",
        "FASTHOLD_DEMO": "1",
    }
    DATABASE.unlink(missing_ok=True)
    _fasthold("migrate", "--no-input", "--verbosity", "0", env=env)
    _fasthold("demo", "--if-empty", env=env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "fasthold"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        shutil.rmtree(OUT, ignore_errors=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for persona in PERSONAS:
                context = browser.new_context(locale="da-DK", viewport={"width": WIDTHS[-1], "height": 900})
                page = context.new_page()
                _login(page, base, persona)
                for path in _pages(page, base):
                    for width in WIDTHS:
                        page.set_viewport_size({"width": width, "height": 900})
                        response = page.goto(base + path)
                        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                        target = OUT / persona / f"{_name(path)}-{width}.png"
                        target.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(target), full_page=True)
                        flag = "  OVERFLOW" if wide else ""
                        print(f"{response.status} {persona:<12} {width:>4} px {path}{flag}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Saved in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
