"""A coordinator starts a revision, builds a schedule (form, live preview, save) and adjusts a day; the
manager records the hours actually worked. Axe on every page visited."""

import pytest

from fasthold.cases.demo import build_world
from fasthold.plans.demo import load_demo as load_plans
from fasthold.schedules.demo import load_demo
from fasthold.schedules.models import ActualWeek, ReturnSchedule
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(page, locator):
    with page.expect_navigation():
        locator.click()


def test_coordinator_builds_a_schedule_and_manager_records_hours(live_server, page):
    world = build_world()
    load_plans(world)
    load_demo(world)
    base = live_server.url
    url = f"{base}/schedules/case/{world.kurt.public_id}/"

    login(page, base, "koordinator")
    page.goto(url)
    check(page, "schedule page, current version")
    click(page, page.locator(f"a[href$='/plans/case/{world.kurt.public_id}/revise/']").first)
    check(page, "revise form")
    page.locator("#id_reason").fill("Kurt starter med 3 timer om dagen")
    click(page, page.locator("main form[method=post] button").last)

    page.goto(url)
    check(page, "schedule page, draft")
    click(page, page.locator(f"a[href$='/schedules/case/{world.kurt.public_id}/edit/']").first)
    check(page, "schedule form")
    # Kurt's schedule is the guide's fixed 15 hours a week; the coordinator switches to an escalation.
    page.locator('input[name="mode"][value="generated"]').check()
    page.locator("#id_step_hours").fill("0.5")
    page.locator("#id_max_day_hours").fill("7")
    page.locator("#id_start_hours").fill("9")
    with page.expect_response(lambda r: "/edit/?" in r.url):
        page.locator("#id_start_hours").dispatch_event("change")
    page.locator("#preview").get_by_text("Ret de markerede felter").wait_for()
    page.locator("#id_start_hours").fill("3")
    with page.expect_response(lambda r: "/edit/?" in r.url):
        page.locator("#id_start_hours").dispatch_event("change")
    page.locator("#preview").get_by_text("Uge 9").wait_for()
    check(page, "schedule form with live preview")
    page.locator("#id_step_hours").fill("0")
    click(page, page.locator("button[name=save]"))
    check(page, "schedule form with an error")
    assert page.locator("#id_step_hours_error").count() == 1
    page.locator("#id_step_hours").fill("0.5")
    click(page, page.locator("button[name=preview]"))
    check(page, "schedule form, preview without javascript")
    click(page, page.locator("button[name=save]"))
    check(page, "schedule page after saving")
    draft = ReturnSchedule.objects.get(case=world.kurt, plan_version__status="draft")
    assert draft.start_hours == 3

    click(page, page.locator("table.fh-cal a").first)
    check(page, "adjust a day")
    page.locator("#id_kind").select_option("rest")
    click(page, page.locator("main form button").first)
    check(page, "schedule page with an adjusted day")
    assert draft.overrides.count() == 1

    click(page, page.locator("a[href$='/mixer/new/']"))
    check(page, "mixer form")
    click(page, page.locator("a", has_text="Tilbage til optrapningsplanen"))
    click(page, page.locator("a[href$='/tasks/']").first)
    check(page, "tasks page")
    click(page, page.locator("button", has_text="Brug disse eksempler"))
    check(page, "tasks page with the profession examples")
    page.goto(f"{base}/schedules/task-examples/")
    check(page, "example tasks per profession")

    page.context.clear_cookies()
    login(page, base, "leder")
    page.goto(url)
    check(page, "manager's schedule page")
    click(page, page.locator("a", has_text="Registrér uge 3"))
    check(page, "record actual hours")
    page.locator("#id_hours").fill("-2")
    click(page, page.locator("main form button"))
    check(page, "record actual hours with an error")
    page.locator("#id_hours").fill("9")
    page.locator("#id_note").fill("God uge")
    click(page, page.locator("main form button"))
    check(page, "manager's schedule page after recording")
    assert ActualWeek.objects.filter(case=world.kurt).count() == 3
