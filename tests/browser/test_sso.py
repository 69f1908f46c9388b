"""Single sign-on in the browser, end to end against the local OpenID Connect provider (tests/sso/op.mjs):
the button on the login page is reached with the keyboard, the provider's login page is filled in, and the
browser comes back logged in (authorisation-code flow with PKCE). A coordinator then gives our code after
a provider without multi-factor; a login the provider knows but Fasthold does not is refused. Axe on every
Fasthold page visited."""

import re
import time

import pytest

from fasthold.accounts import sso, totp
from fasthold.accounts.models import ExternalIdentity, TwoFactorDevice
from fasthold.cases.demo import build_world
from tests.browser.conftest import axe_violations
from tests.sso import oidc_op

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The Danish wording once locale-pending/sso14.po is in the catalogue; the English until then.
SSO_BUTTON = re.compile(r"^Log (ind med|in with) Test-IdP$")


def check(page, what):
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


@pytest.fixture
def world(live_server, settings):
    settings.FASTHOLD_2FA_REQUIRED = True
    issuer = oidc_op.running(live_server.url + oidc_op.CALLBACK_PATH)
    settings.FASTHOLD_OIDC_PROVIDERS = oidc_op.providers(issuer)
    sso.discovery_forget()
    world = build_world()
    ExternalIdentity.objects.create(user=world.users["kurt"], provider="local", subject="sub-kurt")
    ExternalIdentity.objects.create(user=world.users["koordinator"], provider="local", subject="sub-karen")
    return world


def sso_with_keyboard(page, base, username, password):
    """From the login page to the provider with the keyboard only, then its login form."""
    page.goto(f"{base}/login/")
    check(page, "login page with SSO buttons")
    page.get_by_label("Brugernavn").focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        if SSO_BUTTON.match(focused):
            break
    else:
        raise AssertionError("the SSO button is not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(oidc_op.running(base + oidc_op.CALLBACK_PATH)), page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_an_employee_logs_in_with_sso_end_to_end(world, live_server, page):
    base = live_server.url
    sso_with_keyboard(page, base, "kurt", "kurt-pw")
    assert page.url == f"{base}/me/", page.url
    check(page, "the employee's portal after SSO")
    assert page.get_by_role("button", name="Log ud").is_visible()
    assert ExternalIdentity.objects.get(provider="local", subject="sub-kurt").last_login_at is not None


def test_a_coordinator_gives_our_code_after_a_provider_without_mfa(world, live_server, page):
    base = live_server.url
    TwoFactorDevice.objects.create(
        user=world.users["koordinator"], secret=SECRET, confirmed_at=world.users["koordinator"].date_joined
    )
    sso_with_keyboard(page, base, "karen", "karen-pw")
    assert page.url.endswith("/account/login/code/"), page.url
    check(page, "code step after SSO")
    page.get_by_label("Kode fra din godkendelsesapp").fill(totp.code_at(SECRET, time.time()))
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert page.url == f"{base}/cases/", page.url
    check(page, "case list after SSO and code")


def test_a_login_fasthold_does_not_know_is_refused_plainly(world, live_server, page):
    base = live_server.url
    sso_with_keyboard(page, base, "stranger", "stranger-pw")
    assert page.url.startswith(f"{base}/account/sso/callback/"), page.url
    check(page, "SSO refusal")
    alert = page.get_by_role("alert").inner_text()
    assert alert.startswith(("Dit login er ikke knyttet til en bruger", "Your login is not linked to a user")), alert
    assert page.get_by_role("button", name="Log ud").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("login-siden|login page")).click()
    assert page.url.startswith(f"{base}/login/")
