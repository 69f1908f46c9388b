"""Each persona logs in, visits the case list and a case page; axe finds nothing on any page."""

import re

import pytest

from fasthold.cases.demo import DEMO_PASSWORD, build_world
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/login/")
    assert axe_violations(page) == [], "login page"
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login/" not in page.url, f"{username} could not log in"


def check(page, what):
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


PERSONAS = {
    # username: (sees a case list with these names, the case to open, may read health)
    "koordinator": ("Kurt Jensen", True),
    "laeser": ("Kurt Jensen", True),
    "admin": ("Bodil Sørensen", True),
    "leder": ("Kurt Jensen", False),
    "chef": ("Bodil Sørensen", False),
    "kurt": ("Kurt Jensen", True),
    "bodil": ("Bodil Sørensen", True),
    "psykolog": ("Bodil Sørensen", True),
    "anden": ("Ida Mortensen", True),
}


EMPLOYEES = ("kurt", "bodil")


def test_preferred_language_applies_at_login(live_server, page):
    build_world()
    login(page, live_server.url, "anden")
    assert page.get_by_role("heading", level=1).inner_text() == "Cases"


def test_every_persona_sees_list_and_case_page_without_axe_violations(live_server, page):
    build_world()
    for username, (case_name, reads_health) in PERSONAS.items():
        page.context.clear_cookies()
        login(page, live_server.url, username)
        page.goto(f"{live_server.url}/cases/")
        check(page, f"{username}: case list")
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name=case_name).first.click()
        if username in EMPLOYEES:
            # The employee's own case page is her portal, in words meant for her.
            assert page.url.endswith("/me/"), page.url
            check(page, f"{username}: her portal")
            continue
        assert page.get_by_role("heading", level=1).inner_text() == case_name
        check(page, f"{username}: case page")
        # anden prefers English; the others Danish.
        health = page.get_by_role("link", name=re.compile(r"^(Helbredsoplysninger|Health information)"))
        # The case navigation and the facts both link it, for those who may read it.
        assert (health.count() > 0) == reads_health, username
        if reads_health:
            with page.expect_navigation():
                health.first.click()
            check(page, f"{username}: health page")


def test_coordinator_opens_a_case_with_the_keyboard_and_sees_field_errors(live_server, page):
    build_world()
    login(page, live_server.url, "koordinator")
    page.goto(f"{live_server.url}/cases/new/")
    check(page, "new case form")
    page.get_by_label("Navn", exact=True).first.focus()
    page.keyboard.type("Lise Holm")
    with page.expect_navigation():
        page.get_by_role("button", name="Opret forløb").press("Enter")
    check(page, "new case form with errors")
    assert page.locator(".form-error-message").count() >= 2
    assert page.get_by_label("Navn", exact=True).first.input_value() == "Lise Holm"
    page.get_by_label(re.compile(r"^Arbejdsgiver( |$)")).select_option(label="Nordjysk Dør og Vindue A/S")
    page.get_by_label("Første sygedag").fill("2026-11-02")
    page.get_by_label("Årsag").select_option("mental_stress")
    page.get_by_label("Henvisningskilde").select_option("gp")
    with page.expect_navigation():
        page.get_by_role("button", name="Opret forløb").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lise Holm"
    check(page, "new case page")
    page.goto(f"{live_server.url}/organisations/employers/")
    check(page, "employers")
    page.goto(f"{live_server.url}/organisations/employers/new/")
    check(page, "new employer")


def test_admin_audit_log_and_english_interface(live_server, page):
    build_world()
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/audit/")
    check(page, "audit log")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audit log"
    page.goto(f"{live_server.url}/cases/")
    check(page, "case list in English")
