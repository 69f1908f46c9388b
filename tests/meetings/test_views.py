"""Every meeting view against every persona; bad input keeps the user's input; query counts."""

import datetime as dt
import uuid

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.models import HealthRecord
from fasthold.deadlines.engine.dates import add_working_days
from fasthold.meetings.models import Meeting, MeetingConfirmation, MeetingStatus
from tests.meetings.base import MeetingTestCase


class AccessMatrixTests(MeetingTestCase):
    def get(self, name, meeting, *args):
        return self.client.get(self.url(name, meeting, *args)).status_code

    def test_read_views_of_bodils_meeting(self):
        meeting = self.bodil_meeting()
        # psykolog is on Bodil's case but not invited to this meeting: 404, as for outsiders.
        expected = {
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "chef": 200,
            "bodil": 200,
            "psykolog": 404,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.get("detail", meeting), status)
                self.assertEqual(self.get("ics", meeting), status)
                list_status = self.client.get(reverse("meetings:list", args=[self.bodil.public_id])).status_code
                self.assertEqual(list_status, 404 if username in ("leder", "kurt", "anden") else 200)
        self.as_user("anden")
        self.assertEqual(self.client.get(f"/meetings/{uuid.uuid4()}/").status_code, 404)

    def test_preparation_page_is_for_the_employee_and_staff(self):
        meeting = self.bodil_meeting()
        for username, status in {"bodil": 200, "koordinator": 200, "laeser": 200, "chef": 403, "anden": 404}.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.get("prepare", meeting), status)

    def test_write_views(self):
        meeting = self.kurt_follow_up()
        planned = self.kurt_next()
        agreement = meeting.agreements.first()
        for username, write in {
            "koordinator": 200,
            "kollega": 200,
            "laeser": 403,
            "leder": 403,
            "kurt": 403,
            "anden": 404,
        }.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(
                    self.client.get(reverse("meetings:plan", args=[self.kurt.public_id])).status_code, write
                )
                self.assertEqual(self.get("edit", planned), write)
                self.assertEqual(self.get("cancel", planned), write)
                self.assertEqual(self.get("agenda", meeting), write)
                self.assertEqual(self.get("minutes", meeting), write)
                self.assertEqual(self.get("agreement_add", meeting), write)
                self.assertEqual(self.get("agreement_edit", meeting, agreement.public_id), write)
                status = self.client.post(
                    self.url("agreement_remove", meeting, agreement.public_id), {"lock": 999}
                ).status_code
                self.assertEqual(status, 409 if write == 200 else write)
                status = self.client.post(self.url("agreement_carry_out", meeting, agreement.public_id)).status_code
                self.assertEqual(status, 302 if write == 200 else write)

    def test_confirm_is_for_invited_logins(self):
        meeting = self.kurt_follow_up()
        data = {"agreements": meeting.agreements_hash}
        for username, status in {
            "kurt": 302,
            "leder": 302,
            "koordinator": 302,
            "kollega": 403,
            "laeser": 403,
            "chef": 404,
            "anden": 404,
        }.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.post(self.url("confirm", meeting), data).status_code, status)

    def test_employer_never_sees_the_note_for_professionals(self):
        meeting = self.kurt_follow_up()
        Meeting.objects.filter(pk=meeting.pk).update(private_note="Smerterne er værre om morgenen.")
        self.as_user("leder")
        self.assertNotContains(self.client.get(self.url("detail", meeting)), "Smerterne")
        self.as_user("kurt")
        self.assertContains(self.client.get(self.url("detail", meeting)), "Smerterne")

    def test_employer_sees_health_professionals_by_general_role(self):
        meeting = self.bodil_meeting()
        psychologist = self.bodil.participants.get(role="psychologist")
        self.as_user("koordinator")
        self.client.post(
            self.url("edit", meeting),
            self.edit_data(
                meeting,
                participants=[
                    *meeting.attendees.exclude(participant=None).values_list("participant_id", flat=True),
                    psychologist.pk,
                ],
            ),
        )
        self.as_user("chef")
        response = self.client.get(self.url("detail", meeting))
        self.assertContains(response, "Anne Lund")
        self.assertNotContains(response, "Psychologist")
        self.assertContains(response, "Health professional")

    def edit_data(self, meeting, **overrides):
        local = timezone.localtime(meeting.starts_at)
        data = {
            "kind": meeting.kind,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_link": meeting.video_link,
            "purpose": meeting.purpose,
            "purpose_agreed": "on",
            "lock": meeting.version,
            "participants": list(meeting.attendees.exclude(participant=None).values_list("participant_id", flat=True)),
        }
        data.update(overrides)
        return data


