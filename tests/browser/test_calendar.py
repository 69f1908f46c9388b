"""Calendar pages in Chromium with axe: dashboard, case calendar, marking done, feed settings."""

import pytest

from fasthold.cases.demo import build_world
from fasthold.deadlines.models import Deadline
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_works_through_the_calendar(live_server, page):
    world = build_world()
    login(page, live_server.url, "koordinator")
    page.goto(f"{live_server.url}/calendar/")
    check(page, "deadline dashboard")
    page.goto(f"{live_server.url}/calendar/?scope=organisation&days=30")
    check(page, "deadline dashboard, organisation, 30 days")
    page.goto(f"{live_server.url}/cases/{world.kurt.public_id}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Kalender og frister").click()
    check(page, "case calendar")
    first_button = page.get_by_role("button", name="Markér som gjort i dag").first
    first_button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, "case calendar after marking done")
    assert Deadline.objects.filter(case=world.kurt, done_by=world.users["koordinator"]).count() == 1
    page.goto(f"{live_server.url}/calendar/feed/")
    check(page, "feed settings")
    with page.expect_navigation():
        page.get_by_role("button", name="Lav en kalenderadresse").click()
    check(page, "feed settings with address")
    assert page.get_by_label("Din kalenderadresse").input_value().endswith(".ics")


def test_manager_sees_own_duties_and_admin_settings(live_server, page):
    world = build_world()
    login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/calendar/")
    check(page, "manager dashboard")
    # The case calendar is the professionals' worksheet (404); the manager ticks his duties on his portal.
    response = page.goto(f"{live_server.url}/calendar/case/{world.kurt.public_id}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/employer/{world.kurt.public_id}/")
    check(page, "manager portal with his duties")
    page.context.clear_cookies()
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/calendar/settings/")
    check(page, "calendar settings")
    # The pack pages (issue 16): rules with their sources, the weekend rule and what is left out.
    for pack_id in ("dk-2025", "dk-good-practice"):
        page.goto(f"{live_server.url}/calendar/packs/{pack_id}/")
        check(page, f"rule pack {pack_id}")
