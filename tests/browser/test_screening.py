"""Visitation to the stress project end to end, and the employee reporting pain, with axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from fasthold.cases.choices import CauseCategory, ReferralSource
from fasthold.cases.demo import build_world
from fasthold.cases.models import Case, Employment
from fasthold.screening.examples import STRESS, install_example_programs
from fasthold.screening.models import QuestionnaireResponse, Visitation
from tests.browser.conftest import axe_violations
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    world = build_world()
    programs = {p.example_key: p for p in install_example_programs(world.orgs["jobcentre"])}
    kurt = world.kurt
    employment = Employment.objects.create(person=kurt.person, employer=kurt.employment.employer, status="employed")
    case = Case.objects.create(
        person=kurt.person,
        organisation=world.orgs["jobcentre"],
        coordinator=world.users["koordinator"],
        employment=employment,
        first_sick_day=timezone.localdate() - dt.timedelta(weeks=3),
        cause_category=CauseCategory.MENTAL_STRESS,
        referral_source=ReferralSource.GP,
    )
    # The example is not randomised (seed 000 shows a case and a control arm, no lottery); this
    # organisation runs its copy as a randomised trial, so the draw can be tested.
    stress = programs[STRESS]
    stress.randomised = True
    stress.save(update_fields=["randomised"])
    return world, stress, case


def _submit(page, action):
    with page.expect_navigation():
        page.locator(f'form:has(input[name="action"][value="{action}"]) button').click()


def test_coordinator_visits_a_case_into_the_stress_project(live_server, page):
    world, stress, case = _world()
    base = live_server.url
    login(page, base, "koordinator")
    page.goto(f"{base}/screening/programs/")
    check(page, "program list")
    with page.expect_navigation():
        page.get_by_role("link", name=stress.name).click()
    check(page, "program detail")

    page.goto(f"{base}/screening/case/{case.public_id}/programs/")
    check(page, "case programs")
    with page.expect_navigation():
        page.get_by_role("link", name=stress.name).click()
    assert "/visit/" in page.url
    check(page, "visitation, nothing answered")
    for criterion in stress.criteria.filter(source="answered"):
        choice = 2 if criterion.kind == "exclusion" else 1  # choices: not answered, yes, no
        page.locator(f'label[for="id_c{criterion.pk}_{choice}"]').click()
    _submit(page, "answers")
    assert page.locator("#visitation-result").inner_text().startswith(("Eligible", "Opfylder kriterierne"))
    check(page, "visitation, eligible")

    page.locator('label[for="id_decision_1"]').click()  # accepted
    _submit(page, "decide")
    check(page, "visitation, accepted")
    assert page.locator('input[name="method"][value="random"]').is_checked()
    _submit(page, "allocate")
    visitation = Visitation.objects.get(case=case)
    assert page.locator("#visitation-seed").inner_text() == str(visitation.random_seed)
    assert page.locator("#visitation-arm").inner_text() == visitation.arm.name
    rows = page.locator("#planned-sessions tbody tr")
    assert rows.count() == visitation.sessions.count() > 0
    check(page, "visitation, allocated with sessions")

    page.goto(f"{base}/screening/case/{case.public_id}/profile/")
    check(page, "prognostic profile")
    page.goto(f"{base}/screening/case/{case.public_id}/profile/edit/")
    check(page, "prognostic profile form")
    page.goto(f"{base}/screening/case/{case.public_id}/questionnaires/who5/")
    check(page, "paper form for a licensed instrument")
    page.goto(f"{base}/screening/instruments/")
    check(page, "instruments and licences")


def test_employee_reports_pain_from_own_login(live_server, page):
    world, _stress, _case = _world()
    base = live_server.url
    case = world.kurt
    login(page, base, "kurt")
    # From his portal: the results page with its clinical bands is the professionals' worksheet.
    page.goto(f"{base}/me/")
    check(page, "employee's portal with the questionnaires")
    assert page.locator('a[href$="/questionnaires/who5/"]').count() == 0  # no licensed texts to show
    with page.expect_navigation():
        page.locator('a[href$="/questionnaires/nrs/"]').click()
    check(page, "NRS form")
    page.locator("#id_item_1_5").check()
    with page.expect_navigation():
        page.locator("form button.button-primary").click()
    response = QuestionnaireResponse.objects.get(case__person=case.person)  # his portal's case: the open one
    assert (response.score, response.source) == (5, "self")
    assert page.url.endswith("/me/")
    assert page.get_by_role("status").count() >= 1  # "thank you", on his portal
    assert axe_violations(page) == [], "portal after answering"
