"""Guidance in the browser: the public calculator on a phone, the phases, a coordinator's first call."""

import pytest

from fasthold.cases.demo import build_world
from tests.browser.conftest import axe_violations
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="da-DK", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_public_calculator_on_a_phone(live_server, phone):
    base = live_server.url
    phone.goto(f"{base}/guidance/business-case/")
    assert "/login/" not in phone.url
    check(phone, "calculator")
    assert phone.locator('[data-cell="employer_total:dismiss_and_hire"]').inner_text() == "163.500"
    assert phone.locator('[data-cell="extra_cost_of_sick_listing:part_time_sick"]').inner_text() == "18.000"
    # Nothing wider than the phone's screen except the scrollable table region.
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
    assert phone.locator("#id_gross").get_attribute("inputmode") == "numeric"

    phone.locator("#id_temp_full").fill("-100")
    phone.locator("#id_gross").fill("mange")
    with phone.expect_navigation():
        phone.locator(".gd-calc button").click()
    check(phone, "calculator with errors")
    assert phone.locator(".form-error-message").count() == 2
    assert phone.locator("#id_temp_full").input_value() == "-100"

    phone.locator("#id_temp_full").fill("90.000")
    phone.locator("#id_gross").fill("120000")
    with phone.expect_navigation():
        phone.locator(".gd-calc button").click()
    assert phone.locator('[data-cell="gross_salary:in_job"]').inner_text() == "120.000"

    with phone.expect_navigation():
        phone.get_by_role("link", name="Calculate from a few facts").or_(
            phone.locator('.gd-modes a[href="?mode=derived"]')
        ).first.click()
    check(phone, "calculator, derived mode")
    phone.locator("#id_monthly_salary").fill("35000")
    with phone.expect_navigation():
        phone.locator(".gd-calc button").click()
    check(phone, "calculator, derived result")
    assert phone.locator('[data-cell="gross_salary:in_job"]').inner_text() == "105.000"


def test_phases_pages(live_server, page):
    base = live_server.url
    page.goto(f"{base}/guidance/")
    check(page, "guidance index")
    with page.expect_navigation():
        page.locator(".gd-phases a").nth(1).click()
    assert page.url.endswith("/guidance/phases/when-it-happens/")
    check(page, "phase 2")
    for slug in ("before", "sick-leave", "return", "retention"):
        page.goto(f"{base}/guidance/phases/{slug}/")
        check(page, f"phase {slug}")
    page.goto(f"{base}/guidance/continuum/")
    check(page, "continuum")


def test_coordinator_first_contact_and_case_guidance(live_server, page):
    world = build_world()
    base = live_server.url
    login(page, base, "koordinator")
    page.goto(f"{base}/guidance/case/{world.kurt.public_id}/")
    check(page, "case guidance")
    with page.expect_navigation():
        page.locator("main").locator(f'a[href="/guidance/case/{world.kurt.public_id}/first-contact/"]').last.click()
    check(page, "first contact")
    assert "Nordjysk Dør og Vindue A/S" in page.locator(".gd-script").inner_text()
    with page.expect_navigation():
        page.locator("form[method=post] button.button-primary").click()
    check(page, "first contact with an error")
    assert page.locator(".form-error-message").count() == 1
    page.locator("#id_busy_period").fill("Travl sæson og ny mester siden januar.")
    page.locator("#id_agreed").fill("Fællesmøde på virksomheden tirsdag.")
    with page.expect_navigation():
        page.locator("form[method=post] button.button-primary").click()
    check(page, "first contact saved")
    assert page.locator(".alert-success").count() == 1

    page.goto(f"{base}/guidance/policy/")
    check(page, "policy")
    page.goto(f"{base}/guidance/policy/print/")
    check(page, "policy print")
    page.goto(f"{base}/guidance/professions/")
    check(page, "professions")
    page.goto(f"{base}/guidance/professions/nurse/")
    check(page, "profession note")


def test_manager_sees_the_phase_for_the_case(live_server, page):
    world = build_world()
    login(page, live_server.url, "chef")
    page.goto(f"{live_server.url}/guidance/case/{world.bodil.public_id}/")
    check(page, "manager's case guidance")
    assert axe_violations(page) == []
    assert "Moderat depression" not in page.content()
