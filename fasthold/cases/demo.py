"""Demo data: one user per persona, Kurt and Bodil from the guide, and bulk synthetic cases.

Used by `fasthold demo`, by the tests' personas and by the benchmarks.
"""

import datetime as dt
import functools
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fasthold.cases.choices import (
    AbsenceExtent,
    BenefitCategory,
    CaseStatus,
    CauseCategory,
    EmploymentStatus,
    HealthAgreement,
    ParticipantRole,
    ProfessionCategory,
    ReferralSource,
)
from fasthold.cases.models import (
    Audience,
    Case,
    Employment,
    EventKind,
    HealthRecord,
    Participant,
    Person,
    TimelineEvent,
)
from fasthold.cases.names import sort_key

# The demo world comes with its calendars (cases sits below deadlines; the layers contract lists this).
from fasthold.deadlines.services import calendar_refresh_many
from fasthold.kernel import insert_objects, insert_rows
from fasthold.organisations.models import Membership, Organisation, OrganisationKind, OrgRole, SizeBand

DEMO_PASSWORD = "fasthold-demo"

# username, first name, last name, language, (organisation key, role) or None
PERSONAS = [
    ("koordinator", "Karen", "Holm", "da", ("jobcentre", OrgRole.COORDINATOR)),
    ("kollega", "Mads", "Berg", "da", ("jobcentre", OrgRole.COORDINATOR)),
    ("admin", "Lene", "Vestergaard", "da", ("jobcentre", OrgRole.ADMIN)),
    ("laeser", "Ole", "Kirk", "da", ("jobcentre", OrgRole.VIEWER)),
    ("leder", "Peter", "Nielsen", "da", ("door_factory", OrgRole.MANAGER)),
    ("chef", "Susanne", "Dahl", "da", ("accounting_firm", OrgRole.MANAGER)),
    ("kurt", "Kurt", "Jensen", "da", None),
    ("bodil", "Bodil", "Sørensen", "da", None),
    ("psykolog", "Anne", "Lund", "da", ("psychology_practice", OrgRole.HEALTH_PROFESSIONAL)),
    ("anden", "Jonas", "Friis", "en", ("clinic", OrgRole.COORDINATOR)),
]

ORGANISATIONS = {
    "jobcentre": dict(kind=OrganisationKind.JOBCENTRE, name="Jobcenter Aalborg"),
    "clinic": dict(kind=OrganisationKind.OCCUPATIONAL_CLINIC, name="Arbejdsmedicinsk Klinik Aarhus"),
    "psychology_practice": dict(kind=OrganisationKind.HEALTH_PRACTICE, name="Psykologhuset Limfjorden"),
    "door_factory": dict(
        kind=OrganisationKind.EMPLOYER,
        name="Nordjysk Dør og Vindue A/S",
        cvr="10000009",
        size_band=SizeBand.MEDIUM,
        industry="Træ- og møbelindustri",
    ),
    "accounting_firm": dict(
        kind=OrganisationKind.EMPLOYER,
        name="Limfjord Revision ApS",
        cvr="20000005",
        size_band=SizeBand.SMALL,
        industry="Revision og bogføring",
    ),
}


# The stories' calendar, shared by the apps' demos. Kurt (first sick day 9 weeks ago): the joint meeting
# on day 24 agrees an internship of 15 hours a week for the first 4 weeks, then a step up; it began on the
# Monday two weeks before this week's, so today falls in its third week. Bodil (6 weeks ago): her plan is
# made on a Monday and her partial return begins 14 days later, as the guide has it.


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def kurt_internship_start(case: Case) -> dt.date:
    return _monday(case.first_sick_day) + dt.timedelta(weeks=7)


def bodil_plan_day(case: Case) -> dt.date:
    return _monday(case.first_sick_day + dt.timedelta(days=16))


def bodil_partial_return_start(case: Case) -> dt.date:
    return bodil_plan_day(case) + dt.timedelta(days=14)


@dataclass
class DemoWorld:
    orgs: dict[str, Organisation]
    users: dict[str, object]
    kurt: Case
    bodil: Case


@functools.cache
def _ten_oclock(day: dt.date, tz) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)), tz)


def _at(day: dt.date, days_after: int = 0) -> dt.datetime:
    """10 o'clock, `days_after` the given day, in the current time zone. Cached: the synthetic cases
    ask for the same few hundred days two million times."""
    return _ten_oclock(day + dt.timedelta(days=days_after), timezone.get_current_timezone())


