"""Kurt's and Bodil's plans as the jobcentre guide tells their stories, with their step placements, a few
weeks of scores, and Bodil's agreement to her current version.

The content is data: each person's placements, sub-goals and activities are tables below, and the
helpers turn them into rows. What the guide gives is used as it stands (goals, sub-goals, scales,
activities and who does them); where it is silent (how often Bodil has coffee with her colleagues) the
demo leaves the field empty. The one exception is Bodil's scale, which the plan cannot hold without
numbers: its range, start and target are the demo's example, and the sub-goal says so.

Days count from the first sick day (placements) or from the day the plan was made (sub-goals' target
dates); the dates of the internship and of the partial return come from the stories' calendar in
fasthold.cases.demo."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fasthold.cases.demo import bodil_partial_return_start, bodil_plan_day, kurt_internship_start
from fasthold.cases.models import Audience, Participant, TimelineEvent
from fasthold.deadlines.engine.dates import add_working_days
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
from fasthold.plans.tools_catalogue import TOOL_FIELDS, TOOLS


def ensure_catalogue() -> None:
    """The seeded retention tools (migration 0002), restored if a test flushed the table."""
    if RetentionTool.objects.exists():
        return
    RetentionTool.objects.bulk_create(
        [RetentionTool(position=i, **dict(zip(TOOL_FIELDS, row))) for i, row in enumerate(TOOLS)]
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


def _placements(case, coordinator, steps) -> list[TimelineEvent]:
    """Saves the step placements; returns their step_placed events, unsaved (the events are bulk-created)."""
    start = case.first_sick_day
    StepPlacement.objects.bulk_create(
        [
            StepPlacement(
                case=case,
                placed_on=start + dt.timedelta(days=days),
                track=StepTrack.EMPLOYED,
                step=step,
                actor=coordinator,
                reason=reason,
            )
            for days, step, reason in steps
        ]
    )
    previous = [None] + [step for _days, step, _reason in steps]
    return [
        _event(
            case,
            "step_placed",
            coordinator,
            start + dt.timedelta(days=days),
            step=step,
            track="employed",
            previous=before,
        )
        for (days, step, _reason), before in zip(steps, previous)
    ]


def _sub_goals(version, rows, *, plan_day, lineages) -> list[SubGoal]:
    sub_goals = []
    for position, (row, lineage) in enumerate(zip(rows, lineages)):
        fields = dict(row)
        target_date = plan_day + dt.timedelta(days=fields.pop("target_days"))
        sub_goals.append(
            SubGoal.objects.create(
                version=version, position=position, target_date=target_date, lineage=lineage, **fields
            )
        )
    return sub_goals


def _activities(version, rows, *, sub_goals, people, tools, dates) -> None:
    """`dates` gives each tool's (first, last) day; an activity without a tool has no dates."""
    for position, row in enumerate(rows):
        fields = dict(row)
        fields["sub_goals"] = [sub_goals[i] for i in fields["sub_goals"]]
        fields["responsible_participant"] = people[fields.pop("responsible")]
        if "tool" in fields:
            fields["starts_on"], fields["ends_on"] = dates[fields["tool"]]
            fields["tool"] = tools[fields["tool"]]
        _activity(version, position, **fields)


