"""Demo content: a finished program with a history, so the evaluation page shows real curves.

"Tidlig, koordineret indsats" ran in three jobcentres with two arms. The intervention is built in to
help more in one jobcentre than in another and not at all in the third, as the Danish three-municipality
trial found (hazard ratios 1.51, 1.12 and 0.80). The same generator fills the benchmark's million cases.
"""

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from fasthold.cases.choices import (
    CaseStatus,
    CauseCategory,
    HealthAgreement,
    Outcome,
    ParticipantRole,
    ProfessionCategory,
    ReferralSource,
)
from fasthold.cases.models import Case, Employment, Participant, Person
from fasthold.cases.names import sort_key
from fasthold.coordination.models import Channel, ContactEntry
from fasthold.evaluation import outcomes
from fasthold.evaluation.models import CaseReturn, FollowUp, FollowUpStatus
from fasthold.organisations.models import Organisation, OrganisationKind
from fasthold.screening import visitation as rules
from fasthold.screening.models import AllocationMethod, Arm, Decision, Program, Visitation

PROGRAM_NAME = "Tidlig, koordineret indsats (afsluttet forsøg)"
SITES = (("Jobcenter Aalborg", 1.51), ("Jobcenter Hjørring", 1.12), ("Jobcenter Frederikshavn", 0.80))
# Weeks to a lasting return without the intervention: a median of about 16 weeks.
BASE_WEEKLY_HAZARD = math.log(2) / 16
FIRST_NAMES = ("Anne", "Mette", "Lars", "Jens", "Hanne", "Peter", "Louise", "Søren", "Camilla", "Niels")
LAST_NAMES = ("Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Rasmussen")


def _cpr(rng: random.Random, today: dt.date) -> str:
    born = today - dt.timedelta(days=rng.randint(22 * 365, 63 * 365))
    # The 7th digit says the century (cases/cpr.py): 0-3 for the 1900s, 4 for 2000-2036.
    seventh = 4 if born.year >= 2000 else rng.randint(0, 3)
    return f"{born:%d%m}{born.year % 100:02d}{seventh}{rng.randint(0, 999):03d}"


