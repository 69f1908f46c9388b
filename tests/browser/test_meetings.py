"""The meeting flow end to end in the browser: the coordinator plans a meeting, builds the agenda,
writes the minutes and an agreement, and confirms it; the employee logs in and confirms too; the next
meeting appears in the case calendar. Axe on every page."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.deadlines.engine.dates import add_working_days
from fasthold.meetings.models import Meeting, MeetingConfirmation, MeetingStatus
from tests.browser.test_personas import check, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, button_name):
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()


def follow(page, name):
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()


def test_meeting_flow_from_plan_to_confirmed_agreements_and_the_next_meeting_in_the_calendar(live_server, page):
    world = build_world()
    base = live_server.url
    today = timezone.localdate()
    # Working days: the meeting forms refuse Saturdays, Sundays and public holidays.
    tomorrow = add_working_days(today, 1)
    next_day = add_working_days(today + dt.timedelta(days=14), 0)

    # Plan: from the case page's meeting panel.
    login(page, base, "koordinator")
    page.goto(f"{base}/cases/{world.kurt.public_id}/")
    check(page, "case page with the meeting panel")
    follow(page, "Planlæg et møde")
    check(page, "plan a meeting")
    page.locator("#id_date").fill((today - dt.timedelta(days=1)).isoformat())
    page.locator("#id_time").fill("10:00")
    page.locator("#id_place").fill("Nordjysk Dør og Vindue, mødelokalet")
    page.locator("#id_purpose").fill("At aftale næste skridt i praktikken.")
    page.locator("#id_purpose_agreed").check()
    submit(page, "Planlæg mødet")
    check(page, "plan form with a date in the past")
    assert "Mødet kan ikke ligge i fortiden" in page.content()
    assert page.locator("#id_purpose").input_value() == "At aftale næste skridt i praktikken."
    page.locator("#id_date").fill(tomorrow.isoformat())
    submit(page, "Planlæg mødet")
    check(page, "meeting page, planned")
    meeting = Meeting.objects.get(case=world.kurt)
    assert {m.to[0] for m in mail.outbox} >= {"kurt@example.org", "leder@example.org"}

    # Agenda: one checklist point and one of our own.
    follow(page, "Ret dagsordenen")
    check(page, "agenda builder")
    page.locator("#id_new_items").fill("Kurts erfaringer med truckkørslen")
    page.locator("summary", has_text="Planlægning af en gradvis tilbagevenden").click()
    page.get_by_label("En langsom start: timer om dagen, og hvor mange dage i træk").check()
    submit(page, "Gem dagsordenen")
    check(page, "meeting page with the agenda")
    assert "Kurts erfaringer med truckkørslen" in page.content()

    # The meeting takes place (an hour ago, as far as the minutes are concerned).
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    page.reload()
    follow(page, "Skriv referatet")
    check(page, "minutes form")
    page.locator("#id_minutes").fill("Praktikken går godt. Kurt vil gerne prøve lettere opgaver ved maskinerne.")
    page.locator("input[name=done]").first.check()
    page.locator("#id_next_date").fill(next_day.isoformat())
    page.locator("#id_next_time").fill("13:00")
    submit(page, "Gem referatet")
    check(page, "meeting page, held")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD

    follow(page, "Tilføj en aftale")
    check(page, "agreement form")
    page.locator("#id_text").fill("Peter finder to lette opgaver, som Kurt kan prøve.")
    page.locator("#id_kind").select_option("task")
    submit(page, "Gem aftalen")
    check(page, "agreement form with errors")
    assert page.locator("#id_due_error").count() == 1
    page.locator("#id_responsible").select_option(label="Peter Nielsen (Leder)")
    page.locator("#id_due").fill((today + dt.timedelta(days=10)).isoformat())
    submit(page, "Gem aftalen")
    check(page, "meeting page with an agreement")
    submit(page, "Jeg bekræfter disse aftaler")
    check(page, "coordinator confirmed")
    assert "Du har bekræftet disse aftaler" in page.content()

    # The employee logs in, finds the agreements on his case page and confirms them.
    page.context.clear_cookies()
    login(page, base, "kurt")
    page.goto(f"{base}/cases/{world.kurt.public_id}/")
    check(page, "employee's case page")
    follow(page, "Bekræft aftalerne fra mødet den")
    check(page, "employee's meeting page")
    assert "Peter finder to lette opgaver" in page.content()
    submit(page, "Jeg bekræfter disse aftaler")
    check(page, "employee confirmed")
    assert "Tak. Din bekræftelse er registreret." in page.content()
    confirmed = set(MeetingConfirmation.objects.filter(meeting=meeting).values_list("user__username", flat=True))
    assert confirmed == {"koordinator", "kurt"}

    # His preparation page for the next meeting.
    nxt = Meeting.objects.get(pk=meeting.pk).next_meeting
    page.goto(f"{base}/meetings/{nxt.public_id}/prepare/")
    check(page, "preparation page")
    assert "hvad der bliver sagt om dig" in page.content()

    # The next meeting is in the case calendar (the coordinator's: a worksheet Kurt does not see).
    page.context.clear_cookies()
    login(page, base, "koordinator")
    page.goto(f"{base}/calendar/case/{world.kurt.public_id}/")
    check(page, "case calendar")
    row = page.locator("tr", has_text="Næste møde")
    assert row.count() >= 1
    assert f"{next_day.day:02d}" in row.first.inner_text() or str(next_day.day) in row.first.inner_text()
