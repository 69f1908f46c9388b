"""The Content-Security-Policy in Chromium: pages with charts, SVG bars, the two-factor QR code and htmx
swaps work under the policy and Chromium reports no violation; the watcher itself is shown to catch one."""

import pytest
from playwright.sync_api import expect

from fasthold.cases.demo import build_world
from tests.browser.conftest import watch_csp
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enforced(browser):
    """A page under the site's policies, with the list of violations Chromium reports."""
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    violations = watch_csp(page)
    # An unknown feature in Permissions-Policy is logged as an error: the header must only name real ones.
    page.on("console", lambda m: violations.append(m.text) if "Permissions-Policy" in m.text else None)
    yield page, violations
    context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "no-store" in response.headers.get("cache-control", ""), url
    check(page, url)


def test_pages_and_htmx_swaps_work_under_the_policy(live_server, enforced):
    page, violations = enforced
    world = build_world()
    from fasthold.plans.demo import load_demo as plans_demo
    from fasthold.schedules.demo import load_demo as schedules_demo

    plans_demo(world)
    schedules_demo(world)
    base, kurt = live_server.url, world.kurt.public_id
    login(page, base, "koordinator")

    # htmx: the live filter of the case list swaps the results in.
    visit(page, f"{base}/cases/")
    page.get_by_label("Søg på navn").press_sequentially("Bodil")
    expect(page.locator("#results")).not_to_contain_text("Kurt Jensen")
    expect(page.locator("#results")).to_contain_text("Bodil Sørensen")
    assert page.locator("#results").count() == 1, "the fragment is swapped into the live region, not nested"
    # htmx would inject an indicator <style> unless told not to (templates/base.html).
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0

    # htmx: revealing the CPR number swaps a fragment in by POST.
    visit(page, f"{base}/cases/{kurt}/")
    page.get_by_role("button", name="Vis (logges)").click()
    page.locator("#cpr", has_text="050371-1234").wait_for()

    for path in (
        f"/calendar/case/{kurt}/",
        f"/schedules/case/{kurt}/",
        f"/plans/case/{kurt}/",
        "/guidance/business-case/",
    ):
        visit(page, base + path)
    # The business case's bars are SVG whose widths are attributes, so they still have a width.
    assert page.locator(".gd-bar .gd-bar-net").first.bounding_box()["width"] > 0

    # The two-factor QR code is inline SVG.
    visit(page, f"{base}/account/security/enrol/")
    qr = page.get_by_role("img", name="QR-kode til at tilføje Fasthold i din godkendelsesapp")
    assert qr.bounding_box()["width"] > 50

    assert violations == []

    # The watcher is not blind: an inline style added now is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body { color: red }';"
        " document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in violations), violations
