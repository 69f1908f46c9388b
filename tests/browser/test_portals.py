"""The portals on a phone: the manager and the employee land on their page; axe on each, keyboard only."""

import pytest

from fasthold.cases.demo import build_world
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def _load_demo():
    from importlib import import_module

    from fasthold.cases.management.commands.demo import DEMO_APPS

    world = build_world()
    for app in DEMO_APPS:
        try:
            module = import_module(f"fasthold.{app}.demo")
        except ModuleNotFoundError:
            continue
        module.load_demo(world)
    from fasthold.cases.models import Case
    from fasthold.deadlines.services import calendar_refresh_many

    calendar_refresh_many(list(Case.objects.select_related("employment")))
    return world


def test_manager_on_a_phone_reaches_their_employee_by_keyboard(live_server, page):
    _load_demo()
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "leder")
    assert page.url.endswith("/employer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine sygemeldte medarbejdere"
    check(page, "employer portal")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    link = page.get_by_role("link", name="Åbn Kurt Jensens side")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Kurt Jensen"
    check(page, "employer's page for one employee")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_employee_lands_on_a_calm_overview(live_server, page):
    _load_demo()
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "bodil")
    assert page.url.endswith("/me/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mit forløb"
    check(page, "employee portal")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_navigation():
        page.get_by_role("link", name="Se og ændr, hvad du deler").click()
    check(page, "consent page from the portal")


def test_the_managers_calendar_and_schedule_fit_a_phone(live_server, page):
    # The case calendar's hidden button labels (.sr-only, placed absolutely) and the schedule's
    # accommodation table made both pages wider than the phone.
    world = _load_demo()
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "leder")
    for name in ("portals:employer_case", "schedules:schedule"):
        from django.urls import reverse

        page.goto(live_server.url + reverse(name, args=[world.kurt.public_id]))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
