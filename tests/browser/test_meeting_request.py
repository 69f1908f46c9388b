"""Issue 18's browser test: the manager asks for a meeting on a phone, the coordinator sees it on the
worklist, plans the meeting from it, and the request closes itself. Axe on every page visited.

The new words wait in locale-pending/*.po, so each is matched in Danish or English."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.deadlines.engine.dates import add_working_days
from fasthold.meetings.models import Meeting
from fasthold.notifications.models import Notification, Status
from fasthold.requests import notices
from fasthold.requests.models import MeetingRequest, Message, RequestStatus
from fasthold.worklist.models import Kind, WorkItem
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def either(*words):
    return re.compile("|".join(re.escape(w) for w in words))


def test_the_manager_asks_on_a_phone_and_the_coordinator_plans_it_from_the_worklist(live_server, page):
    world = build_world()
    base = live_server.url

    # The manager, on a phone: his employee's page, then the request form.
    page.set_viewport_size(PHONE)
    login(page, base, "leder")
    page.goto(f"{base}/employer/{world.kurt.public_id}/")
    check(page, "manager's page for Kurt on a phone")
    with page.expect_navigation():
        page.get_by_role("link", name=either("Bed om et møde", "Ask for a meeting")).click()
    check(page, "ask for a meeting on a phone")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#id_purpose").fill("At tale om Kurts opgaver på lageret og om at gå op i tid.")
    page.locator("#id_video").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    check(page, "manager's page after asking")
    assert page.url.endswith(f"/employer/{world.kurt.public_id}/")
    item = MeetingRequest.objects.get(case=world.kurt)
    assert item.is_open and item.video
    assert WorkItem.objects.get(kind=Kind.MEETING_REQUEST, source_id=item.pk).is_unhandled

    # The coordinator: the worklist shows the request; from the case page she plans the meeting.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, base, "koordinator")
    page.goto(f"{base}/worklist/?kind={Kind.MEETING_REQUEST}")
    check(page, "worklist with the request")
    card = page.locator("section.fh-card", has_text="Kurt Jensen")
    assert card.count() == 1
    with page.expect_navigation():
        card.get_by_role("link", name=re.compile("Kurt Jensen")).first.click()
    check(page, "case page with the request")
    with page.expect_navigation():
        page.get_by_role(
            "link", name=either("Planlæg et møde for denne anmodning", "Plan a meeting for this request")
        ).click()
    check(page, "plan a meeting for the request")
    assert "gå op i tid" in page.locator("#id_purpose").input_value()
    day = add_working_days(timezone.localdate() + dt.timedelta(days=7), 0)
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_time").fill("10:00")
    page.locator("#id_place").fill("Nordjysk Dør og Vindue, mødelokalet")
    page.locator("#id_purpose_agreed").check()
    with page.expect_navigation():
        page.get_by_role("button", name=either("Planlæg mødet", "Plan the meeting")).click()
    check(page, "the planned meeting")
    assert "/meetings/" in page.url

    item.refresh_from_db()
    assert item.status == RequestStatus.PLANNED
    assert item.meeting == Meeting.objects.filter(case=world.kurt).latest("pk")
    assert Notification.objects.get(kind=notices.MEETING_REQUEST, object_id=item.pk).status == Status.CLOSED

    # The request closed itself: the worklist no longer shows it as unhandled.
    page.goto(f"{base}/worklist/?kind={Kind.MEETING_REQUEST}")
    check(page, "worklist after planning")
    assert page.locator("section.fh-card", has_text="Kurt Jensen").count() == 0
    assert not WorkItem.objects.get(kind=Kind.MEETING_REQUEST, source_id=item.pk).is_unhandled


def test_the_employee_sends_a_message_on_a_phone_and_reads_the_coordinators_answer(live_server, page):
    world = build_world()
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "bodil")
    page.goto(f"{base}/me/")
    check(page, "Bodil's portal with the card")
    with page.expect_navigation():
        page.get_by_role(
            "link", name=either("Send en besked til din koordinator", "Send a message to your coordinator")
        ).click()
    check(page, "message form on a phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    check(page, "message form with an error")
    assert page.locator("#id_body").get_attribute("aria-invalid") == "true"
    page.locator("#id_body").fill("Jeg sover dårligt i denne uge. Kan vi tale sammen i telefonen?")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    check(page, "Bodil's portal after sending")
    message = Message.objects.get(case=world.bodil)
    assert not message.share_with_employer

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, base, "koordinator")
    page.goto(f"{base}/cases/{world.bodil.public_id}/")
    check(page, "case page with the message")
    with page.expect_navigation():
        page.locator("#requests").get_by_role("link", name=either("Svar", "Answer")).click()
    check(page, "answer form")
    page.locator("#id_answer").fill("Jeg ringer til dig i morgen formiddag.")
    with page.expect_navigation():
        page.get_by_role("button", name=either("Send svaret", "Send the answer")).click()
    check(page, "case page after answering")
    assert WorkItem.objects.get(kind=Kind.MESSAGE, source_id=message.pk).resolved_at is not None

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, base, "bodil")
    page.goto(f"{base}/me/")
    check(page, "Bodil's portal with the answer")
    assert "Jeg ringer til dig i morgen formiddag." in page.content()