def _event(case, kind, actor, days_after, audience=Audience.ALL, **params) -> TimelineEvent:
    when = _at(case.first_sick_day, days_after)
    return TimelineEvent(case=case, kind=kind, actor=actor, audience=audience, occurred_at=when, params=params)


def _agreed(how: str, recorded_by, day: dt.date) -> dict:
    """The employee's recorded agreement that a health professional takes part (eligibility.py)."""
    return dict(health_agreement=how, health_agreement_recorded_by=recorded_by, health_agreement_recorded_at=_at(day))


@transaction.atomic
def build_world(today: dt.date | None = None) -> DemoWorld:
    today = today or timezone.localdate()
    orgs = {key: Organisation.objects.create(**data) for key, data in ORGANISATIONS.items()}
    User = get_user_model()
    users = {}
    # One hash for the one published demo password: hashing it for each persona was a third of a second
    # apiece, as long as the rest of the world took to build.
    password = make_password(DEMO_PASSWORD)
    for username, first, last, language, membership in PERSONAS:
        user = User.objects.create(
            username=username,
            email=f"{username}@example.org",
            password=password,
            first_name=first,
            last_name=last,
            preferred_language=language,
        )
        if membership:
            Membership.objects.create(user=user, organisation=orgs[membership[0]], role=membership[1])
        users[username] = user
    coordinator = users["koordinator"]

    kurt_person = Person.objects.create(
        name="Kurt Jensen", cpr="0503711234", phone="+45 20 11 22 33", email="kurt@example.org", user=users["kurt"]
    )
    kurt = Case.objects.create(
        person=kurt_person,
        organisation=orgs["jobcentre"],
        coordinator=coordinator,
        employment=Employment.objects.create(
            person=kurt_person,
            employer=orgs["door_factory"],
            job_title="Produktionsmedarbejder (løfter træ)",
            profession_category=ProfessionCategory.OTHER,
            weekly_hours=37,
            status=EmploymentStatus.EMPLOYED,
        ),
        first_sick_day=today - dt.timedelta(weeks=9),
        cause_category=CauseCategory.PHYSICAL_MUSCULOSKELETAL,
        absence_extent=AbsenceExtent.FULL,
        referral_source=ReferralSource.GP,
        benefit_category=BenefitCategory.CATEGORY_2,
    )
    HealthRecord.objects.create(
        case=kurt,
        diagnosis="Lænderygsmerter efter mange års tunge løft; ryggen er slidt.",
        symptoms="Smerter omkring 8 på en skala fra 1 til 10. Kurt er bange for, at smerterne gør ryggen værre.",
        treatment="Lægen: ikke mere behandling at give, men træning og vægttab kan støtte, at Kurt kommer "
        "tilbage. Om han kan klare sit normale arbejde, må vurderes senere.",
    )
    Participant.objects.bulk_create(
        [
            Participant(case=kurt, role=ParticipantRole.EMPLOYEE, user=users["kurt"], name="Kurt Jensen"),
            Participant(case=kurt, role=ParticipantRole.MANAGER, user=users["leder"]),
            Participant(
                case=kurt,
                role=ParticipantRole.PHYSIO_OR_OT,
                name="Mette Fys",
                organisation_name="Fysioterapi Nord",
                **_agreed(HealthAgreement.IN_PERSON, coordinator, kurt.first_sick_day + dt.timedelta(days=5)),
            ),
            Participant(case=kurt, role=ParticipantRole.SHOP_STEWARD, name="Henrik Sand", organisation_name="3F"),
        ]
    )
    TimelineEvent.objects.bulk_create(
        [
            _event(kurt, EventKind.CASE_OPENED, coordinator, 3),
            _event(kurt, EventKind.PARTICIPANT_ADDED, coordinator, 3, role="manager", name="Peter Nielsen"),
            _event(
                kurt,
                EventKind.NOTE,
                coordinator,
                10,
                text="Første samtale med Peter: virksomheden vil gerne fastholde Kurt, men er usikker på hvordan "
                "og tvivler på, at han kan vende tilbage til sit normale arbejde.",
            ),
            _event(
                kurt,
                EventKind.NOTE,
                coordinator,
                24,
                text="Mødet på virksomheden: aftalt virksomhedspraktik som truckfører 15 timer om ugen de "
                "første fire uger, derefter optrapning (trin 3).",
            ),
            _event(
                kurt,
                EventKind.NOTE,
                coordinator,
                38,
                audience=Audience.PROFESSIONALS,
                text="Kurt fører smerteskema hver uge og går en tur i pausen hver dag sammen med en kollega.",
            ),
        ]
    )

    bodil_person = Person.objects.create(
        name="Bodil Sørensen", cpr="1207791234", phone="+45 30 44 55 66", email="bodil@example.org", user=users["bodil"]
    )
    bodil = Case.objects.create(
        person=bodil_person,
        organisation=orgs["jobcentre"],
        coordinator=coordinator,
        employment=Employment.objects.create(
            person=bodil_person,
            employer=orgs["accounting_firm"],
            job_title="Sekretær",
            profession_category=ProfessionCategory.ADMINISTRATIVE,
            weekly_hours=37,
            status=EmploymentStatus.EMPLOYED,
        ),
        first_sick_day=today - dt.timedelta(weeks=6),
        cause_category=CauseCategory.MENTAL_DEPRESSION,
        absence_extent=AbsenceExtent.FULL,
        referral_source=ReferralSource.JOBCENTRE,
        benefit_category=BenefitCategory.CATEGORY_2,
    )
    HealthRecord.objects.create(
        case=bodil,
        diagnosis="Moderat depression.",
        symptoms="Træthed, tvivl på egne evner, trækker sig fra sociale sammenhænge.",
        treatment="Samtaler hos psykolog hver anden uge.",
    )
    Participant.objects.bulk_create(
        [
            Participant(case=bodil, role=ParticipantRole.EMPLOYEE, user=users["bodil"], name="Bodil Sørensen"),
            Participant(case=bodil, role=ParticipantRole.MANAGER, user=users["chef"]),
            Participant(
                case=bodil,
                role=ParticipantRole.PSYCHOLOGIST,
                user=users["psykolog"],
                **_agreed(HealthAgreement.PHONE, coordinator, bodil.first_sick_day + dt.timedelta(days=4)),
            ),
        ]
    )
    TimelineEvent.objects.bulk_create(
        [
            _event(bodil, EventKind.CASE_OPENED, coordinator, 2),
            _event(bodil, EventKind.PARTICIPANT_ADDED, coordinator, 2, role="manager", name="Susanne Dahl"),
            _event(
                bodil,
                EventKind.PARTICIPANT_ADDED,
                coordinator,
                4,
                audience=Audience.PROFESSIONALS,
                role="psychologist",
                name="Anne Lund",
            ),
            _event(
                bodil,
                EventKind.NOTE,
                coordinator,
                (bodil_plan_day(bodil) - bodil.first_sick_day).days,
                text="Plan lavet med Bodil: hun besøger arbejdspladsen og drikker kaffe med sine nærmeste kolleger. "
                "Delvis raskmelding om 14 dage: 10 timer om ugen de første to uger, derefter 15 timer de næste to.",
            ),
            _event(
                bodil,
                EventKind.NOTE,
                coordinator,
                (bodil_partial_return_start(bodil) - bodil.first_sick_day).days,
                text="Bodil er begyndt i sin delvise raskmelding, 10 timer om ugen.",
            ),
        ]
    )
    # An outsider's case, to prove that other organisations' cases stay invisible.
    other_person = Person.objects.create(name="Ida Mortensen")
    other = Case.objects.create(
        person=other_person,
        organisation=orgs["clinic"],
        coordinator=users["anden"],
        first_sick_day=today - dt.timedelta(weeks=3),
        cause_category=CauseCategory.MENTAL_STRESS,
        referral_source=ReferralSource.GP,
    )
    HealthRecord.objects.create(case=other)
    Participant.objects.create(case=other, role=ParticipantRole.EMPLOYEE, name="Ida Mortensen")

    calendar_refresh_many([kurt, bodil, other])
    return DemoWorld(orgs=orgs, users=users, kurt=kurt, bodil=bodil)


