"""Findings of a hostile review of the participant rules: what a refusal reveals, a double submission,
and health professionals taken in before agreements were recorded."""

from django.utils import translation

from fasthold.cases import eligibility, services
from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Participant
from fasthold.organisations.models import OrgRole
from tests.base import DemoWorldTestCase, add_employer, add_user


class ReviewFindings(DemoWorldTestCase):
    def setUp(self):
        self.coordinator = self.users["koordinator"]

    def test_a_refusal_does_not_tell_whether_another_organisations_account_is_deactivated(self):
        other = add_employer("Andet Firma ApS")
        user = add_user(
            "fremmed",
            (other, OrgRole.MANAGER),
            password=None,
            email="",
            first_name="Frem",
            last_name="Med",
            is_active=False,
        )
        with self.assertRaises(eligibility.NotEligible) as refused:
            eligibility.check(self.kurt, ParticipantRole.MANAGER, user=user, health_agreement="")
        self.assertNotIn("inactive", refused.exception.message.lower())
        self.assertNotIn("aktiv", refused.exception.message.lower())

    def test_the_same_person_added_twice_at_once_is_refused_not_a_500(self):
        peter = self.users["leder"]
        Participant.objects.filter(case=self.kurt, user=peter).delete()
        data = {"role": ParticipantRole.MANAGER, "user": peter}
        services.participant_add(actor=self.coordinator, case=self.kurt, data=data)
        # The form's duplicate check is passed by both submissions; the second meets the constraint.
        with self.assertRaises(eligibility.NotEligible):
            services.participant_add(actor=self.coordinator, case=self.kurt, data=data)
        self.assertEqual(Participant.objects.filter(case=self.kurt, user=peter).count(), 1)

    def test_a_health_professional_without_a_recorded_agreement_is_marked_for_the_coordinator(self):
        psychologist = Participant.objects.get(case=self.bodil, user=self.users["psykolog"])
        self.assertEqual(eligibility.lapses(self.bodil, [psychologist]), {})
        Participant.objects.filter(pk=psychologist.pk).update(health_agreement="")
        psychologist.refresh_from_db()
        with translation.override("en"):
            lapses = eligibility.lapses(self.bodil, [psychologist])
        self.assertIn("agreement", lapses[psychologist.pk])