class BadInputTests(MeetingTestCase):
    def plan_data(self, **overrides):
        day = add_working_days(timezone.localdate() + dt.timedelta(days=3), 0)  # meetings refuse days off
        data = {
            "kind": "joint",
            "date": day.isoformat(),
            "time": "10:00",
            "duration_minutes": 60,
            "place": "Kantinen",
            "video_link": "",
            "purpose": "Tal om en rolig start.",
            "purpose_agreed": "on",
            "participants": list(self.bodil.participants.values_list("pk", flat=True)),
            "checklist": ["lead_welcome", "before_what_said"],
            "send_invitations": "on",
        }
        data.update(overrides)
        return data

    def post_plan(self, data):
        return self.client.post(reverse("meetings:plan", args=[self.bodil.public_id]), data)

    def test_plan_works(self):
        self.as_user("koordinator")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_plan(self.plan_data())
        self.assertEqual(response.status_code, 302)
        meeting = Meeting.objects.filter(case=self.bodil).latest("created_at")
        self.assertEqual(list(meeting.agenda.values_list("source", flat=True)), ["lead_welcome", "before_what_said"])
        self.assertEqual(meeting.purpose_agreed_on, timezone.localdate())
        self.assertEqual(len(mail.outbox), 4)

    def test_meeting_in_the_past_keeps_the_input(self):
        self.as_user("koordinator")
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        before = Meeting.objects.count()
        response = self.post_plan(self.plan_data(date=yesterday, purpose="Mit eget formål"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The meeting cannot be in the past", status_code=400)
        self.assertContains(response, "Mit eget formål", status_code=400)
        self.assertEqual(Meeting.objects.count(), before)

    def test_forged_participant_from_another_case(self):
        self.as_user("koordinator")
        forged = self.kurt.participants.get(role="manager").pk
        data = self.plan_data(participants=[*self.plan_data()["participants"], forged], purpose="Behold mig")
        response = self.post_plan(data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Only people taking part in the case can be invited", status_code=400)
        self.assertContains(response, "Behold mig", status_code=400)
        response = self.post_plan(self.plan_data(participants=["not-a-number"]))
        self.assertEqual(response.status_code, 400)

    def test_invalid_video_link_and_no_place(self):
        self.as_user("koordinator")
        response = self.post_plan(self.plan_data(video_link="teams møde kl 10"))
        self.assertContains(response, "starting with https://", status_code=400)
        response = self.post_plan(self.plan_data(video_link="javascript:alert(1)"))
        self.assertEqual(response.status_code, 400)
        response = self.post_plan(self.plan_data(place="", video_link=""))
        self.assertContains(response, "Give a place, a video link, or both.", status_code=400)

    def test_one_message_for_a_link_that_is_not_a_web_link(self):
        self.as_user("koordinator")
        response = self.post_plan(self.plan_data(video_link="javascript:alert(1)"))
        self.assertContains(response, "starting with https://", count=1, status_code=400)

    def test_meeting_in_the_year_9999_is_refused_not_a_server_error(self):
        # The year 9999 was saved, and the meeting's page then failed: its end is past the last date.
        self.as_user("koordinator")
        before = Meeting.objects.count()
        response = self.post_plan(self.plan_data(date="9999-12-31", time="23:59", purpose="Behold mig"))
        self.assertContains(response, "A meeting can be planned at most two years ahead.", status_code=400)
        self.assertContains(response, "Behold mig", status_code=400)
        self.assertEqual(Meeting.objects.count(), before)
        meeting = self.kurt_follow_up()
        Meeting.objects.filter(pk=meeting.pk).update(next_meeting=None)
        response = self.client.post(
            self.url("minutes", meeting),
            {"lock": meeting.version, "minutes": "Behold", "next_date": "9999-12-31", "next_time": "23:30"},
        )
        self.assertContains(response, "A meeting can be planned at most two years ahead.", status_code=400)
        self.assertEqual(Meeting.objects.count(), before)

    def test_agenda_saved_in_another_tab_keeps_both(self):
        # Saving the agenda replaces its items, so the other tab's rows named items that were gone:
        # the conflict page showed them empty, and saving it again emptied the agenda.
        meeting = self.bodil_meeting()
        self.as_user("koordinator")
        url = self.url("agenda", meeting)
        items = list(meeting.agenda.all())
        rows = {f"text_{i.pk}": i.text for i in items}
        first = self.client.post(url, {"lock": meeting.version, **rows, f"text_{items[0].pk}": "Velkomst og kaffe"})
        self.assertEqual(first.status_code, 302)
        stale = {
            "lock": meeting.version,
            **rows,
            f"text_{items[1].pk}": "Mit rettede punkt",
            "new_items": "Mit nye punkt",
        }
        response = self.client.post(url, stale)
        self.assertEqual(response.status_code, 409)
        fresh = Meeting.objects.get(pk=meeting.pk)
        saved = list(fresh.agenda.all())
        for item in saved:
            self.assertContains(response, f'name="text_{item.pk}" value="{item.text}"', status_code=409)
        self.assertContains(response, "Mit rettede punkt\nMit nye punkt", status_code=409)
        form = response.context["form"]
        again = {
            "lock": fresh.version,
            **{f"text_{i.pk}": i.text for i in saved},
            "new_items": form["new_items"].value(),
        }
        self.assertEqual(self.client.post(url, again).status_code, 302)
        texts = list(fresh.agenda.values_list("text", flat=True))
        self.assertIn("Velkomst og kaffe", texts)
        self.assertIn("Mit rettede punkt", texts)
        self.assertIn("Mit nye punkt", texts)
        # The other tab's unchanged row for the item the first tab reworded is kept too: nothing is lost.
        self.assertEqual(len(texts), len(items) + 3)

    def test_danish_messages(self):
        self.client.force_login(self.users["koordinator"])
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        response = self.post_plan(self.plan_data(date=yesterday))
        self.assertContains(response, "Mødet kan ikke ligge i fortiden", status_code=400)

    def test_minutes_are_a_referat_in_danish(self):
        # "Minutes" is also the screening's duration column ("Minutter"); a meeting's minutes are its referat.
        self.client.force_login(self.users["koordinator"])
        meeting = self.kurt_follow_up()
        response = self.client.get(self.url("minutes", meeting))
        self.assertContains(response, "<h1>Referat</h1>", html=True)
        self.assertNotContains(response, "Minutter")
        self.assertContains(self.client.get(self.url("detail", meeting)), ">Referat</h2>")

    def test_confirming_twice_is_calm(self):
        meeting = self.kurt_follow_up()
        self.as_user("kurt")
        url = self.url("confirm", meeting)
        first = self.client.post(url, {"agreements": meeting.agreements_hash}, follow=True)
        self.assertContains(first, "Your confirmation is recorded")
        second = self.client.post(url, {"agreements": meeting.agreements_hash}, follow=True)
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "You had already confirmed these agreements")
        self.assertEqual(MeetingConfirmation.objects.filter(meeting=meeting, user=self.users["kurt"]).count(), 1)

    def test_confirming_agreements_changed_meanwhile(self):
        meeting = self.kurt_follow_up()
        self.as_user("kurt")
        response = self.client.post(self.url("confirm", meeting), {"agreements": "0" * 64})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Peter forbereder, hvordan timerne", status_code=409)
        self.assertEqual(self.client.post(self.url("confirm", meeting), {}).status_code, 400)

    def test_stale_minutes_keep_the_input_and_show_the_saved(self):
        meeting = self.kurt_follow_up()
        self.as_user("koordinator")
        url = self.url("minutes", meeting)
        self.assertEqual(self.client.post(url, {"lock": meeting.version, "minutes": "Karens udgave"}).status_code, 302)
        response = self.client.post(url, {"lock": meeting.version, "minutes": "Mads' udgave"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Mads&#x27; udgave", status_code=409)
        self.assertContains(response, "Karens udgave", status_code=409)
        fresh = Meeting.objects.get(pk=meeting.pk)
        self.assertContains(response, f'name="lock" value="{fresh.version}"', status_code=409)
        self.assertEqual(self.client.post(url, {"lock": fresh.version, "minutes": "Mads' udgave"}).status_code, 302)
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).minutes, "Mads' udgave")

    def test_minutes_with_a_next_meeting_in_the_past(self):
        meeting = self.kurt_follow_up()
        Meeting.objects.filter(pk=meeting.pk).update(next_meeting=None)
        self.as_user("koordinator")
        response = self.client.post(
            self.url("minutes", meeting),
            {"lock": meeting.version, "minutes": "Behold", "next_date": "2020-01-01", "next_time": "10:00"},
        )
        self.assertContains(response, "The meeting cannot be in the past", status_code=400)
        self.assertContains(response, "Behold", status_code=400)

    def test_task_without_date_and_stale_agreement(self):
        meeting = self.kurt_follow_up()
        self.as_user("koordinator")
        url = self.url("agreement_add", meeting)
        response = self.client.post(url, {"lock": meeting.version, "text": "Min aftale", "kind": "task"})
        self.assertContains(response, "A task needs both a responsible person and a date.", status_code=400)
        self.assertContains(response, "Min aftale", status_code=400)
        response = self.client.post(url, {"lock": meeting.version - 1 or 99, "text": "Min aftale", "kind": "decision"})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Min aftale", status_code=409)

    def test_agreement_date_far_ahead_is_refused(self):
        meeting = self.kurt_follow_up()
        self.as_user("koordinator")
        response = self.client.post(
            self.url("agreement_add", meeting),
            {"lock": meeting.version, "text": "Langt ude", "kind": "decision", "due": "9999-12-31"},
        )
        self.assertContains(response, "at most two years ahead", status_code=400)
        self.assertContains(response, "Langt ude", status_code=400)

    def test_cancelled_meeting_cannot_be_changed(self):
        meeting = self.kurt_next()
        self.as_user("koordinator")
        self.assertEqual(self.client.post(self.url("cancel", meeting), {"lock": meeting.version}).status_code, 302)
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).status, MeetingStatus.CANCELLED)
        response = self.client.get(self.url("edit", meeting), follow=True)
        self.assertContains(response, "Only a planned meeting can be changed.")
        response = self.client.post(self.url("cancel", meeting), {"lock": 1}, follow=True)
        self.assertContains(response, "nothing to cancel")

    def test_no_draft_plan_message(self):
        from fasthold.plans.demo import load_demo as load_plans

        load_plans(self.world)
        meeting = Meeting.objects.get(case=self.kurt, kind="joint")
        agreement = meeting.agreements.get(kind="contact")
        agreement.kind, agreement.carried_out = "activity", ""
        agreement.save()
        self.as_user("koordinator")
        response = self.client.post(self.url("agreement_carry_out", meeting, agreement.public_id), follow=True)
        self.assertContains(response, "The plan has no draft to add the activity to.")


