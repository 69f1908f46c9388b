"""The participant picker in Chromium: choosing a role and typing part of a name finds only eligible
people (htmx swaps the results in); a psychologist is added with the employee's agreement. Axe on
every state of the page."""

import pytest

from fasthold.cases.demo import build_world
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_the_psychologist_through_the_picker(live_server, page):
    world = build_world()
    kurt = world.kurt
    login(page, live_server.url, "koordinator")
    page.goto(f"{live_server.url}/cases/{kurt.public_id}/participants/new/")
    check(page, "picker without a role")

    page.locator("#picker-role").select_option("psychologist")
    page.locator("#agreement-phone").wait_for()  # the fragment arrived
    check(page, "picker for a psychologist")
    assert page.locator("input[name=user]").count() == 0, "nobody is listed before a search"

    page.locator("#picker-q").fill("a")
    page.locator("#picker-q").fill("an")  # matches Anne, Jonas, Hanne...: only Anne Lund may be found
    page.get_by_label("Anne Lund, Psykologhuset Limfjorden").wait_for()
    picker = page.locator("#picker").inner_text()
    for outsider in ("Jonas Friis", "Susanne Dahl", "Karen Holm", "Bodil Sørensen"):
        assert outsider not in picker
    assert page.locator("#picker-q").evaluate("el => el === document.activeElement"), "typing keeps focus"
    check(page, "picker with a match")

    page.get_by_label("Anne Lund, Psykologhuset Limfjorden").check()
    page.locator("#id_health_agreed").check()
    page.locator("#agreement-phone").check()
    with page.expect_navigation():
        page.locator("#picker button.button-primary").click()
    assert page.url.endswith(f"/cases/{kurt.public_id}/"), page.url
    participant = kurt.participants.get(user=world.users["psykolog"])
    assert participant.health_agreement == "phone"
    assert participant.health_agreement_recorded_by == world.users["koordinator"]
    check(page, "case page after adding")
