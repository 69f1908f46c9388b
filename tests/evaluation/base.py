import datetime as dt

from django.utils import timezone

from fasthold.cases.choices import CaseStatus, CauseCategory, Outcome, ReferralSource
from fasthold.cases.models import Case, Employment, Person
from fasthold.screening.models import Arm, Decision, Program, Visitation
from tests.base import DemoWorldTestCase

ALLOCATED = dt.date(2026, 1, 5)


class EvaluationTestCase(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jobcentre = cls.world.orgs["jobcentre"]
        cls.program = Program.objects.create(
            organisation=cls.jobcentre, name="Forsøg med særlig indsats", randomised=True
        )
        cls.usual = Arm.objects.create(program=cls.program, name="Sædvanlig", order=0)
        cls.special = Arm.objects.create(program=cls.program, name="Særlig", order=1)

    @classmethod
    def person(
        cls,
        arm,
        *,
        cpr="0101801234",
        closed_on=None,
        outcome="",
        dropout_on=None,
        site=None,
        cause=CauseCategory.MENTAL_STRESS,
    ):
        person = Person.objects.create(name="Deltager", cpr=cpr)
        employment = Employment.objects.create(
            person=person, employer=cls.world.orgs["door_factory"], profession_category="nurse"
        )
        case = Case.objects.create(
            person=person,
            organisation=site or cls.jobcentre,
            employment=employment,
            first_sick_day=ALLOCATED - dt.timedelta(weeks=4),
            cause_category=cause,
            referral_source=ReferralSource.GP,
            status=CaseStatus.CLOSED if closed_on else CaseStatus.OPEN,
            closed_on=closed_on,
            outcome=outcome,
        )
        Visitation.objects.create(
            case=case,
            program=cls.program,
            decision=Decision.ACCEPTED,
            arm=arm,
            allocated_at=timezone.make_aware(dt.datetime.combine(ALLOCATED, dt.time(9))),
            start_date=ALLOCATED,
            dropout_on=dropout_on,
        )
        return case


__all__ = ["ALLOCATED", "EvaluationTestCase", "Outcome"]
