"""Two-factor login in the browser: a coordinator sets it up, logs out, logs in with a code computed
from the secret shown on the page, then with a recovery code; axe on every page."""

import re
import time

import pytest

from fasthold.accounts import totp
from fasthold.cases.demo import DEMO_PASSWORD, build_world
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what):
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def password_step(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}/login/")
    check(page, "login page")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Log ud").click()


def test_coordinator_sets_up_two_factor_and_logs_in_with_a_code_and_a_recovery_code(live_server, page, settings):
    settings.FASTHOLD_2FA_REQUIRED = True
    build_world()
    base = live_server.url

    password_step(page, base, "koordinator")
    # Required and not set up: the enrolment page, whatever was asked for.
    assert page.url.endswith("/account/security/enrol/")
    check(page, "enrolment")
    assert page.get_by_role("img", name="QR-kode til at tilføje Fasthold i din godkendelsesapp").count() == 1
    page.goto(f"{base}/cases/")
    assert page.url.endswith("/account/security/enrol/")
    secret = page.locator(".fh-secret code").inner_text().replace(" ", "")
    assert len(totp.decode_secret(secret)) == 20

    page.get_by_label("Kode fra din godkendelsesapp").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Slå til").click()
    check(page, "enrolment with an error")
    assert page.locator(".form-error-message").count() == 1
    page.get_by_label("Kode fra din godkendelsesapp").fill(totp.code_at(secret, time.time()))
    with page.expect_navigation():
        page.get_by_role("button", name="Slå til").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dine reservekoder"
    check(page, "recovery codes")
    codes = page.locator(".fh-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_navigation():
        page.get_by_role("link", name="Jeg har gemt koderne").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sikkerhed"
    check(page, "security page")
    page.goto(f"{base}/cases/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.url.endswith("/cases/")

    # Log in again: password, then the next code from the app (the enrolment code is used up).
    log_out(page)
    password_step(page, base, "koordinator")
    assert page.url.endswith("/account/login/code/")
    check(page, "code step")
    page.get_by_label("Kode fra din godkendelsesapp").fill(totp.code_at(secret, time.time() + totp.STEP_SECONDS))
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert page.url.endswith("/cases/"), page.url
    check(page, "case list after two-factor login")

    # No phone: a recovery code, once.
    log_out(page)
    password_step(page, base, "koordinator")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("brug en reservekode")).click()
    check(page, "recovery code step")
    page.get_by_label("Reservekode").fill(codes[0].lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert page.url.endswith("/cases/"), page.url
    assert "du har 9 tilbage" in page.locator("[role=status]").inner_text()


def test_locked_login_page_is_calm_and_accessible(live_server, page, settings):
    settings.FASTHOLD_2FA_REQUIRED = True
    build_world()
    for _ in range(5):
        password_step(page, live_server.url, "ingen-her", "forkert-adgangskode")
    alert = page.get_by_role("alert")
    assert re.search(r"Du kan prøve igen kl\. \d\d:\d\d\.", alert.inner_text())
    check(page, "locked login page")


def test_idle_logout_message_is_accessible(live_server, page, settings):
    settings.FASTHOLD_SESSION_IDLE_SECONDS = 1
    build_world()
    password_step(page, live_server.url, "laeser")
    assert "/cases/" in page.url
    time.sleep(2.1)
    page.goto(f"{live_server.url}/cases/")
    assert "/login/" in page.url
    assert "loggede dig ud" in page.get_by_role("status").inner_text()
    check(page, "login page after inactivity")


def test_slowed_down_login_page_is_calm_and_accessible(live_server, page, settings):
    """Behind an address with many failures, a colleague is asked to wait a few seconds, not locked out."""
    import datetime as dt

    from django.utils import timezone

    from fasthold.accounts import lockout
    from fasthold.accounts.models import AddressSlot, LoginAttempt

    settings.FASTHOLD_2FA_REQUIRED = True
    build_world()
    now = timezone.now()
    LoginAttempt.objects.bulk_create(
        [
            LoginAttempt(occurred_at=now, username_key=f"k{i}", ip="127.0.0.1", kind="password")
            for i in range(lockout.ADDRESS_LIMIT)
        ]
    )
    AddressSlot.objects.create(ip="127.0.0.1", next_check_at=now + dt.timedelta(minutes=1))
    password_step(page, live_server.url, "laeser")
    assert "/login/" in page.url
    assert re.search(r"\d+", page.get_by_role("alert").inner_text())
    check(page, "slowed-down login page")
