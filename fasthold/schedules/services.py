"""Workflows on graded return schedules. Each writes its change, a timeline event where the case's people
should know, and an audit row (field names only) in one transaction, and takes the acting user.

A schedule lives in a plan version and is changed only while that version is a draft; the case's
actual hours and tasks are facts about the case and can be recorded at any time."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.models import Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.plans.models import PlanVersion
from fasthold.schedules.models import (
    PARAMETER_FIELDS,
    AccommodationItem,
    ActualWeek,
    Dial,
    DialName,
    MixerSetting,
    ReturnSchedule,
    ScheduleDayOverride,
    TaskItem,
    TaskTemplate,
    generate_from,
    parameters_of,
)


def _audit(actor, case: Case, fields: list[str]) -> None:
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=fields)


def _require_draft(version: PlanVersion) -> None:
    if not version.is_draft:
        raise NotAllowed


def _claim(schedule: ReturnSchedule, expected_version: int) -> None:
    _require_draft(schedule.plan_version)
    update_versioned(ReturnSchedule, schedule, expected_version, {})


def _stored(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in PARAMETER_FIELDS}
    values["workdays"] = ",".join(data.get("workdays") or ())
    values["rest_days"] = ",".join(data.get("rest_days") or ())
    values["phases"] = [
        {"week_hours": float(p["week_hours"]), "weeks": int(p["weeks"])} for p in data.get("phases") or []
    ]
    values["step_weeks"] = values["step_weeks"] or 1
    values["rest_days_end"] = values["rest_days_end"] or "never"
    return values


# --- The schedule -------------------------------------------------------------------------------------


@transaction.atomic
def schedule_save(
    *, actor, version: PlanVersion, data: dict[str, Any], expected_version: int | None = None
) -> ReturnSchedule:
    """Create the draft version's schedule, or change it (from `expected_version`).

    The data is checked by the generator first; a ScheduleError means nothing is written."""
    _require_draft(version)
    values = _stored(data)
    generate_from(parameters_of(values))
    schedule = ReturnSchedule.objects.filter(plan_version=version).first()
    case = version.plan.case
    if schedule is None:
        if expected_version:  # the form was an edit, and the schedule has gone meanwhile
            raise ConflictError
        try:
            with transaction.atomic():
                schedule = ReturnSchedule.objects.create(plan_version=version, case=case, created_by=actor, **values)
        except IntegrityError as exc:  # someone else created it a moment ago
            raise ConflictError from exc
        # A note marked "schedule" (worded by schedules/events.py): codes and numbers, never free text.
        timeline_record(case=case, kind=EventKind.NOTE, actor=actor, schedule="created", number=version.number)
        _audit(actor, case, ["schedule"])
        return schedule
    if expected_version is None:
        raise ConflictError
    changed = sorted(k for k, v in values.items() if getattr(schedule, k) != v)
    update_versioned(ReturnSchedule, schedule, expected_version, values)
    if changed:
        timeline_record(case=case, kind=EventKind.NOTE, actor=actor, schedule="changed", number=version.number)
        _audit(actor, case, ["schedule", *changed])
    return schedule


@transaction.atomic
def schedule_day_set(
    *, actor, schedule: ReturnSchedule, expected_version: int, day: dt.date, hours: Decimal, kind: str
) -> ScheduleDayOverride:
    _claim(schedule, expected_version)
    override, _ = ScheduleDayOverride.objects.update_or_create(
        schedule=schedule, date=day, defaults={"hours": hours if kind == "work" else 0, "kind": kind}
    )
    _audit(actor, schedule.case, ["schedule_day"])
    return override


@transaction.atomic
def schedule_day_reset(*, actor, schedule: ReturnSchedule, expected_version: int, day: dt.date) -> None:
    _claim(schedule, expected_version)
    ScheduleDayOverride.objects.filter(schedule=schedule, date=day).delete()
    _audit(actor, schedule.case, ["schedule_day"])


def copy_schedule(source_version: PlanVersion, new_version: PlanVersion) -> ReturnSchedule | None:
    """Copy a version's schedule with its days, mixer and checklist into a new version (plan_revise)."""
    source = ReturnSchedule.objects.filter(plan_version=source_version).first()
    if source is None:
        return None
    copy = ReturnSchedule.objects.create(
        plan_version=new_version,
        case=source.case,
        created_by=source.created_by,
        **{name: getattr(source, name) for name in PARAMETER_FIELDS},
    )
    ScheduleDayOverride.objects.bulk_create(
        [ScheduleDayOverride(schedule=copy, date=o.date, hours=o.hours, kind=o.kind) for o in source.overrides.all()]
    )
    AccommodationItem.objects.bulk_create(
        [AccommodationItem(schedule=copy, key=i.key, answer=i.answer, note=i.note) for i in source.checklist.all()]
    )
    for setting in source.mixer_settings.prefetch_related("dials"):
        new = MixerSetting.objects.create(
            schedule=copy, first_week=setting.first_week, last_week=setting.last_week, colours=list(setting.colours)
        )
        Dial.objects.bulk_create(
            [Dial(setting=new, name=d.name, level=d.level, note=d.note) for d in setting.dials.all()]
        )
    return copy


# --- Actual hours ---------------------------------------------------------------------------------------


@transaction.atomic
def actual_week_record(
    *, actor, case: Case, week_start: dt.date, hours: Decimal, note: str, expected_version: int
) -> ActualWeek:
    """Record (expected_version 0) or correct (the row's version) the hours worked in a week."""
    if expected_version == 0:
        try:
            with transaction.atomic():
                row = ActualWeek.objects.create(
                    case=case, week_start=week_start, hours=hours, note=note, entered_by=actor
                )
        except IntegrityError as exc:  # someone else recorded this week meanwhile
            raise ConflictError from exc
    else:
        row = ActualWeek.objects.filter(case=case, week_start=week_start).first()
        if row is None:
            raise ConflictError
        update_versioned(ActualWeek, row, expected_version, {"hours": hours, "note": note, "entered_by": actor})
    timeline_record(case=case, kind=EventKind.NOTE, actor=actor, schedule="actual_hours", week=week_start.isoformat())
    _audit(actor, case, ["actual_hours"])
    return row