FIRST_NAMES = [
    "Anne",
    "Mette",
    "Hanne",
    "Lone",
    "Jens",
    "Peter",
    "Lars",
    "Søren",
    "Mia",
    "Emil",
    "Ida",
    "Karen",
    "Niels",
    "Freja",
    "Rasmus",
    "Sofie",
    "Jonas",
    "Line",
    "Henrik",
    "Birgit",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
]
_NOTES = ["Opfølgningssamtale holdt.", "Kontakt med arbejdspladsen.", "Plan justeret.", "Telefonsamtale."]


def add_synthetic_cases(
    count: int,
    *,
    organisation: Organisation,
    coordinators: list,
    employers: list[Organisation],
    events_per_case: int = 20,
    seed: int = 1,
    today: dt.date | None = None,
    batch: int = 2000,
) -> int:
    """Bulk-insert `count` cases with participants and timeline events. Returns the count."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()  # once: the lookup cost more than the rest of each timestamp
    moments: dict[tuple, dt.datetime] = {}

    def at(day: dt.date, days_after: int = 0) -> dt.datetime:
        try:
            return moments[day, days_after]
        except KeyError:
            moments[day, days_after] = when = _ten_oclock(day + dt.timedelta(days=days_after), tz)
            return when

    notes = [{"text": note} for note in _NOTES]  # shared: kernel.insert_rows converts each once
    causes, sources = CauseCategory.values, ReferralSource.values
    statuses = [CaseStatus.OPEN] * 6 + [CaseStatus.RETENTION, CaseStatus.CLOSED]
    done = 0
    while done < count:
        size = min(batch, count - done)
        with transaction.atomic():
            names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(size)]
            # Keys reserved and rows inserted as tuples (kernel.insert_objects): bulk_create compiled every
            # value of every case through the ORM, a fifth of the demo's time.
            persons = insert_objects(Person, [Person(name=n, search_name=n.casefold()) for n in names])
            employments = insert_objects(
                Employment,
                [
                    Employment(
                        person=p,
                        employer=rng.choice(employers),
                        job_title="Medarbejder",
                        profession_category=rng.choice(ProfessionCategory.values),
                        weekly_hours=37,
                    )
                    for p in persons
                ],
            )
            cases = []
            for person, employment in zip(persons, employments):
                first = today - dt.timedelta(days=rng.randint(1, 700))
                status = rng.choice(statuses)
                cases.append(
                    Case(
                        person=person,
                        sort_name=sort_key(person.name),
                        organisation=organisation,
                        coordinator=rng.choice(coordinators),
                        employment=employment,
                        first_sick_day=first,
                        cause_category=rng.choice(causes),
                        referral_source=rng.choice(sources),
                        benefit_category=rng.choice(["1", "2"]),
                        status=status,
                        closed_on=min(today, first + dt.timedelta(days=rng.randint(30, 300)))
                        if status == CaseStatus.CLOSED
                        else None,
                        outcome="full_return" if status == CaseStatus.CLOSED else "",
                    )
                )
            cases = insert_objects(Case, cases)
            # The many rows go in as plain tuples (kernel.insert_rows): at 100,000 cases that is 300,000
            # participants and two million timeline events, where bulk_create spent most of the time.
            insert_rows(HealthRecord, ["case_id"], ((c.pk,) for c in cases))
            insert_rows(
                Participant,
                [
                    "case_id",
                    "role",
                    "name",
                    "organisation_name",
                    "health_agreement",
                    "health_agreement_recorded_by",
                    "health_agreement_recorded_at",
                ],
                (
                    row
                    for c in cases
                    for row in (
                        (c.pk, ParticipantRole.EMPLOYEE, c.person.name, "", "", None, None),
                        (c.pk, ParticipantRole.MANAGER, "Leder", "Virksomhed", "", None, None),
                        (
                            c.pk,
                            ParticipantRole.GP,
                            "Egen læge",
                            "",
                            HealthAgreement.WRITTEN,
                            c.coordinator_id,
                            at(c.first_sick_day),
                        ),
                    )
                ),
            )
            insert_rows(
                TimelineEvent,
                ["case_id", "kind", "actor_id", "audience", "occurred_at", "params"],
                (
                    (
                        c.pk,
                        EventKind.NOTE,
                        c.coordinator_id,
                        Audience.ALL,
                        at(c.first_sick_day, i * 5),
                        rng.choice(notes),
                    )
                    for c in cases
                    for i in range(events_per_case)
                ),
            )

            calendar_refresh_many(cases)
        done += size
    return done
