"""A coordinator writes a plan (goal, sub-goal with a scale, activity), makes it current and records a
step; the employee enters a score (first off the scale, then right) and agrees. Axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.plans.demo import ensure_catalogue
from fasthold.plans.models import Measurement, PlanVersion
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form_selector="main form[method=post]"):
    with page.expect_navigation():
        page.locator(f"{form_selector} button").last.click()


def test_coordinator_writes_a_plan_and_employee_enters_a_score(live_server, page):
    world = build_world()
    ensure_catalogue()
    base = live_server.url
    case_url = f"{base}/plans/case/{world.kurt.public_id}/"
    today = timezone.localdate()

    login(page, base, "koordinator")
    page.goto(case_url)
    check(page, "plan page without a plan")
    with page.expect_navigation():
        page.locator(f"a[href$='/plans/case/{world.kurt.public_id}/new/']").click()
    check(page, "new plan form")
    page.locator("#id_goal").fill("Kurt er tilbage i sit normale job")
    page.locator("#id_goal_target_date").fill((today + dt.timedelta(days=180)).isoformat())
    page.locator("#id_evaluation_date").fill((today + dt.timedelta(days=30)).isoformat())
    submit(page)
    check(page, "plan page with a draft")

    with page.expect_navigation():
        page.locator("a[href*='/sub-goals/new/']").click()
    check(page, "new sub-goal form")
    page.locator("#id_text").fill("Arbejder nogle timer med smerter, han kan leve med")
    page.locator("#id_target_date").fill((today + dt.timedelta(days=90)).isoformat())
    page.locator("#id_area").select_option("hours")
    page.locator("#id_work_related").uncheck()
    page.locator("#id_indicator").select_option("scale")
    page.locator("#id_unit").fill("smerte")
    page.locator("#id_start_value").fill("8")
    page.locator("#id_target_value").fill("8")
    submit(page)
    check(page, "sub-goal form with an error")
    assert page.locator("#id_target_value_error").count() == 1
    page.locator("#id_target_value").fill("3")
    submit(page)
    check(page, "draft with a sub-goal")

    with page.expect_navigation():
        page.locator("a[href*='/activities/new/']").click()
    check(page, "new activity form")
    page.locator("#id_what").fill("Virksomhedspraktik som truckfører")
    page.locator("#id_kind").select_option("workplace")
    page.locator("#id_responsible_participant").select_option(index=2)
    page.locator("#id_frequency").fill("15 timer om ugen i 4 uger")
    page.locator("#id_sub_goals_0").check()
    page.locator("#id_tool").select_option(index=2)
    submit(page)
    check(page, "draft with an activity")
    assert "Virksomhedspraktik som truckfører" in page.content()

    with page.expect_navigation():
        page.locator("form[action$='/publish/'] button").click()
    check(page, "current plan")
    assert PlanVersion.objects.get(plan__case=world.kurt).status == "current"

    page.goto(f"{case_url}step/")
    check(page, "step form")
    page.locator("#id_step").select_option("3")
    page.locator("#id_reason").fill("Praktik aftalt på fællesmødet")
    submit(page)
    check(page, "plan page with a step")
    assert page.locator("[aria-current=step]").count() == 1

    page.context.clear_cookies()
    login(page, base, "kurt")
    page.goto(case_url)
    check(page, "employee's plan page")
    with page.expect_navigation():
        page.locator("a[href$='/scores/']").first.click()
    check(page, "employee's score page")
    page.locator("input[name$='-value']").fill("11")
    submit(page, "main form[method=post]")
    check(page, "score page with an error")
    assert page.locator(".form-error-message").count() == 1
    page.locator("input[name$='-value']").fill("6")
    submit(page, "main form[method=post]")
    check(page, "score page after saving")
    assert Measurement.objects.get().value == 6
    page.goto(case_url)
    with page.expect_navigation():
        page.locator("form[action$='/agree/'] button").click()
    check(page, "plan page after agreeing")
    assert PlanVersion.objects.get(plan__case=world.kurt).agreed_at is not None


def test_retention_tools_catalogue(live_server, page):
    build_world()
    ensure_catalogue()
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/plans/tools/")
    check(page, "retention tools")
    page.goto(f"{live_server.url}/plans/tools/mentor/edit/")
    check(page, "edit retention tool")
