"""The evaluation in Chromium: the overview, a program's page with its curves (and the table beside
them), the register import and a case's follow-up page; axe on every page at phone and desktop width,
and the employer side turned away."""

import pytest

from fasthold.cases.demo import build_world
from fasthold.evaluation.demo import PROGRAM_NAME
from fasthold.evaluation.demo import load_demo as load_evaluation
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_evaluation_pages(live_server, page):
    world = build_world()
    load_evaluation(world)
    login(page, live_server.url, "koordinator")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/evaluation/")
        check(page, f"overview at {width}")
        page.get_by_role("link", name=PROGRAM_NAME).click()
        assert page.locator("svg[role=img] path.fh-line").count() == 2
        check(page, f"program page at {width}")
        page.get_by_role("link", name="De, der gennemførte (per protocol)").click()
        check(page, f"per protocol at {width}")
        page.goto(f"{live_server.url}/evaluation/register/")
        check(page, f"register import at {width}")
        page.goto(f"{live_server.url}/evaluation/cases/{world.kurt.public_id}/")
        check(page, f"a case's follow-up at {width}")
    # With the keyboard: the per-protocol link is reached and followed.
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name=PROGRAM_NAME).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert PROGRAM_NAME in page.title()


def test_the_employer_side_is_turned_away(live_server, page):
    world = build_world()
    load_evaluation(world)
    from fasthold.screening.models import Program

    program = Program.objects.get(name=PROGRAM_NAME)
    login(page, live_server.url, "leder")
    response = page.goto(f"{live_server.url}/evaluation/programs/{program.public_id}/")
    assert response.status == 404
    check(page, "not found")
