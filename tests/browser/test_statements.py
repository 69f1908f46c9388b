"""The fitness-for-work statement in the browser: the manager asks for one and fills in part 1 (with an
error first), the coordinator records the doctor's part, the employee sees it and shares it. Axe on every
page. Fields are found by id: the labels change language when the Danish catalogue has them."""

import datetime as dt

import pytest
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.coordination.models import PossibilityStatement
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statement_from_request_to_shared_doctors_part(live_server, page):
    world = build_world()
    base = live_server.url
    bodil = world.bodil
    today = timezone.localdate()
    pages = f"{base}/coordination/case/{bodil.public_id}/statements/"

    # The manager asks for a statement from her portal.
    login(page, base, "chef")
    page.goto(f"{base}/employer/{bodil.public_id}/")
    check(page, "employer portal with the statement panel")
    assert page.locator("#statement-panel-heading").count() == 1
    page.goto(pages + "new/")
    check(page, "request form")
    page.locator("#id_requested_on").fill((today + dt.timedelta(days=2)).isoformat())
    with page.expect_navigation():
        page.locator("main form button").click()
    check(page, "request form with an error")
    assert page.locator("#id_requested_on_error").count() == 1
    page.locator("#id_requested_on").fill(today.isoformat())
    with page.expect_navigation():
        page.locator("main form button").click()
    check(page, "statements page for the manager")
    statement = PossibilityStatement.objects.get(case=bodil)

    page.goto(f"{pages}{statement.public_id}/part1/")
    check(page, "part 1 form")
    page.locator("#id_conversation_on").fill(today.isoformat())
    page.locator("#id_job_description").fill("Sekretær: telefon og post")
    page.locator("#id_adaptations").fill("Ingen telefonvagt om eftermiddagen")
    with page.expect_navigation():
        page.locator("main form button").click()
    check(page, "statements page after part 1")
    assert "Ingen telefonvagt om eftermiddagen" in page.locator("main").inner_text()

    # The coordinator records the doctor's part.
    page.context.clear_cookies()
    login(page, base, "koordinator")
    page.goto(f"{base}/cases/{bodil.public_id}/")
    check(page, "case page with the statement panel")
    page.goto(f"{pages}{statement.public_id}/doctor/")
    check(page, "doctor's part form")
    page.locator("#id_received_on").fill(today.isoformat())
    page.locator("#id_doctor_assessment").fill("Kan arbejde 15 timer om ugen uden telefonvagt i fire uger.")
    with page.expect_navigation():
        page.locator("main form button").click()
    check(page, "statements page for the coordinator")

    # The employee sees her statement, and shares the doctor's part with her manager.
    page.context.clear_cookies()
    login(page, base, "bodil")
    page.goto(f"{base}/me/")
    check(page, "employee portal with the statement panel")
    assert "Ingen telefonvagt om eftermiddagen" in page.locator("main").inner_text()
    page.goto(pages)
    check(page, "statements page for the employee")
    with page.expect_navigation():
        page.locator(f"form[action$='{statement.public_id}/share/'] button").first.click()
    check(page, "statements page after sharing")
    statement.refresh_from_db()
    assert statement.shared_with_manager_at is not None

    page.context.clear_cookies()
    login(page, base, "chef")
    page.goto(pages)
    check(page, "statements page for the manager, the doctor's part shared")
    assert "15 timer om ugen" in page.locator("main").inner_text()
