import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.choices import CauseCategory, ParticipantRole, ReferralSource
from fasthold.cases.models import Case, Employment, Participant, Person
from fasthold.deadlines.models import Deadline
from fasthold.deadlines.services import calendar_refresh_many
from tests.base import DemoWorldTestCase


class PortalTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        calendar_refresh_many(list(Case.objects.select_related("employment")))

    def test_home_sends_each_persona_to_their_page(self):
        for username, target in [
            ("koordinator", "cases:list"),
            ("leder", "portals:employer"),
            ("kurt", "portals:employee"),
        ]:
            with self.subTest(username):
                self.as_user(username)
                self.assertRedirects(self.client.get("/"), reverse(target), fetch_redirect_response=False)

    def test_employer_sees_only_their_own_employees(self):
        self.as_user("leder")
        response = self.client.get(reverse("portals:employer"))
        self.assertContains(response, "Kurt Jensen")
        self.assertNotContains(response, "Bodil")
        self.as_user("chef")
        response = self.client.get(reverse("portals:employer"))
        self.assertContains(response, "Bodil Sørensen")
        self.assertNotContains(response, "Kurt")

    def test_employer_portal_shows_overdue_employer_duties(self):
        kurt = self.world.kurt
        duty = (
            Deadline.objects.filter(
                case=kurt, responsible="employer", done_on__isnull=True, applicable=True, due__isnull=False
            )
            .order_by("due")
            .first()
        )
        self.assertIsNotNone(duty, "the demo case has employer duties")
        Deadline.objects.filter(pk=duty.pk).update(due=timezone.localdate() - dt.timedelta(days=3))
        self.as_user("leder")
        response = self.client.get(reverse("portals:employer"))
        self.assertContains(response, "overdue since")
        self.assertContains(response, duty.rule.title_en)

    def test_employer_portal_query_count_does_not_grow_with_employees(self):
        leder = self.world.users["leder"]
        employer = self.world.kurt.employment.employer

        def add_employee(i):
            person = Person.objects.create(name=f"Extra {i}")
            case = Case.objects.create(
                person=person,
                organisation=self.world.kurt.organisation,
                coordinator=self.world.kurt.coordinator,
                employment=Employment.objects.create(person=person, employer=employer, job_title="Snedker"),
                first_sick_day=timezone.localdate() - dt.timedelta(weeks=5),
                cause_category=CauseCategory.OTHER,
                referral_source=ReferralSource.GP,
            )
            Participant.objects.create(case=case, role=ParticipantRole.MANAGER, user=leder)
            calendar_refresh_many([case])

        self.as_user("leder")
        add_employee(1)
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(reverse("portals:employer")).status_code, 200)
        for i in range(2, 7):
            add_employee(i)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("portals:employer"))
        self.assertContains(response, "Extra 6")
        self.assertEqual(len(many), len(few))

    def test_employer_case_page_is_for_the_employer_side_only(self):
        url = reverse("portals:employer_case", args=[self.world.kurt.public_id])
        self.as_user("leder")
        response = self.client.get(url)
        self.assertContains(response, "Kurt Jensen")
        self.assertContains(response, "Due from you")
        for username in ("chef", "anden", "koordinator", "kurt"):
            with self.subTest(username):
                self.as_user(username)
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_employer_case_page_never_shows_health_information(self):
        self.as_user("leder")
        response = self.client.get(reverse("portals:employer_case", args=[self.world.kurt.public_id]))
        health = self.world.kurt.health
        for text in (health.diagnosis, health.symptoms, health.treatment, "musculoskeletal", "Physical"):
            self.assertNotContains(response, text)

    def test_employee_page_is_calm_and_their_own(self):
        self.as_user("kurt")
        response = self.client.get(reverse("portals:employee"))
        self.assertContains(response, "My return to work")
        self.assertContains(response, "Hello Kurt.")
        self.assertContains(response, reverse("sharing:consents", args=[self.world.kurt.public_id]))
        self.assertNotContains(response, "Bodil")

    def test_user_without_a_case_gets_a_plain_explanation(self):
        self.as_user("leder")
        response = self.client.get(reverse("portals:employee"))
        self.assertContains(response, "You have no case in Fasthold")
        self.as_user("kurt")
        response = self.client.get(reverse("portals:employer"))
        self.assertContains(response, "You have no employees on sick leave")


class PortalConfirmationTests(DemoWorldTestCase):
    """A manager invited to a held meeting is asked, on the portal, to confirm its agreements."""

    load_demos = ("meetings",)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        calendar_refresh_many(list(Case.objects.select_related("employment")))

    def test_manager_is_asked_to_confirm_agreements_of_a_meeting_they_attended(self):
        from fasthold.meetings.models import MeetingAttendee, MeetingConfirmation
        from fasthold.meetings.selectors import awaiting_confirmation

        leder = self.world.users["leder"]
        held = awaiting_confirmation(self.world.users["kurt"])[0]
        if not held.attendees.filter(user=leder).exists():
            manager = Participant.objects.get(case=self.world.kurt, user=leder)
            MeetingAttendee.objects.create(
                meeting=held, participant=manager, user=leder, role=manager.role, name=leder.display_name, position=9
            )
        MeetingConfirmation.objects.filter(meeting=held, user=leder).delete()
        self.assertIn(held, awaiting_confirmation(leder))
        self.client.force_login(leder)
        self.client.cookies["django_language"] = "en"
        link = reverse("meetings:detail", args=[held.public_id]) + "#agreements"
        for url in (reverse("portals:employer"), reverse("portals:employer_case", args=[self.world.kurt.public_id])):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertContains(response, "Confirm the agreements from the meeting on")
                self.assertContains(response, link)
