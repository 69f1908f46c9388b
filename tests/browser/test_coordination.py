"""A coordinator logs a contact by keyboard and changes the agreement; the manager sees the log
without the professionals' notes. Axe on every page."""

import pytest
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.coordination.demo import load_demo
from fasthold.coordination.models import ContactAgreement, ContactEntry
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_a_contact_and_changes_the_agreement(live_server, page):
    world = build_world()
    load_demo(world)
    base = live_server.url
    bodil = world.bodil

    login(page, base, "koordinator")
    page.goto(f"{base}/cases/{bodil.public_id}/")
    check(page, "case page with the contact panel")
    assert page.locator("section[aria-labelledby=contact-panel-heading] .badge-error").count() == 1
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Kontakter og aftale").last.click()
    check(page, "contact page")
    assert page.locator("#id_contact_occurred_on").input_value() == timezone.localdate().isoformat()

    # First without saying with whom: the error is shown, the note kept.
    page.locator("#id_contact_note").fill("Ringede til Bodil; hun har det lidt bedre.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem kontakten").click()
    check(page, "contact form with an error")
    assert page.locator("#id_contact_with_whom_error").count() == 1
    assert page.locator("#id_contact_note").input_value() == "Ringede til Bodil; hun har det lidt bedre."

    # By keyboard: choose Bodil, keep "not the employer", submit with Enter on the button.
    page.locator("#id_contact_with_whom").select_option(label="Bodil Sørensen – Medarbejder (sygemeldt)")
    page.locator("#id_contact_audience_1").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gem kontakten").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page, "contact page after logging")
    assert page.get_by_text("Kontakten er noteret.").count() == 1
    entry = ContactEntry.objects.filter(case=bodil).order_by("-id").first()
    assert entry.audience == "professionals" and entry.logged_by == world.users["koordinator"]
    assert page.locator("#status-heading + dl .badge-error").count() == 0

    # Change the agreement.
    page.locator("#id_agreement_cadence_days").fill("10")
    page.locator("#id_agreement_description").fill("Karen ringer til Bodil hver tiende dag.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem aftalen").click()
    check(page, "contact page after changing the agreement")
    assert ContactAgreement.objects.get(case=bodil, current=True).cadence_days == 10
    assert page.get_by_text("Karen ringer til Bodil hver tiende dag.").count() >= 1

    # The manager sees the agreement and the shared notes, not the professionals' ones.
    page.context.clear_cookies()
    login(page, base, "chef")
    page.goto(f"{base}/coordination/case/{bodil.public_id}/contacts/")
    check(page, "contact page for the manager")
    body = page.locator("main").inner_text()
    assert "Karen ringer til Bodil hver tiende dag." in body
    assert "hun har det lidt bedre" not in body
    assert "Kaffe på kontoret" in body
