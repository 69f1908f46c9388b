"""Workflows on plans. Each writes its change, a timeline event where the case's people should know,
and an audit row (field names only) in one transaction, and takes the acting user explicitly.

A version is edited only while it is a draft; making it current supersedes the previous one.
Revising copies the current version into a new draft, so nothing is ever overwritten."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.models import Audience, Case
from fasthold.cases.timeline import timeline_record
from fasthold.deadlines.services import calendar_refresh
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.plans import hooks
from fasthold.plans.models import (
    Activity,
    ActivityKind,
    Measurement,
    Plan,
    PlanChange,
    PlanComment,
    PlanVersion,
    Proposal,
    ProposalStatus,
    RetentionTool,
    StepPlacement,
    SubGoal,
    VersionStatus,
)
from fasthold.plans.reminders import close_evaluation_reminders

Action = PlanChange.Action


def _audit(actor, case: Case, fields: list[str], *, health: bool = False) -> None:
    action = AuditAction.HEALTH_UPDATED if health else AuditAction.CASE_UPDATED
    audit_record(actor=actor, action=action, case=case, fields=fields)


def _change(version: PlanVersion, actor, action: str, *, item: int | None = None, fields=(), private=False) -> None:
    PlanChange.objects.create(
        version=version, actor=actor, action=action, item=item, fields=sorted(fields), private=private
    )


def _require_draft(version: PlanVersion) -> None:
    if not version.is_draft:
        raise NotAllowed


def _lock(version: PlanVersion, expected: int) -> None:
    """Claim the draft for this edit; a concurrent edit from the same starting point gets ConflictError."""
    update_versioned(PlanVersion, version, expected, {})


# --- The step model -------------------------------------------------------------------------------


@transaction.atomic
def step_place(*, actor, case: Case, placed_on: dt.date, track: str, step: int, reason: str) -> StepPlacement:
    previous = case.step_placements.order_by("-placed_on", "-id").first()
    placement = StepPlacement.objects.create(
        case=case, placed_on=placed_on, track=track, step=step, reason=reason, actor=actor
    )
    # Plan events carry numbers and codes, never plan text.
    timeline_record(
        case=case, kind="step_placed", actor=actor, step=step, track=track, previous=previous.step if previous else None
    )
    _audit(actor, case, ["step"])
    return placement


# --- Versions -------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor, case: Case, goal: str, goal_target_date: dt.date, evaluation_date: dt.date | None
) -> PlanVersion:
    try:
        with transaction.atomic():
            plan = Plan.objects.create(case=case)
    except IntegrityError as exc:  # someone else created it a moment ago
        raise ConflictError from exc
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        created_by=actor,
        reason="",
        goal=goal,
        goal_target_date=goal_target_date,
        evaluation_date=evaluation_date,
    )
    _change(version, actor, Action.CREATED)
    timeline_record(case=case, kind="plan_created", actor=actor, number=1)
    _audit(actor, case, ["plan"])
    return version


@transaction.atomic
def plan_goal_update(*, actor, version: PlanVersion, expected_version: int, data: dict[str, Any]) -> list[str]:
    _require_draft(version)
    changed = sorted(k for k, v in data.items() if getattr(version, k) != v)
    update_versioned(PlanVersion, version, expected_version, data)
    if changed:
        _change(version, actor, Action.GOAL_EDITED, fields=changed)
        _audit(actor, version.plan.case, ["plan"])
    return changed


def _sub_goal_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "lock"}


@transaction.atomic
def sub_goal_add(*, actor, version: PlanVersion, expected_version: int, data: dict[str, Any]) -> SubGoal:
    _require_draft(version)
    _lock(version, expected_version)
    position = version.sub_goals.count()
    sub_goal = SubGoal.objects.create(version=version, position=position, **_sub_goal_fields(data))
    _change(version, actor, Action.SUB_GOAL_ADDED, item=sub_goal.number, private=not sub_goal.work_related)
    _audit(actor, version.plan.case, ["sub_goal"])
    return sub_goal


@transaction.atomic
def sub_goal_update(*, actor, sub_goal: SubGoal, expected_version: int, data: dict[str, Any]) -> list[str]:
    version = sub_goal.version
    _require_draft(version)
    values = _sub_goal_fields(data)
    changed = sorted(k for k, v in values.items() if getattr(sub_goal, k) != v)
    _lock(version, expected_version)
    was_private = not sub_goal.work_related
    SubGoal.objects.filter(pk=sub_goal.pk).update(**values)
    for k, v in values.items():
        setattr(sub_goal, k, v)
    if changed:
        _change(
            version,
            actor,
            Action.SUB_GOAL_EDITED,
            item=sub_goal.number,
            fields=changed,
            private=was_private or not sub_goal.work_related,
        )
        _audit(actor, version.plan.case, ["sub_goal"])
    return changed


def _remove(actor, item, expected_version: int, action: str, *, number: int, private: bool, field: str) -> None:
    """Remove a sub-goal or an activity from its draft version; the ones after it move up."""
    version = item.version
    _require_draft(version)
    _lock(version, expected_version)
    model = type(item)
    item.delete()
    rest = model.objects.filter(version=version).order_by("position", "id").values_list("pk", flat=True)
    for position, pk in enumerate(rest):
        model.objects.filter(pk=pk).update(position=position)
    _change(version, actor, action, item=number, private=private)
    _audit(actor, version.plan.case, [field])


@transaction.atomic
def sub_goal_remove(*, actor, sub_goal: SubGoal, expected_version: int) -> None:
    # Its measurements stay with the same sub-goal in earlier versions.
    number, private = sub_goal.number, not sub_goal.work_related
    _remove(
        actor, sub_goal, expected_version, Action.SUB_GOAL_REMOVED, number=number, private=private, field="sub_goal"
    )


def _activity_fields(data: dict[str, Any]) -> tuple[dict[str, Any], list]:
    values = {k: v for k, v in data.items() if k not in ("lock", "sub_goals")}
    return values, list(data.get("sub_goals") or [])


@transaction.atomic
def activity_add(*, actor, version: PlanVersion, expected_version: int, data: dict[str, Any]) -> Activity:
    _require_draft(version)
    _lock(version, expected_version)
    values, sub_goals = _activity_fields(data)
    activity = Activity.objects.create(version=version, position=version.activities.count(), **values)
    activity.sub_goals.set(sub_goals)
    _change(
        version,
        actor,
        Action.ACTIVITY_ADDED,
        item=activity.position + 1,
        private=activity.kind != ActivityKind.WORKPLACE,
    )
    _audit(actor, version.plan.case, ["activity"], health=activity.is_treatment)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, expected_version: int, data: dict[str, Any]) -> list[str]:
    version = activity.version
    _require_draft(version)
    values, sub_goals = _activity_fields(data)
    changed = sorted(k for k, v in values.items() if getattr(activity, k) != v)
    if {s.pk for s in sub_goals} != set(activity.sub_goals.values_list("pk", flat=True)):
        changed.append("sub_goals")
    _lock(version, expected_version)
    was_private = activity.kind != ActivityKind.WORKPLACE
    Activity.objects.filter(pk=activity.pk).update(**values)
    for k, v in values.items():
        setattr(activity, k, v)
    activity.sub_goals.set(sub_goals)
    if changed:
        _change(
            version,
            actor,
            Action.ACTIVITY_EDITED,
            item=activity.position + 1,
            fields=sorted(changed),
            private=was_private or activity.kind != ActivityKind.WORKPLACE,
        )
        _audit(actor, version.plan.case, ["activity"], health=activity.is_treatment)
    return changed


@transaction.atomic
def activity_remove(*, actor, activity: Activity, expected_version: int) -> None:
    number, private = activity.position + 1, activity.kind != ActivityKind.WORKPLACE
    _remove(
        actor, activity, expected_version, Action.ACTIVITY_REMOVED, number=number, private=private, field="activity"
    )


def _copies(model, rows, version: PlanVersion) -> list:
    """Copies of a version's sub-goals or activities in `version`, with new ids (the lineage stays)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "public_id", "version_id")]
    return model.objects.bulk_create(
        [model(**{name: getattr(row, name) for name in fields}, version=version) for row in rows]
    )


