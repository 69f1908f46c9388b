"""Browser tests: Debian's chromium driven by Playwright, with axe-core on every page visited."""

import functools
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM is used only by fixtures
# between page actions, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def watch_csp(page) -> list[str]:
    """Collect every Content-Security-Policy violation Chromium reports on the page, from now on."""
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
    )
    return violations


@pytest.fixture
def page(browser):
    # The site's CSP is enforced (no bypass_csp): a page that needs an inline script or style, or an
    # htmx swap that injects one, fails the test that visits it.
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA and best practices) on the page; return the violations."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the CSP refuses inline
    # scripts, and axe must check the page as users get it, policy and all.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