class PageContentTests(MeetingTestCase):
    def test_detail_shows_who_has_confirmed(self):
        meeting = self.kurt_follow_up()
        self.as_user("koordinator")
        response = self.client.get(self.url("detail", meeting))
        self.assertContains(response, "Has confirmed the agreements", count=2)
        self.assertContains(response, "Has not confirmed yet", count=1)  # Kurt
        self.assertContains(response, "Has no login")  # Henrik, the shop steward
        self.as_user("kurt")
        response = self.client.get(self.url("detail", meeting))
        self.assertContains(response, "I confirm these agreements")

    def test_changed_since_you_confirmed(self):
        from fasthold.meetings import services

        meeting = self.kurt_follow_up()
        agreement = meeting.agreements.first()
        data = {f: getattr(agreement, f) for f in services.AGREEMENT_FIELDS}
        services.agreement_update(
            actor=self.users["koordinator"],
            agreement=agreement,
            expected_version=meeting.version,
            data={**data, "text": "Ny tekst"},
        )
        self.as_user("leder")
        response = self.client.get(self.url("detail", meeting))
        self.assertContains(response, "The agreements have changed since you confirmed them.")

    def test_preparation_page(self):
        meeting = self.bodil_meeting()
        self.as_user("bodil")
        response = self.client.get(self.url("prepare", meeting))
        self.assertContains(response, "First: what is said about you, and by whom")
        self.assertContains(response, "Susanne Dahl")
        self.assertContains(response, reverse("sharing:consents", args=[self.bodil.public_id]))
        content = response.content.decode()
        self.assertLess(content.index("what is said about you"), content.index("What the meeting is for"))

    def test_case_panel(self):
        self.as_user("kurt")
        # The employee's case page is her portal; the agreements to confirm are on it.
        response = self.client.get(reverse("cases:detail", args=[self.kurt.public_id]), follow=True)
        self.assertContains(response, "Confirm the agreements from the meeting on")
        self.assertContains(response, self.url("detail", self.kurt_next()))
        self.as_user("koordinator")
        response = self.client.get(reverse("cases:detail", args=[self.kurt.public_id]))
        self.assertContains(response, reverse("meetings:plan", args=[self.kurt.public_id]))

    def test_no_health_text_on_the_employers_meeting_pages(self):
        health = HealthRecord.objects.get(case=self.kurt)
        self.as_user("leder")
        for meeting in Meeting.objects.filter(case=self.kurt):
            response = self.client.get(self.url("detail", meeting))
            for text in (health.diagnosis, health.symptoms, health.treatment):
                self.assertNotContains(response, text)
            ics = self.client.get(self.url("ics", meeting))
            self.assertEqual(ics["Content-Type"], "text/calendar; charset=utf-8")
            self.assertNotIn(health.diagnosis, ics.content.decode())