def _copy(source: PlanVersion, *, number: int, actor, reason: str) -> PlanVersion:
    draft = PlanVersion.objects.create(
        plan=source.plan,
        number=number,
        created_by=actor,
        reason=reason,
        goal=source.goal,
        goal_target_date=source.goal_target_date,
        evaluation_date=source.evaluation_date,
    )
    old_sub_goals = list(source.sub_goals.all())
    new_sub_goals = _copies(SubGoal, old_sub_goals, draft)
    mapping = {old.pk: new.pk for old, new in zip(old_sub_goals, new_sub_goals)}
    old_activities = list(source.activities.prefetch_related("sub_goals"))
    new_activities = _copies(Activity, old_activities, draft)
    Activity.sub_goals.through.objects.bulk_create(
        [
            Activity.sub_goals.through(activity_id=new.pk, subgoal_id=mapping[sg.pk])
            for old, new in zip(old_activities, new_activities)
            for sg in old.sub_goals.all()
        ]
    )
    return draft


@transaction.atomic
def plan_revise(*, actor, plan: Plan, expected_version: int, reason: str) -> PlanVersion:
    """A new draft copied from the current version. The current version stays as it is."""
    update_versioned(Plan, plan, expected_version, {})
    if plan.versions.filter(status=VersionStatus.DRAFT).exists():
        raise NotAllowed
    source = plan.versions.filter(status=VersionStatus.CURRENT).first()
    if source is None:
        raise NotAllowed
    number = plan.versions.order_by("-number").values_list("number", flat=True).first() + 1
    draft = _copy(source, number=number, actor=actor, reason=reason)
    hooks.version_copied(source, draft)  # e.g. the schedule travels with its plan version
    _change(draft, actor, Action.CREATED)
    timeline_record(case=plan.case, kind="plan_revised", actor=actor, number=number)
    _audit(actor, plan.case, ["plan"])
    return draft


