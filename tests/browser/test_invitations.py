"""Bringing people in, in Chromium: a coordinator opens a case for a new person and invites the
employee and the manager; each opens the link from the captured e-mail, makes a login and reaches
their portal and the case's plan. Then the administrator's and the employer pages. Axe on every page."""

import re

import pytest
from django.core import mail

from fasthold.cases.demo import build_world
from fasthold.cases.models import Case
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+/people/invitation/\S+/")
PASSWORD = "Tilbage-til-arbejdet-7"


def _link_to(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return LINK.search(message.body).group(0)


def _invite(page, role: str, first: str, last: str, email: str):
    page.get_by_role("link", name="Invitér en person").click()
    check(page, f"invitation form ({role})")
    page.get_by_label("Rolle i forløbet").select_option(role)
    page.get_by_label("Fornavn").fill(first)
    page.get_by_label("Efternavn").fill(last)
    page.get_by_label("Mail", exact=True).fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text(f"Invitationen er sendt til {email}").is_visible()


def _accept(browser, live_server, link: str, first: str):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    page.goto(link)
    assert page.url.endswith("/people/invitation/accept/"), "the token leaves the address bar"
    check(page, f"accept page for {first}")
    page.get_by_label("Adgangskode", exact=True).fill("kort")
    page.get_by_label("Adgangskode igen").fill("kort")
    with page.expect_navigation():
        page.get_by_role("button", name="Lav mit login").click()
    check(page, "accept page with errors")
    assert page.locator(".form-error-message").count() >= 1
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_label("Adgangskode igen").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Lav mit login").click()
    return context, page


def test_a_new_employee_and_manager_come_in_by_invitation(live_server, page, browser):
    build_world()
    login(page, live_server.url, "koordinator")
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("Navn", exact=True).first.fill("Lise Holm")
    page.get_by_label("E-mail").first.fill("lise@example.net")
    page.get_by_label(re.compile(r"^Arbejdsgiver( |$)")).select_option(label="Nordjysk Dør og Vindue A/S")
    page.get_by_label("Første sygedag").fill("2026-11-02")
    page.get_by_label("Årsag").select_option("mental_stress")
    page.get_by_label("Henvisningskilde").select_option("gp")
    with page.expect_navigation():
        page.get_by_role("button", name="Opret forløb").click()
    case = Case.objects.get(person__name="Lise Holm")

    _invite(page, "employee", "Lise", "Holm", "lise@example.net")
    check(page, "case page with a waiting invitation")
    assert "Venter på svar" in page.locator("#invitations-heading + ul").inner_text()
    _invite(page, "manager", "Mette", "Krog", "mette@example.net")

    employee_context, employee = _accept(browser, live_server, _link_to("lise@example.net"), "Lise")
    assert employee.url.endswith("/me/"), employee.url
    check(employee, "the employee's portal")
    employee.goto(f"{live_server.url}/plans/{case.public_id}/")
    assert employee.get_by_role("heading", level=1).is_visible()
    check(employee, "the plan, as the employee")
    employee_context.close()

    manager_context, manager = _accept(browser, live_server, _link_to("mette@example.net"), "Mette")
    assert manager.url.endswith("/employer/"), manager.url
    assert "Lise Holm" in manager.content()
    check(manager, "the employer portal")
    manager.goto(f"{live_server.url}/plans/{case.public_id}/")
    check(manager, "the plan, as the manager")
    # A used link says so plainly.
    manager.goto(_link_to("mette@example.net"))
    assert "allerede brugt" in manager.content()
    manager_context.close()

    page.goto(f"{live_server.url}/cases/{case.public_id}/")
    participants = page.locator("#participants-heading + ul").inner_text()
    assert "Lise Holm" in participants and "Mette Krog" in participants
    assert "Nobody" not in page.content()


def test_the_administrator_and_the_employer_pages(live_server, page):
    world = build_world()
    login(page, live_server.url, "admin")
    # Users sit in the main menu's Administration group.
    page.get_by_role("button", name="Administration").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Brugere").click()
    check(page, "users")
    page.get_by_label("Fornavn").fill("Jens")
    page.get_by_label("Mail", exact=True).fill("ikke-en-adresse")
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    check(page, "users with an error")
    page.get_by_label("Mail", exact=True).fill("jens@example.net")
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    assert "jens@example.net" in page.content()

    page.get_by_role("link", name="Karen Holm").click()
    check(page, "a user")
    with page.expect_navigation():
        page.get_by_role("button", name="Deaktivér").click()
    assert page.url.endswith("/people/staff/reassign/")
    check(page, "cases to reassign")
    boxes = page.locator("input[name=cases]")
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_label("Ny koordinator").select_option(label="Mads Berg")
    with page.expect_navigation():
        page.get_by_role("button", name="Flyt forløb").click()
    assert "Alle åbne forløb har en aktiv koordinator." in page.content()

    employer = world.orgs["door_factory"]
    page.goto(f"{live_server.url}/organisations/employers/")
    page.get_by_role("link", name=employer.name).click()
    check(page, "an employer")
    page.get_by_role("link", name="Ret oplysningerne").click()
    check(page, "the employer form")
    page.get_by_label("Postnummer").fill("90")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem").click()
    check(page, "the employer form with an error")
    page.get_by_label("Postnummer").fill("9000")
    page.get_by_label("By").fill("Aalborg")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem").click()
    assert "9000 Aalborg" in page.content()
    page.get_by_role("link", name="Invitér en leder eller HR-medarbejder").click()
    check(page, "the employer invitation form")
    page.goto(f"{live_server.url}/people/invitation/not-a-real-link/")
    check(page, "an invalid link")


@pytest.mark.parametrize("width", [390])
def test_the_accept_page_on_a_phone(live_server, browser, width):
    world = build_world()
    from fasthold.people import services

    services.invite_to_organisation(
        actor=world.users["koordinator"],
        organisation=world.orgs["door_factory"],
        data={
            "first_name": "Ole",
            "last_name": "Sand",
            "email": "ole@example.net",
            "org_role": "manager",
            "language": "da",
        },
        base_url=live_server.url,
    )
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(_link_to("ole@example.net"))
    check(page, "accept page on a phone")
    page.keyboard.press("Tab")
    context.close()