class QueryCountTests(MeetingTestCase):
    def count(self, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def add_meetings(self, n):
        from fasthold.meetings import services

        meeting = self.kurt_follow_up()
        for i in range(n):
            services.meeting_plan(
                actor=self.users["koordinator"],
                case=self.kurt,
                kind="follow_up",
                starts_at=self.later(30 + i),
                duration_minutes=30,
                place="Fabrikken",
                purpose="Opfølgning",
                participants=list(self.kurt.participants.all()),
                agenda=[("Punkt", "")] * 3,
                send_invitations=False,
            )
            services.agreement_add(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=Meeting.objects.get(pk=meeting.pk).version,
                data={
                    "text": f"Aftale {i}",
                    "kind": "decision",
                    "responsible": None,
                    "due": None,
                    "contact_cadence_days": None,
                    "contact_channel": "",
                    "contact_responsible": "",
                },
            )

    def test_pages_are_constant(self):
        meeting = self.kurt_follow_up()
        urls = {
            "list": reverse("meetings:list", args=[self.kurt.public_id]),
            "detail": self.url("detail", meeting),
            "prepare": self.url("prepare", meeting),
            "case": reverse("cases:detail", args=[self.kurt.public_id]),
            "portal": reverse("portals:employee"),
        }
        for username in ("koordinator", "kurt"):
            self.as_user(username)
            # The staff's case page, the employee's portal (her case page sends her there).
            urls_for = {k: v for k, v in urls.items() if k != ("portal" if username == "koordinator" else "case")}
            before = {name: self.count(url) for name, url in urls_for.items()}
            self.add_meetings(4)
            after = {name: self.count(url) for name, url in urls_for.items()}
            self.assertEqual(before, after, username)
        self.assertLessEqual(before["list"], 12)
        self.assertLessEqual(before["detail"], 17)  # the header asks for the unread notifications

    def test_selectors_are_one_query_each(self):
        from fasthold.meetings import selectors

        self.add_meetings(3)
        kurt = self.users["kurt"]
        with self.assertNumQueries(1):
            selectors.awaiting_confirmation(kurt)
        with self.assertNumQueries(1):
            [t.meeting.case_id for t in selectors.open_tasks_for(kurt)]
        with self.assertNumQueries(1):
            selectors.next_meeting(self.kurt)
        with self.assertNumQueries(1):
            selectors.calendar_dates([self.kurt.pk, self.bodil.pk])
        with self.assertNumQueries(2):
            selectors.meetings_for(self.kurt, kurt)
        with self.assertNumQueries(1):  # the view passes what case_access already knows
            selectors.meetings_for(self.kurt, kurt, is_staff=False)


class PanelTests(MeetingTestCase):
    def render_panel(self, username, case):
        from django.template import Context, Template
        from django.test import RequestFactory

        from fasthold.cases.access import case_access

        user = self.users[username]
        request = RequestFactory().get("/")
        request.user = user
        access = case_access(user, case)
        with self.assertNumQueries(1):
            return Template("{% load meeting_tags %}{% meeting_panel case access %}").render(
                Context({"request": request, "case": case, "access": access})
            )

    def test_one_query_and_the_right_content(self):
        html = self.render_panel("kurt", self.kurt)
        self.assertIn(self.url("detail", self.kurt_follow_up()) + "#agreements", html)
        self.assertIn(self.url("detail", self.kurt_next()), html)
        html = self.render_panel("leder", self.kurt)
        self.assertNotIn(self.url("detail", self.kurt_follow_up()) + "#agreements", html)  # leder has confirmed
        html = self.render_panel("psykolog", self.bodil)  # not invited to Bodil's meeting
        self.assertNotIn(self.url("detail", self.bodil_meeting()), html)
        html = self.render_panel("koordinator", self.bodil)
        self.assertIn(self.url("detail", self.bodil_meeting()), html)
        self.assertIn(reverse("meetings:plan", args=[self.bodil.public_id]), html)