def _four_weeks(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(weeks=4, days=-1)


# Step placements: (days after the first sick day, step, reason). Kurt's case is the guide's example of
# step 3, agreed at the joint meeting; Bodil's plan starts with a partial return (step 4), agreed when the
# plan was made (her day is the plan's, so it is placed in _bodil).
KURT_JOINT_MEETING_DAY = 24
KURT_STEP = (
    3,
    "Fællesmøde på virksomheden: virksomhedspraktik i egen virksomhed som truckfører, "
    "som forløber for en delvis raskmelding.",
)


def kurt_joint_meeting_day(case) -> dt.date:
    """The joint meeting at Kurt's workplace: about three and a half weeks after his first sick day, on
    the first working day from then (a meeting is never on a weekend or a public holiday)."""
    return add_working_days(case.first_sick_day + dt.timedelta(days=KURT_JOINT_MEETING_DAY), 0)


BODIL_STEP = (4, "Aftalt delvis raskmelding om 14 dage: 10 timer om ugen i 2 uger, derefter 15 timer om ugen i 2 uger.")

# Sub-goals in order. target_days: from the day the plan was made.
KURT_SUB_GOALS = (
    {
        "target_days": 91,
        "area": SubGoalArea.HOURS,
        "work_related": False,
        "indicator": IndicatorKind.SCALE,
        "unit": "smerte",
        "scale_min": 1,
        "scale_max": 10,
        "start_value": 8,
        "target_value": 3,
        "text": "Inden for 3 måneder oplever Kurt, at han kan arbejde nogle timer med smerter, han kan leve med, "
        "og han står stærkere som den, der arbejder. Smerterne falder fra 8 til 3 på en skala fra 1 til 10. "
        "Inden for 4 uger går han en time om dagen i alt.",
    },
    {
        "target_days": 91,
        "area": SubGoalArea.HEALTH,
        "work_related": False,
        "text": "Kurt får tillid til, at smerter ikke betyder, at ryggen bliver dårligere, og han kan håndtere et vist "
        "smerteniveau.",
    },
    {
        "target_days": 182,
        "area": SubGoalArea.TASKS,
        "work_related": True,
        "indicator": IndicatorKind.MILESTONE,
        "text": "Kurt begynder i sin normale funktion i en delvis raskmelding.",
    },
)
BODIL_SUB_GOALS = (
    {
        "target_days": 91,
        "area": SubGoalArea.SOCIAL,
        "work_related": False,
        "text": "Bodil er begyndt at isolere sig. Inden for 3 måneder bliver hun tryg ved at være sammen med andre "
        "igen.",
    },
    {
        "target_days": 91,
        "area": SubGoalArea.TASKS,
        "work_related": True,
        "indicator": IndicatorKind.SCALE,
        "unit": "tro på egne kompetencer",
        "scale_min": 0,
        "scale_max": 10,
        "start_value": 3,
        "target_value": 8,
        "text": "Bodil er blevet usikker på sine faglige evner. Inden for 3 måneder genvinder hun troen på sin "
        "faglighed og sine kompetencer; hun måler det selv på en skala. (Guiden giver ikke skalaens tal; "
        "0–10, start 3 og mål 8 er demoens eksempel.)",
    },
)

# Activities in order. sub_goals: the sub-goals supported, by position; responsible: the participant's
# role, the one the guide names; tool: a retention tool's key (its dates come from the stories' calendar).
# A frequency is given only where the guide gives one.
KURT_ACTIVITIES = (
    {
        "sub_goals": (0, 2),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "employee",
        "tool": "internship",
        "what": "Virksomhedspraktik i egen virksomhed i en anden funktion: truckfører.",
        "frequency": "15 timer om ugen de første 4 uger, derefter optrapning",
    },
    {
        "sub_goals": (0,),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "employee",
        "what": "Gåtur i pausen sammen med en kollega.",
        "frequency": "Hver dag",
    },
    {
        "sub_goals": (0,),
        "kind": ActivityKind.TREATMENT,
        "responsible": "employee",
        "what": "Smerteskema: Kurt skriver sine smerter ned.",
        "frequency": "Hver uge",
    },
    {
        "sub_goals": (1,),
        "kind": ActivityKind.TREATMENT,
        "responsible": "employee",
        "what": "Mestringskursus: Kurt deltager.",
        "frequency": "2 gange om ugen, 1 time ad gangen",
    },
)
BODIL_ACTIVITIES = (
    {
        "sub_goals": (0,),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "employee",
        "what": "Bodil besøger arbejdspladsen og drikker kaffe med sine nærmeste kolleger.",
    },
    {
        "sub_goals": (0,),
        "kind": ActivityKind.OTHER,
        "responsible": "employee",
        "what": "Bodil går til frisør.",
    },
    {
        "sub_goals": (1,),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "employee",
        "tool": "partial_return",
        "what": "Delvis raskmelding om 14 dage.",
        "frequency": "10 timer om ugen de første 2 uger, derefter 15 timer om ugen de næste 2 uger",
    },
    {
        "sub_goals": (1,),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "manager",
        "what": "De normale opgaver kommer tilbage efter en plan, som Bodil og hendes nærmeste leder laver sammen.",
    },
    {
        "sub_goals": (1,),
        "kind": ActivityKind.WORKPLACE,
        "responsible": "employee",
        "what": "Bodil giver sig selv en score på skalaen og drøfter den med sin leder.",
        "frequency": "En gang om ugen",
    },
)
# The revision (version 2), when the partial return begins: Bodil and her manager have made the plan for
# her normal tasks (the task list of her return schedule), and the activity says so.
BODIL_TASKS_ACTIVITY = 3
BODIL_REVISED_TASKS = (
    "De normale opgaver kommer tilbage efter den plan, som Bodil og hendes nærmeste leder har lavet sammen: "
    "opgavelisten i optrapningsplanen."
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
    people = {p.role: p for p in Participant.objects.filter(case=case)}
    plan_day = kurt_joint_meeting_day(case)
    events = _placements(case, coordinator, (((plan_day - case.first_sick_day).days, *KURT_STEP),))
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
    lineages = [uuid.uuid4() for _row in KURT_SUB_GOALS]
    sub_goals = _sub_goals(version, KURT_SUB_GOALS, plan_day=plan_day, lineages=lineages)
    dates = {"internship": _four_weeks(kurt_internship_start(case))}
    _activities(version, KURT_ACTIVITIES, sub_goals=sub_goals, people=people, tools=tools, dates=dates)
    _scores(sub_goals[0], [8, 7, 7, 6, 5], first_day=today - dt.timedelta(weeks=4, days=1), by=world.users["kurt"])
    events += [
        _event(case, "plan_created", coordinator, plan_day, number=1),
        _event(case, "plan_published", coordinator, plan_day, number=1),
    ]
    TimelineEvent.objects.bulk_create(events)


def _bodil(world, today, coordinator, tools) -> None:
    case = world.bodil
    bodil_user = world.users["bodil"]
    people = {p.role: p for p in Participant.objects.filter(case=case)}
    start = case.first_sick_day
    plan_day = bodil_plan_day(case)
    revised_day = bodil_partial_return_start(case)
    agreed_at = _at(revised_day + dt.timedelta(days=1), 11)
    step, reason = BODIL_STEP
    steps = _placements(case, coordinator, (((plan_day - start).days, step, reason),))
    plan = Plan.objects.create(case=case)
    # Both versions share the sub-goals' lineages, so her scores follow sub-goal 2 through the revision.
    lineages = [uuid.uuid4() for _row in BODIL_SUB_GOALS]
    goal = dict(
        goal="Bodil er tilbage i sit arbejde som sekretær på ordinære vilkår inden for 4–5 måneder.",
        goal_target_date=plan_day + dt.timedelta(days=140),
    )
    dates = {"partial_return": _four_weeks(revised_day)}
    revised = [dict(row) for row in BODIL_ACTIVITIES]
    revised[BODIL_TASKS_ACTIVITY]["what"] = BODIL_REVISED_TASKS
    for number in (1, 2):
        day = plan_day if number == 1 else revised_day
        version = _version(
            plan,
            number,
            by=coordinator,
            day=day,
            status=VersionStatus.SUPERSEDED if number == 1 else VersionStatus.CURRENT,
            reason="" if number == 1 else "Bodil og hendes leder har lavet planen for de normale opgaver.",
            evaluation_date=(plan_day + dt.timedelta(days=28)) if number == 1 else today + dt.timedelta(days=10),
            **goal,
        )
        sub_goals = _sub_goals(version, BODIL_SUB_GOALS, plan_day=plan_day, lineages=lineages)
        activities = BODIL_ACTIVITIES if number == 1 else revised
        _activities(version, activities, sub_goals=sub_goals, people=people, tools=tools, dates=dates)
        if number == 2:
            PlanChange.objects.create(
                version=version,
                actor=coordinator,
                action=PlanChange.Action.ACTIVITY_EDITED,
                item=BODIL_TASKS_ACTIVITY + 1,
                fields=["what"],
                occurred_at=_at(revised_day, 10),
            )
            _scores(sub_goals[1], [3, 4, 4, 5], first_day=today - dt.timedelta(weeks=3, days=2), by=bodil_user)
            PlanVersion.objects.filter(pk=version.pk).update(agreed_at=agreed_at)
            PlanChange.objects.create(
                version=version, actor=bodil_user, action=PlanChange.Action.AGREED, occurred_at=agreed_at
            )
            comment = PlanComment.objects.create(
                version=version,
                author=bodil_user,
                text="Jeg vil gerne starte med formiddage, så jeg kan hvile om eftermiddagen.",
            )
            PlanComment.objects.filter(pk=comment.pk).update(created_at=agreed_at)
    agreed = revised_day + dt.timedelta(days=1)
    events = steps + [
        _event(case, "plan_published", coordinator, plan_day, number=1),
        _event(case, "plan_revised", coordinator, revised_day, number=2),
        _event(case, "plan_published", coordinator, revised_day, number=2),
        _event(case, "plan_agreed", bodil_user, agreed, number=2),
        _event(case, "plan_commented", bodil_user, agreed, Audience.PROFESSIONALS, number=2),
    ]
    TimelineEvent.objects.bulk_create(sorted(events, key=lambda event: event.occurred_at))
