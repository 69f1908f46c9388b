"""Bad input gets a message at the field, a 4xx, and nothing is half saved."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditEntry
from fasthold.cases.models import Case, Employment, Participant, Person, TimelineEvent
from tests.base import DemoWorldTestCase


def valid_case_post(world, **overrides):
    data = {
        "person-name": "Jens Hansen",
        "person-cpr": "010180-1234",
        "person-phone": "",
        "person-email": "",
        "person-preferred_language": "da",
        "employment-employer": world.orgs["door_factory"].pk,
        "employment-job_title": "Snedker",
        "employment-profession_category": "other",
        "employment-weekly_hours": "37",
        "employment-status": "employed",
        "case-coordinator": world.users["koordinator"].pk,
        "case-first_sick_day": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        "case-cause_category": "physical_injury",
        "case-work_injury": "accident",
        "case-absence_extent": "full",
        "case-absence_hours_per_week": "",
        "case-referral_source": "gp",
        "case-benefit_category": "2",
    }
    data.update(overrides)
    return data


class CaseCreateTests(DemoWorldTestCase):
    def setUp(self):
        self.client.force_login(self.world.users["koordinator"])
        self.client.cookies["django_language"] = "en"

    def counts(self):
        return (
            Case.objects.count(),
            Person.objects.count(),
            Employment.objects.count(),
            Participant.objects.count(),
            TimelineEvent.objects.count(),
            AuditEntry.objects.count(),
        )

    def assert_rejected(self, overrides, field, fragment):
        before = self.counts()
        response = self.client.post(reverse("cases:create"), valid_case_post(self.world, **overrides))
        self.assertEqual(response.status_code, 400)
        form = response.context["forms"][field.split("-")[0]]
        errors = " ".join(form.errors.get(field.split("-", 1)[1], []))
        self.assertIn(fragment, errors)
        self.assertEqual(self.counts(), before, "nothing may be half saved")

    def test_valid_case_is_opened_with_employee_participant_event_and_audit(self):
        response = self.client.post(reverse("cases:create"), valid_case_post(self.world))
        case = Case.objects.get(person__name="Jens Hansen")
        self.assertRedirects(response, reverse("cases:detail", args=[case.public_id]))
        self.assertEqual(case.person.cpr, "0101801234")
        self.assertTrue(case.participants.filter(role="employee").exists())
        self.assertTrue(case.events.filter(kind="case_opened").exists())
        self.assertTrue(AuditEntry.objects.filter(case=case, action="case.created").exists())

    def test_first_sick_day_in_the_future(self):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        self.assert_rejected({"case-first_sick_day": tomorrow}, "case-first_sick_day", "future")

    def test_first_sick_day_in_1990_is_refused(self):
        # Issue 17: a mistyped year made a case of 1927 weeks with a contact overdue since 1990.
        self.assert_rejected({"case-first_sick_day": "1990-03-02"}, "case-first_sick_day", "more than 2 years ago")
        two_years_and_a_day = (timezone.localdate() - dt.timedelta(days=2 * 366 + 1)).isoformat()
        self.assert_rejected({"case-first_sick_day": two_years_and_a_day}, "case-first_sick_day", "2 years")

    def test_first_sick_day_in_1990_has_a_danish_message(self):
        self.client.cookies["django_language"] = "da"
        response = self.client.post(
            reverse("cases:create"), valid_case_post(self.world, **{"case-first_sick_day": "1990-03-02"})
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Case.objects.filter(person__name="Jens Hansen").exists())

    def test_first_sick_day_a_year_ago_is_accepted(self):
        a_year_ago = (timezone.localdate() - dt.timedelta(days=365)).isoformat()
        response = self.client.post(
            reverse("cases:create"), valid_case_post(self.world, **{"case-first_sick_day": a_year_ago})
        )
        self.assertEqual(response.status_code, 302)

    def test_cpr_with_impossible_date(self):
        self.assert_rejected({"person-cpr": "310280-1234"}, "person-cpr", "real date")

    def test_cpr_with_wrong_length(self):
        self.assert_rejected({"person-cpr": "12345"}, "person-cpr", "10 digits")

    def test_missing_required_fields(self):
        self.assert_rejected({"person-name": ""}, "person-name", "required")
        self.assert_rejected({"case-first_sick_day": ""}, "case-first_sick_day", "required")

    def test_impossible_calendar_date(self):
        self.assert_rejected({"case-first_sick_day": "2026-02-30"}, "case-first_sick_day", "valid date")

    def test_partial_absence_needs_hours(self):
        self.assert_rejected({"case-absence_extent": "partial"}, "case-absence_hours_per_week", "hours")

    def test_partial_absence_hours_fit_in_a_week(self):
        # More hours than a week has made the calendar's engine refuse the case, and its calendar vanish.
        self.assert_rejected(
            {"case-absence_extent": "partial", "case-absence_hours_per_week": "370"},
            "case-absence_hours_per_week",
            "168",
        )

    def test_category_3_only_for_old_cases(self):
        self.assert_rejected({"case-benefit_category": "3"}, "case-benefit_category", "before 2025")

    def test_employed_needs_an_employer(self):
        self.assert_rejected({"employment-employer": ""}, "employment-employer", "employer")

    def test_messages_are_in_danish_by_default(self):
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        self.client.cookies.pop("django_language", None)
        response = self.client.post(
            reverse("cases:create"), valid_case_post(self.world, **{"case-first_sick_day": tomorrow})
        )
        self.assertContains(response, "Første sygedag kan ikke ligge i fremtiden", status_code=400)


class CaseCloseAndParticipantTests(DemoWorldTestCase):
    def setUp(self):
        self.client.force_login(self.world.users["koordinator"])
        self.client.cookies["django_language"] = "en"

    def test_closure_before_first_sick_day_is_rejected_and_case_stays_open(self):
        case = self.world.kurt
        before = (case.first_sick_day - dt.timedelta(days=1)).isoformat()
        response = self.client.post(
            reverse("cases:close", args=[case.public_id]),
            {"closed_on": before, "outcome": "full_return", "version": case.version},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("before the first sick day", " ".join(response.context["form"].errors["closed_on"]))
        case.refresh_from_db()
        self.assertEqual(case.status, "open")
        self.assertIsNone(case.closed_on)

    def test_closing_records_date_outcome_event_and_audit(self):
        case = self.world.kurt
        today = timezone.localdate().isoformat()
        response = self.client.post(
            reverse("cases:close", args=[case.public_id]),
            {"closed_on": today, "outcome": "partial_return", "version": case.version},
        )
        self.assertRedirects(response, reverse("cases:detail", args=[case.public_id]))
        case.refresh_from_db()
        self.assertEqual((case.status, case.outcome, case.closed_on.isoformat()), ("closed", "partial_return", today))
        self.assertTrue(case.events.filter(kind="case_closed").exists())
        self.assertTrue(AuditEntry.objects.filter(case=case, action="case.closed").exists())

    def test_same_person_twice_in_same_role_is_rejected(self):
        case = self.world.kurt
        url = reverse("cases:participant_add", args=[case.public_id])
        response = self.client.post(url, {"role": "manager", "user": self.world.users["leder"].pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("already", " ".join(response.context["form"].errors["role"]))
        response = self.client.post(url, {"role": "physio_or_ot", "name": "mette fys"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(case.participants.filter(role="physio_or_ot").count(), 1)

    def test_participant_needs_user_or_name(self):
        response = self.client.post(
            reverse("cases:participant_add", args=[self.world.kurt.public_id]), {"role": "mentor"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)

    def test_external_participant_is_added_and_can_be_removed(self):
        case = self.world.kurt
        response = self.client.post(
            reverse("cases:participant_add", args=[case.public_id]),
            {"role": "mentor", "name": "Hans Mentor", "phone": "12345678"},
        )
        self.assertEqual(response.status_code, 302)
        participant = case.participants.get(role="mentor")
        response = self.client.post(reverse("cases:participant_remove", args=[case.public_id, participant.public_id]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(case.participants.filter(role="mentor").exists())
        self.assertEqual(
            case.events.filter(
                kind__in=["participant_added", "participant_removed"], params__name="Hans Mentor"
            ).count(),
            2,
        )

    def test_garbage_ids_are_404_not_500(self):
        self.assertEqual(self.client.get("/cases/not-a-uuid/").status_code, 404)
        response = self.client.get(reverse("cases:list"), {"weeks_min": "abc", "page": "x", "employer": "999999"})
        self.assertEqual(response.status_code, 200)