@transaction.atomic
def plan_publish(*, actor, version: PlanVersion, expected_version: int) -> None:
    """Make a draft the current version; the previous current version is kept, superseded."""
    _require_draft(version)
    plan = version.plan
    _lock(version, expected_version)
    PlanVersion.objects.filter(plan=plan, status=VersionStatus.CURRENT).update(status=VersionStatus.SUPERSEDED)
    now = timezone.now()
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.CURRENT, published_at=now, published_by=actor)
    version.status, version.published_at, version.published_by = VersionStatus.CURRENT, now, actor
    Plan.objects.filter(pk=plan.pk).update(updated_at=now)
    _change(version, actor, Action.PUBLISHED)
    timeline_record(case=plan.case, kind="plan_published", actor=actor, number=version.number)
    _audit(actor, plan.case, ["plan"])
    # The plan was evaluated and revised: the manager's evaluation reminder is done.
    close_evaluation_reminders(plan.case)
    # The current version's evaluation date is a deadline in the case calendar.
    calendar_refresh(plan.case)


# --- The employee and the manager take part ----------------------------------------------------------


@transaction.atomic
def plan_agree(*, actor, version: PlanVersion) -> bool:
    """The employee agrees to the current version. Returns False if they had already agreed."""
    if not version.is_current:
        raise NotAllowed
    now = timezone.now()
    if not PlanVersion.objects.filter(pk=version.pk, agreed_at__isnull=True).update(agreed_at=now):
        return False
    version.agreed_at = now
    _change(version, actor, Action.AGREED)
    timeline_record(case=version.plan.case, kind="plan_agreed", actor=actor, number=version.number)
    _audit(actor, version.plan.case, ["agreed_at"])
    return True


@transaction.atomic
def plan_comment(*, actor, version: PlanVersion, text: str) -> PlanComment:
    comment = PlanComment.objects.create(version=version, author=actor, text=text)
    # Comments may mention health; only professionals and the employee see them.
    timeline_record(
        case=version.plan.case,
        kind="plan_commented",
        actor=actor,
        audience=Audience.PROFESSIONALS,
        number=version.number,
    )
    _audit(actor, version.plan.case, ["plan_comment"])
    return comment


@transaction.atomic
def proposal_create(*, actor, plan: Plan, text: str) -> Proposal:
    based_on = plan.versions.filter(status=VersionStatus.CURRENT).first()
    proposal = Proposal.objects.create(plan=plan, based_on=based_on, text=text, created_by=actor)
    timeline_record(case=plan.case, kind="plan_proposal", actor=actor)
    _audit(actor, plan.case, ["proposal"])
    return proposal


@transaction.atomic
def proposal_decide(
    *, actor, proposal: Proposal, accept: bool, note: str, expected_version: int, reason: str = ""
) -> PlanVersion | None:
    """Accept into the open draft (or a new revision), or decline. Returns the draft on accept."""
    plan = proposal.plan
    if not Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).exists():
        raise ConflictError
    draft = None
    if accept:
        draft = plan.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is None:
            draft = plan_revise(actor=actor, plan=plan, expected_version=expected_version, reason=reason)
        else:
            update_versioned(Plan, plan, expected_version, {})
        _change(draft, actor, Action.PROPOSAL_ACCEPTED)
    else:
        update_versioned(Plan, plan, expected_version, {})
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    Proposal.objects.filter(pk=proposal.pk).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note, accepted_into=draft
    )
    proposal.status, proposal.accepted_into = status, draft
    timeline_record(case=plan.case, kind=f"plan_proposal_{status}", actor=actor)
    _audit(actor, plan.case, ["proposal"])
    return draft


# --- Measurements ---------------------------------------------------------------------------------------


@transaction.atomic
def measurement_add(*, actor, sub_goal: SubGoal, measured_on: dt.date, value: Decimal) -> Measurement:
    measurement = Measurement.objects.create(
        sub_goal=sub_goal, lineage=sub_goal.lineage, measured_on=measured_on, value=value, entered_by=actor
    )
    _audit(actor, sub_goal.version.plan.case, ["measurement"], health=not sub_goal.work_related)
    return measurement


# --- The retention tools catalogue -----------------------------------------------------------------------


@transaction.atomic
def tool_update(*, actor, tool: RetentionTool, expected_version: int, data: dict[str, Any]) -> list[str]:
    values = {k: v for k, v in data.items() if k != "lock"}
    changed = sorted(k for k, v in values.items() if getattr(tool, k) != v)
    update_versioned(RetentionTool, tool, expected_version, values)
    return changed