# --- The mixer console ----------------------------------------------------------------------------------


def _dials(setting: MixerSetting, dials: dict[str, tuple[int, str]]) -> None:
    """The setting's dials, {name: (level, note)}; the demo writes its settings with it too."""
    Dial.objects.bulk_create(
        [Dial(setting=setting, name=name, level=level, note=note) for name, (level, note) in dials.items()]
    )


@transaction.atomic
def mixer_save(
    *,
    actor,
    schedule: ReturnSchedule,
    expected_version: int,
    setting: MixerSetting | None,
    first_week: int,
    last_week: int,
    colours: list[str],
    dials: dict[str, tuple[int, str]],
) -> MixerSetting:
    """Save one phase of the mixer. Every dial turned down is recorded as an event (name and levels)."""
    _claim(schedule, expected_version)
    before = {}
    if setting is None:
        setting = MixerSetting.objects.create(
            schedule=schedule, first_week=first_week, last_week=last_week, colours=colours
        )
    else:
        before = {d.name: d.level for d in setting.dials.all()}
        MixerSetting.objects.filter(pk=setting.pk).update(first_week=first_week, last_week=last_week, colours=colours)
        setting.first_week, setting.last_week, setting.colours = first_week, last_week, colours
        setting.dials.all().delete()
    _dials(setting, dials)
    case = schedule.case
    for name in DialName.values:
        if name in before and name in dials and dials[name][0] < before[name]:
            timeline_record(
                case=case,
                kind=EventKind.NOTE,
                actor=actor,
                schedule="dial_down",
                dial=name,
                **{"from": before[name], "to": dials[name][0]},
                weeks=[first_week, last_week],
            )
    _audit(actor, case, ["mixer"])
    return setting


@transaction.atomic
def mixer_remove(*, actor, schedule: ReturnSchedule, expected_version: int, setting: MixerSetting) -> None:
    _claim(schedule, expected_version)
    setting.delete()
    _audit(actor, schedule.case, ["mixer"])


# --- The accommodation checklist ------------------------------------------------------------------------


@transaction.atomic
def checklist_save(
    *, actor, schedule: ReturnSchedule, expected_version: int, answers: dict[str, tuple[str, str]]
) -> None:
    _claim(schedule, expected_version)
    schedule.checklist.all().delete()
    AccommodationItem.objects.bulk_create(
        [
            AccommodationItem(schedule=schedule, key=key, answer=answer, note=note)
            for key, (answer, note) in answers.items()
        ]
    )
    _audit(actor, schedule.case, ["accommodation_checklist"])


# --- Tasks ----------------------------------------------------------------------------------------------


@transaction.atomic
def task_add(*, actor, case: Case, text: str, colour: str) -> TaskItem:
    position = (case.task_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    task = TaskItem.objects.create(case=case, text=text, colour=colour, position=position)
    _audit(actor, case, ["task"])
    return task


@transaction.atomic
def task_recolour(*, actor, task: TaskItem, colour: str) -> None:
    TaskItem.objects.filter(pk=task.pk).update(colour=colour)
    task.colour = colour
    _audit(actor, task.case, ["task"])


@transaction.atomic
def task_remove(*, actor, task: TaskItem) -> None:
    case = task.case
    task.delete()
    _audit(actor, case, ["task"])


def task_examples(*, organisation, profession: str, language: str) -> list[TaskTemplate]:
    """The organisation's own examples for a profession, else the shipped ones."""
    rows = list(
        TaskTemplate.objects.filter(organisation=organisation, profession_category=profession, language=language)
    )
    if rows:
        return rows
    return list(
        TaskTemplate.objects.filter(organisation__isnull=True, profession_category=profession, language=language)
    )


@transaction.atomic
def tasks_copy_examples(*, actor, case: Case, profession: str, language: str) -> int:
    """Copy a profession's examples into the case, skipping tasks it already has. Returns how many."""
    existing = set(case.task_items.values_list("text", flat=True))
    start = (case.task_items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    new = [
        t
        for t in task_examples(organisation=case.organisation, profession=profession, language=language)
        if t.text not in existing
    ]
    TaskItem.objects.bulk_create(
        [TaskItem(case=case, text=t.text, colour=t.colour, position=start + i) for i, t in enumerate(new)]
    )
    if new:
        _audit(actor, case, ["task"])
    return len(new)


@transaction.atomic
def task_templates_save(*, actor, organisation, profession: str, language: str, lines: dict[str, list[str]]) -> None:
    """Replace the organisation's own examples for a profession and language."""
    TaskTemplate.objects.filter(organisation=organisation, profession_category=profession, language=language).delete()
    rows, position = [], 0
    for colour, texts in lines.items():
        for text in texts:
            rows.append(
                TaskTemplate(
                    organisation=organisation,
                    profession_category=profession,
                    language=language,
                    colour=colour,
                    text=text,
                    position=position,
                )
            )
            position += 1
    TaskTemplate.objects.bulk_create(rows)
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, organisation=organisation, fields=["task_templates"])


@transaction.atomic
def task_templates_reset(*, actor, organisation, profession: str, language: str) -> None:
    TaskTemplate.objects.filter(organisation=organisation, profession_category=profession, language=language).delete()
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, organisation=organisation, fields=["task_templates"])
