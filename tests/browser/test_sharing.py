"""The employee shares a wording with her manager and withdraws it again; the manager's page follows at
once. Axe on every page."""

import os

import pytest

from fasthold.cases.demo import build_world
from fasthold.screening.demo import load_demo as load_screening
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDING = "Jeg er syg med stress og har brug for ro i en periode."


def test_employee_gives_and_withdraws_consent(live_server, browser):
    world = build_world()
    load_screening(world)
    base = live_server.url
    case = world.bodil
    shots = os.environ.get("FASTHOLD_SCREENSHOTS")

    employee = browser.new_context(locale="da-DK").new_page()
    login(employee, base, "bodil")
    employee.goto(f"{base}/me/")
    with employee.expect_navigation():
        employee.locator(f"a[href='/sharing/case/{case.public_id}/consents/']").first.click()
    check(employee, "consent page, nothing shared")
    employee.locator("#cat-illness").locator("xpath=..").locator("summary").click()
    employee.locator("label[for=id_illness_recipients_0]").click()
    employee.locator("#id_illness_text").fill(WORDING)
    check(employee, "consent form open")
    with employee.expect_navigation():
        employee.locator("#cat-illness").locator("xpath=..").get_by_role("button", name="Del", exact=True).click()
    assert WORDING in employee.content()
    check(employee, "consent page, one consent")
    if shots:
        employee.screenshot(path=f"{shots}/consents.png", full_page=True)

    manager = browser.new_context(locale="da-DK").new_page()
    login(manager, base, "chef")
    manager.goto(f"{base}/cases/{case.public_id}/")
    assert WORDING in manager.content()
    check(manager, "case page with a shared item")
    if shots:
        manager.screenshot(path=f"{shots}/manager.png", full_page=True)

    # The employee withdraws while the manager's page is open; the manager's next load shows nothing.
    with employee.expect_navigation():
        employee.get_by_role("button", name="Træk tilbage").first.click()
    assert "Trukket tilbage" in employee.content()
    check(employee, "consent page after withdrawal")
    manager.reload()
    assert WORDING not in manager.content()
    check(manager, "case page after withdrawal")

    # The colleague information: a draft from the template, approved by the employee.
    employee.goto(f"{base}/sharing/case/{case.public_id}/colleagues/")
    check(employee, "colleague page, no text")
    with employee.expect_navigation():
        employee.get_by_role("button", name="Lav et første udkast ud fra skabelonen").click()
    check(employee, "colleague page, draft")
    with employee.expect_navigation():
        employee.get_by_role("button", name="Jeg godkender denne tekst").click()
    check(employee, "colleague page, approved")
    manager.goto(f"{base}/sharing/case/{case.public_id}/colleagues/")
    check(manager, "colleague page as the manager")
    if shots:
        manager.screenshot(path=f"{shots}/colleagues.png", full_page=True)
    with manager.expect_navigation():
        manager.get_by_role("button", name="Registrér, at den er givet videre").click()
    assert "Registreret" in manager.content()