def add_program_history(
    program: Program,
    arms: list[Arm],
    sites: list[tuple[Organisation, float]],
    count: int,
    *,
    employer: Organisation,
    coordinator=None,
    seed: int = 15,
    today: dt.date | None = None,
    batch: int = 5000,
    process: bool = True,
) -> int:
    """Bulk-insert `count` people allocated to the program's arms (the first arm is the usual effort),
    spread over the sites, with their return to work, follow-ups and drop-outs. Returns the count."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    causes, professions = CauseCategory.values, ProfessionCategory.values
    done = 0
    while done < count:
        size = min(batch, count - done)
        with transaction.atomic():
            draws = []
            for _ in range(size):
                site, effect = sites[rng.randrange(len(sites))]
                arm_index = rng.randrange(len(arms))
                cause = rng.choice(causes)
                hazard = BASE_WEEKLY_HAZARD * (effect if arm_index else 1.0)
                hazard *= 0.7 if cause.startswith("mental") else 1.0
                allocated = today - dt.timedelta(days=rng.randint(120, 900))
                weeks_absent = rng.randint(2, 12)
                draws.append(
                    {
                        "site": site,
                        "arm": arms[arm_index],
                        "cause": cause,
                        "allocated": allocated,
                        "first_sick_day": allocated - dt.timedelta(weeks=weeks_absent),
                        "weeks_to_return": rng.expovariate(hazard),
                        "dropout": rng.random() < 0.1,
                        "relapse": rng.random() < 0.12,
                    }
                )
            persons = Person.objects.bulk_create(
                [
                    Person(name=n, search_name=n.casefold(), cpr=_cpr(rng, today))
                    for n in (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in draws)
                ]
            )
            employments = Employment.objects.bulk_create(
                [
                    Employment(
                        person=p,
                        employer=employer,
                        job_title="Medarbejder",
                        profession_category=rng.choice(professions),
                    )
                    for p in persons
                ]
            )
            cases, returns = [], []
            for person, employment, d in zip(persons, employments, draws):
                returned = d["allocated"] + dt.timedelta(days=round(d["weeks_to_return"] * 7))
                finished = returned <= today - dt.timedelta(days=30)
                d["returned"] = returned if finished and d["weeks_to_return"] <= 104 else None
                # The trial is over: everyone's case is closed, at the return or after 26 to 60 weeks.
                closed_on = d["returned"] or min(
                    d["allocated"] + dt.timedelta(weeks=rng.randint(26, 60)), today - dt.timedelta(days=1)
                )
                outcome = (
                    Outcome.FULL_RETURN
                    if d["returned"]
                    else rng.choice(
                        (
                            Outcome.FLEX_JOB,
                            Outcome.UNEMPLOYED,
                            Outcome.DISABILITY_PENSION,
                            Outcome.RESOURCE_OR_CLARIFICATION,
                        )
                    )
                )
                cases.append(
                    Case(
                        person=person,
                        sort_name=sort_key(person.name),
                        organisation=d["site"],
                        coordinator=coordinator,
                        employment=employment,
                        first_sick_day=d["first_sick_day"],
                        cause_category=d["cause"],
                        referral_source=ReferralSource.JOBCENTRE,
                        status=CaseStatus.CLOSED,
                        closed_on=closed_on,
                        outcome=outcome,
                    )
                )
            cases = Case.objects.bulk_create(cases)
            visitations, follow_ups = [], []
            for case, d in zip(cases, draws):
                visitations.append(
                    Visitation(
                        case=case,
                        program=program,
                        result=rules.ELIGIBLE,
                        decision=Decision.ACCEPTED,
                        arm=d["arm"],
                        allocation_method=AllocationMethod.RANDOM if program.randomised else AllocationMethod.MANUAL,
                        allocated_at=timezone.make_aware(dt.datetime.combine(d["allocated"], dt.time(10))),
                        start_date=d["allocated"],
                        dropout_on=d["allocated"] + dt.timedelta(weeks=rng.randint(2, 10)) if d["dropout"] else None,
                    )
                )
                if d["returned"]:
                    relapse_on = d["returned"] + dt.timedelta(days=rng.randint(10, 300)) if d["relapse"] else None
                    checks = _follow_ups(case, d["returned"], relapse_on, today)
                    follow_ups.extend(checks)
                    # What services.follow_ups_summarise keeps, written here in bulk.
                    returns.append(
                        CaseReturn(
                            case=case,
                            full_return_on=d["returned"],
                            first_absence_on=next((c.absence_from for c in checks if c.absence_from), None),
                            last_follow_up_on=max((timezone.localdate(c.recorded_at) for c in checks), default=None),
                        )
                    )
            if process:
                _process_rows(rng, cases, draws)
            Visitation.objects.bulk_create(visitations)
            CaseReturn.objects.bulk_create(returns)
            FollowUp.objects.bulk_create(follow_ups)
        done += size
    return done


def _process_rows(rng: random.Random, cases, draws) -> None:
    """Contacts and participants, so the process evaluation has something to count: the coordinated
    arm gets early contact, the workplace and a health professional more often."""
    contacts, participants = [], []
    for case, d in zip(cases, draws):
        boost = 0.25 if d["arm"].order else 0.0
        if rng.random() < 0.55 + boost:
            first = d["first_sick_day"] + dt.timedelta(
                days=rng.randint(3, 13) if rng.random() < 0.5 + boost else rng.randint(15, 40)
            )
            for i in range(3 if rng.random() < 0.4 + boost else 1):
                contacts.append(
                    ContactEntry(
                        case=case,
                        occurred_on=first + dt.timedelta(weeks=2 * i),
                        with_name="Medarbejderen",
                        channel=Channel.PHONE,
                    )
                )
        if rng.random() < 0.4 + boost:
            participants.append(Participant(case=case, role=ParticipantRole.MANAGER, name="Nærmeste leder"))
        if rng.random() < 0.15 + boost:
            participants.append(
                Participant(
                    case=case,
                    role=ParticipantRole.PSYCHOLOGIST,
                    name="Psykolog",
                    health_agreement=HealthAgreement.PHONE,
                )
            )
    ContactEntry.objects.bulk_create(contacts)
    Participant.objects.bulk_create(participants)


def _follow_ups(case, returned: dt.date, relapse_on: dt.date | None, today: dt.date) -> list[FollowUp]:
    """The checks at 3, 6 and 12 months that are past, as the coordinator recorded them: at work, or
    (the first check after a new absence began) absent again."""
    rows, told = [], False
    for months, due in outcomes.follow_up_dates(returned):
        if due > today:
            break
        absent = relapse_on is not None and relapse_on <= due and not told
        told = told or absent
        rows.append(
            FollowUp(
                case=case,
                months=months,
                status=FollowUpStatus.NEW_ABSENCE if absent else FollowUpStatus.AT_WORK,
                absence_from=relapse_on if absent else None,
                recorded_at=timezone.make_aware(dt.datetime.combine(due, dt.time(12))),
            )
        )
    return rows


@transaction.atomic
def load_demo(world) -> None:
    owner = world.orgs["jobcentre"]
    program = Program.objects.create(
        organisation=owner,
        name=PROGRAM_NAME,
        description=(
            "Koordineret, arbejdspladsrettet indsats fra første uge sammenlignet med den sædvanlige indsats. "
            "Forsøget er afsluttet; lodtrækning fordelte deltagerne."
        ),
        randomised=True,
        active=False,
    )
    arms = [
        Arm.objects.create(program=program, name="Sædvanlig indsats", order=0),
        Arm.objects.create(program=program, name="Koordineret indsats", order=1),
    ]
    sites = [(owner, SITES[0][1])]
    for name, effect in SITES[1:]:
        site, _created = Organisation.objects.get_or_create(kind=OrganisationKind.JOBCENTRE, name=name)
        sites.append((site, effect))
    add_program_history(
        program,
        arms,
        sites,
        360,
        employer=world.orgs["door_factory"],
        coordinator=None,
    )
