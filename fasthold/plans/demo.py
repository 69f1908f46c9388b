"""Kurt's and Bodil's plans as the jobcentre guide describes them (seed 001; brief §6), with step
placements, a few weeks of scores, and Bodil's agreement to her current version."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fasthold.cases.models import Audience, Participant, TimelineEvent
from fasthold.plans.models import (
    Activity,
    ActivityKind,
    IndicatorKind,
    Measurement,
    Plan,
    PlanChange,
    PlanComment,
    PlanVersion,
    RetentionTool,
    StepPlacement,
    StepTrack,
    SubGoal,
    SubGoalArea,
    VersionStatus,
)
from fasthold.plans.tools_catalogue import TOOLS


def ensure_catalogue() -> None:
    """The seeded retention tools (migration 0002), restored if a test flushed the table."""
    if RetentionTool.objects.exists():
        return
    RetentionTool.objects.bulk_create(
        [
            RetentionTool(
                key=key,
                position=i,
                name_da=nda,
                name_en=nen,
                description_da=dda,
                description_en=den,
                when_used_da=wda,
                when_used_en=wen,
            )
            for i, (key, nda, nen, dda, den, wda, wen) in enumerate(TOOLS)
        ]
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _event(case, kind, actor, day, audience=Audience.ALL, **params) -> TimelineEvent:
    return TimelineEvent(case=case, kind=kind, actor=actor, audience=audience, occurred_at=_at(day), params=params)


def _version(plan, number, *, by, day, status, reason="", **fields) -> PlanVersion:
    version = PlanVersion.objects.create(
        plan=plan, number=number, created_by=by, reason=reason, status=status, published_by=by, **fields
    )
    PlanVersion.objects.filter(pk=version.pk).update(created_at=_at(day, 9), published_at=_at(day, 15))
    PlanChange.objects.bulk_create(
        [
            PlanChange(version=version, actor=by, action=PlanChange.Action.CREATED, occurred_at=_at(day, 9)),
            PlanChange(version=version, actor=by, action=PlanChange.Action.PUBLISHED, occurred_at=_at(day, 15)),
        ]
    )
    version.refresh_from_db()
    return version


def _activity(version, position, *, sub_goals, **fields) -> Activity:
    activity = Activity.objects.create(version=version, position=position, **fields)
    activity.sub_goals.set(sub_goals)
    return activity


def _scores(sub_goal, values, *, first_day, by) -> None:
    Measurement.objects.bulk_create(
        [
            Measurement(
                sub_goal=sub_goal,
                lineage=sub_goal.lineage,
                measured_on=first_day + dt.timedelta(weeks=i),
                value=Decimal(v),
                entered_by=by,
            )
            for i, v in enumerate(values)
        ]
    )


@transaction.atomic
def load_demo(world, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    ensure_catalogue()
    tools = {t.key: t for t in RetentionTool.objects.all()}
    coordinator = world.users["koordinator"]
    _kurt(world, today, coordinator, tools)
    _bodil(world, today, coordinator, tools)


def _kurt(world, today, coordinator, tools) -> None:
    case = world.kurt
    kurt_user = world.users["kurt"]
    people = {p.role: p for p in Participant.objects.filter(case=case)}
    start = case.first_sick_day
    StepPlacement.objects.bulk_create(
        [
            StepPlacement(
                case=case,
                placed_on=start + dt.timedelta(days=10),
                track=StepTrack.EMPLOYED,
                step=2,
                actor=coordinator,
                reason="Kurt tror ikke, han kan klare sit arbejde med tunge løft. "
                "Det er uklart, hvornår en delvis raskmelding bliver realistisk.",
            ),
            StepPlacement(
                case=case,
                placed_on=start + dt.timedelta(days=24),
                track=StepTrack.EMPLOYED,
                step=3,
                actor=coordinator,
                reason="Fællesmøde på virksomheden: praktik som truckfører i egen "
                "virksomhed som forløber for delvis raskmelding.",
            ),
        ]
    )
    plan_day = start + dt.timedelta(days=24)
    plan = Plan.objects.create(case=case)
    version = _version(
        plan,
        1,
        by=coordinator,
        day=plan_day,
        status=VersionStatus.CURRENT,
        goal="Kurt kommer tilbage til sit normale arbejde på fabrikken inden for cirka 6 måneder.",
        goal_target_date=plan_day + dt.timedelta(days=182),
        evaluation_date=today + dt.timedelta(days=14),
    )
    sg1 = SubGoal.objects.create(
        version=version,
        position=0,
        target_date=plan_day + dt.timedelta(days=91),
        area=SubGoalArea.HOURS,
        work_related=False,
        indicator=IndicatorKind.SCALE,
        unit="smerte",
        scale_min=0,
        scale_max=10,
        start_value=8,
        target_value=3,
        text="Inden for 3 måneder oplever Kurt, at han kan arbejde nogle timer med smerter, han kan leve med, "
        "og han står stærkere som den, der arbejder. Smerterne falder fra 8 til 3. "
        "Inden for 4 uger går han en time om dagen i alt.",
    )
    sg2 = SubGoal.objects.create(
        version=version,
        position=1,
        target_date=plan_day + dt.timedelta(days=91),
        area=SubGoalArea.HEALTH,
        work_related=False,
        text="Kurt får tillid til, at smerter ikke betyder, at ryggen tager skade, og han kan håndtere et vist "
        "smerteniveau.",
    )
    sg3 = SubGoal.objects.create(
        version=version,
        position=2,
        target_date=plan_day + dt.timedelta(days=150),
        area=SubGoalArea.TASKS,
        work_related=True,
        indicator=IndicatorKind.MILESTONE,
        text="Kurt begynder i sin normale funktion i en delvis raskmelding.",
    )
    _activity(
        version,
        0,
        sub_goals=[sg1, sg3],
        kind=ActivityKind.WORKPLACE,
        tool=tools["internship"],
        responsible_participant=people["manager"],
        what="Virksomhedspraktik i egen virksomhed i en anden funktion: truckfører.",
        frequency="15 timer om ugen de første 4 uger, derefter optrapning",
        starts_on=plan_day + dt.timedelta(days=3),
        ends_on=plan_day + dt.timedelta(days=31),
    )
    _activity(
        version,
        1,
        sub_goals=[sg1],
        kind=ActivityKind.WORKPLACE,
        responsible_participant=people["employee"],
        what="Gåtur i pausen sammen med en kollega.",
        frequency="Hver dag",
    )
    _activity(
        version,
        2,
        sub_goals=[sg1],
        kind=ActivityKind.TREATMENT,
        responsible_participant=people["employee"],
        what="Smerteskema: Kurt skriver sine smerter ned.",
        frequency="Hver uge",
    )
    _activity(
        version,
        3,
        sub_goals=[sg2],
        kind=ActivityKind.TREATMENT,
        responsible_participant=people["physio_or_ot"],
        what="Mestringskursus om at leve og arbejde med smerter.",
        frequency="2 × 1 time om ugen",
    )
    _scores(sg1, [8, 7, 7, 6, 5], first_day=today - dt.timedelta(weeks=4, days=1), by=kurt_user)
    TimelineEvent.objects.bulk_create(
        [
            _event(
                case, "step_placed", coordinator, start + dt.timedelta(days=10), step=2, track="employed", previous=None
            ),
            _event(case, "step_placed", coordinator, plan_day, step=3, track="employed", previous=2),
            _event(case, "plan_created", coordinator, plan_day, number=1),
            _event(case, "plan_published", coordinator, plan_day, number=1),
        ]
    )


def _bodil(world, today, coordinator, tools) -> None:
    case = world.bodil
    bodil_user = world.users["bodil"]
    people = {p.role: p for p in Participant.objects.filter(case=case)}
    start = case.first_sick_day
    plan_day = start + dt.timedelta(days=16)
    revised_day = start + dt.timedelta(days=30)
    StepPlacement.objects.bulk_create(
        [
            StepPlacement(
                case=case,
                placed_on=start + dt.timedelta(days=9),
                track=StepTrack.EMPLOYED,
                step=3,
                actor=coordinator,
                reason="Aftalt korte besøg på arbejdspladsen som forløber for delvis raskmelding.",
            ),
            StepPlacement(
                case=case,
                placed_on=start + dt.timedelta(days=13),
                track=StepTrack.EMPLOYED,
                step=2,
                actor=coordinator,
                reason="Tilbageslag: Bodil er mere træt og trækker sig. Uklart, hvornår "
                "delvis raskmelding bliver realistisk.",
            ),
            StepPlacement(
                case=case,
                placed_on=revised_day,
                track=StepTrack.EMPLOYED,
                step=4,
                actor=coordinator,
                reason="Delvis raskmelding aftalt med lederen: 10 timer om ugen, derefter 15.",
            ),
        ]
    )
    plan = Plan.objects.create(case=case)
    # Both versions share the sub-goals' lineages, so her scores follow sub-goal 2 through the revision.
    lineages = (uuid.uuid4(), uuid.uuid4())
    goal = dict(
        goal="Bodil er tilbage i sit arbejde som sekretær på ordinære vilkår inden for 4–5 måneder.",
        goal_target_date=plan_day + dt.timedelta(days=140),
    )
    for number in (1, 2):
        day = plan_day if number == 1 else revised_day
        version = _version(
            plan,
            number,
            by=coordinator,
            day=day,
            status=VersionStatus.SUPERSEDED if number == 1 else VersionStatus.CURRENT,
            reason=""
            if number == 1
            else "Den delvise raskmelding begynder; Bodil drøfter sin ugentlige score med lederen.",
            evaluation_date=(plan_day + dt.timedelta(days=28)) if number == 1 else today + dt.timedelta(days=10),
            **goal,
        )
        sg1 = SubGoal.objects.create(
            version=version,
            position=0,
            target_date=plan_day + dt.timedelta(days=91),
            area=SubGoalArea.SOCIAL,
            work_related=False,
            lineage=lineages[0],
            text="Bodil bliver inden for 3 måneder tryg ved at være sammen med andre igen.",
        )
        sg2 = SubGoal.objects.create(
            version=version,
            position=1,
            target_date=plan_day + dt.timedelta(days=91),
            area=SubGoalArea.TASKS,
            work_related=True,
            indicator=IndicatorKind.SCALE,
            unit="tro på egne kompetencer",
            scale_min=0,
            scale_max=10,
            start_value=3,
            target_value=8,
            lineage=lineages[1],
            text="Bodil genvinder inden for 3 måneder troen på sin faglighed og sine kompetencer.",
        )
        _activity(
            version,
            0,
            sub_goals=[sg1],
            kind=ActivityKind.WORKPLACE,
            responsible_participant=people["employee"],
            what="Bodil besøger arbejdspladsen og drikker kaffe med sine nærmeste kolleger.",
            frequency="En gang om ugen",
        )
        _activity(
            version,
            1,
            sub_goals=[sg1],
            kind=ActivityKind.OTHER,
            responsible_participant=people["employee"],
            what="Bodil går til frisør.",
            frequency="En gang",
        )
        _activity(
            version,
            2,
            sub_goals=[sg2],
            kind=ActivityKind.WORKPLACE,
            tool=tools["partial_return"],
            responsible_participant=people["manager"],
            what="Delvis raskmelding om 14 dage.",
            frequency="10 timer om ugen i 2 uger, derefter 15 timer om ugen i 2 uger",
            starts_on=plan_day + dt.timedelta(days=14),
            ends_on=plan_day + dt.timedelta(days=41),
        )
        _activity(
            version,
            3,
            sub_goals=[sg2],
            kind=ActivityKind.WORKPLACE,
            responsible_participant=people["manager"],
            what="De normale opgaver kommer tilbage efter en plan, som Bodil og hendes leder laver sammen.",
        )
        _activity(
            version,
            4,
            sub_goals=[sg1, sg2],
            kind=ActivityKind.TREATMENT,
            responsible_participant=people["psychologist"],
            what="Samtaler hos psykolog.",
            frequency="Hver anden uge, 1 time",
        )
        if number == 2:
            _activity(
                version,
                5,
                sub_goals=[sg2],
                kind=ActivityKind.WORKPLACE,
                responsible_participant=people["employee"],
                what="Bodil giver sig selv en score og drøfter den med sin leder.",
                frequency="En gang om ugen",
            )
            PlanChange.objects.create(
                version=version,
                actor=coordinator,
                action=PlanChange.Action.ACTIVITY_ADDED,
                item=6,
                occurred_at=_at(revised_day, 10),
            )
            _scores(sg2, [3, 4, 4, 5], first_day=today - dt.timedelta(weeks=3, days=2), by=bodil_user)
            PlanVersion.objects.filter(pk=version.pk).update(agreed_at=_at(revised_day + dt.timedelta(days=1), 11))
            PlanChange.objects.create(
                version=version,
                actor=bodil_user,
                action=PlanChange.Action.AGREED,
                occurred_at=_at(revised_day + dt.timedelta(days=1), 11),
            )
            comment = PlanComment.objects.create(
                version=version,
                author=bodil_user,
                text="Jeg vil gerne starte med formiddage, så jeg kan hvile om eftermiddagen.",
            )
            PlanComment.objects.filter(pk=comment.pk).update(created_at=_at(revised_day + dt.timedelta(days=1), 11))
    TimelineEvent.objects.bulk_create(
        [
            _event(
                case, "step_placed", coordinator, start + dt.timedelta(days=9), step=3, track="employed", previous=None
            ),
            _event(
                case, "step_placed", coordinator, start + dt.timedelta(days=13), step=2, track="employed", previous=3
            ),
            _event(case, "plan_published", coordinator, plan_day, number=1),
            _event(case, "step_placed", coordinator, revised_day, step=4, track="employed", previous=2),
            _event(case, "plan_revised", coordinator, revised_day, number=2),
            _event(case, "plan_published", coordinator, revised_day, number=2),
            _event(case, "plan_agreed", bodil_user, revised_day + dt.timedelta(days=1), number=2),
            _event(
                case, "plan_commented", bodil_user, revised_day + dt.timedelta(days=1), Audience.PROFESSIONALS, number=2
            ),
        ]
    )
