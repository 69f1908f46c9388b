"""Reads for the plan pages, in a fixed number of queries however much the plan holds.

`employer_view` removes everything the employer may not see: treatment activities, sub-goals that are
not work-related (with their measurements), comments, and drafts."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import pgettext

from fasthold.cases.models import Case
from fasthold.plans import indicators
from fasthold.plans.models import (
    Activity,
    ActivityKind,
    IndicatorKind,
    Measurement,
    Plan,
    PlanChange,
    PlanComment,
    PlanVersion,
    Proposal,
    ProposalStatus,
    StepPlacement,
    SubGoal,
    VersionStatus,
)


def evaluation_dates(case_ids) -> dict[int, dt.date]:
    """The current plan version's evaluation date per case, for the case calendar. One query."""
    rows = PlanVersion.objects.filter(
        plan__case_id__in=list(case_ids), status=VersionStatus.CURRENT, evaluation_date__isnull=False
    ).values_list("plan__case_id", "evaluation_date")
    return dict(rows)


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("plan_evaluation", the current plan's evaluation date, "coordinator"), the plans' source
    of the case calendar (registered in PlansConfig.ready()). One query."""
    return {case_id: [("plan_evaluation", due, "coordinator")] for case_id, due in evaluation_dates(case_ids).items()}


def step_history(case: Case) -> list[StepPlacement]:
    """Placements in date order, each marked 'up' (progress), 'down' (setback) or '' against the one before."""
    placements = list(case.step_placements.select_related("actor"))
    previous = None
    for p in placements:
        p.change = "" if previous is None or previous.step == p.step else ("up" if p.step > previous.step else "down")
        previous = p
    return placements


def plan_for_case(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


def versions(plan: Plan, *, employer_view: bool) -> list[PlanVersion]:
    qs = plan.versions.select_related("created_by", "published_by")
    if employer_view:
        qs = qs.exclude(status=VersionStatus.DRAFT)
    return list(qs)


def focus_version(all_versions: list[PlanVersion], *, prefer_draft: bool) -> PlanVersion | None:
    """The version a plan page opens on: the draft being worked on, else the current one."""
    by_status = {v.status: v for v in all_versions}
    if prefer_draft and VersionStatus.DRAFT in by_status:
        return by_status[VersionStatus.DRAFT]
    return by_status.get(VersionStatus.CURRENT) or by_status.get(VersionStatus.DRAFT)


@dataclass
class Indicator:
    sub_goal: SubGoal
    measurements: list[Measurement]
    chart: indicators.Chart | None
    latest: Measurement | None
    reached: bool
    # Scores entered in error: kept, listed struck through for staff only, never in the chart or the figures.
    in_error: list[Measurement] = field(default_factory=list)


@dataclass
class VersionContent:
    version: PlanVersion
    sub_goals: list[SubGoal]
    activities: list[Activity]
    indicators: dict[int, Indicator] = field(default_factory=dict)
    changes: list[PlanChange] = field(default_factory=list)
    comments: list = field(default_factory=list)
    shows_health: bool = False


def version_content(
    version: PlanVersion, *, employer_view: bool, with_history: bool = True, staff: bool = False
) -> VersionContent:
    sub_goals = list(version.sub_goals.all())
    visible_sub_goals = [s for s in sub_goals if s.work_related or not employer_view]
    visible_ids = {s.pk for s in visible_sub_goals}
    activities = list(
        version.activities.select_related("responsible_participant__user", "tool").prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("position", "id"))
        )
    )
    if employer_view:
        activities = [a for a in activities if a.kind == ActivityKind.WORKPLACE]
    # Numbered within what this reader sees, so a hidden sub-goal leaves no gap in the numbering.
    by_pk = {}
    for i, s in enumerate(visible_sub_goals, start=1):
        s.display_number = i
        by_pk[s.pk] = s
    for activity in activities:
        activity.visible_sub_goals = [by_pk[s.pk] for s in activity.sub_goals.all() if s.pk in visible_ids]
    scales = [s for s in visible_sub_goals if s.is_scale]
    by_lineage = defaultdict(list)
    in_error = defaultdict(list)
    if scales:
        for m in (
            Measurement.objects.for_reader(is_staff=staff)
            .filter(sub_goal__version__plan_id=version.plan_id, lineage__in=[s.lineage for s in scales])
            .select_related("entered_by", "error_by")
        ):
            (in_error if m.is_entered_in_error else by_lineage)[m.lineage].append(m)
    content = VersionContent(version=version, sub_goals=visible_sub_goals, activities=activities)
    # A date under a chart's point: day and short month name ("8. nov." in Danish), never digits alone.
    chart_date = pgettext("day and short month under a chart's point; Django date format", "j M")
    for s in scales:
        ms = by_lineage[s.lineage]
        latest = ms[-1] if ms else None
        content.indicators[s.pk] = Indicator(
            sub_goal=s,
            measurements=ms,
            chart=indicators.chart(
                [(date_format(m.measured_on, chart_date), m.value) for m in ms[-12:]],
                low=s.scale_min,
                high=s.scale_max,
                start=s.start_value,
                target=s.target_value,
            )
            if ms
            else None,
            latest=latest,
            reached=bool(latest and indicators.reached(latest.value, s.start_value, s.target_value)),
            in_error=in_error[s.lineage],
        )
        s.indicator_data = content.indicators[s.pk]
    content.shows_health = not employer_view and (
        any(a.is_treatment for a in activities) or any(not s.work_related for s in sub_goals)
    )
    if with_history:
        changes = version.changes.select_related("actor")
        if employer_view:
            changes = changes.filter(private=False)
        content.changes = list(changes)
        content.comments = [] if employer_view else list(version.comments.select_related("author"))
    return content


def proposals(plan: Plan, *, user, employer_view: bool) -> list[Proposal]:
    qs = plan.proposals.select_related("created_by", "decided_by", "accepted_into")
    if employer_view:
        qs = qs.filter(created_by=user)
    return list(qs)


def open_proposal_count(plan: Plan) -> int:
    return plan.proposals.filter(status=ProposalStatus.OPEN).count()


@dataclass(frozen=True)
class Participation:
    agreed: PlanVersion | None  # the latest version the employee agreed to
    commented: bool

    @property
    def took_part(self) -> bool:
        return bool(self.agreed or self.commented)


def employee_participation(case: Case, all_versions: list[PlanVersion]) -> Participation:
    agreed = next((v for v in all_versions if v.agreed_at), None)
    user_id = case.person.user_id
    commented = (
        bool(user_id)
        and PlanComment.objects.filter(version_id__in=[v.pk for v in all_versions], author_id=user_id).exists()
    )
    return Participation(agreed=agreed, commented=commented)


@dataclass
class Progress:
    """How far the plan's sub-goals have come, for the case page's overview."""

    sub_goals: int = 0  # the sub-goals this reader sees
    measured: int = 0  # ... of them with an indicator (a scale or a yes/no milestone)
    reached: int = 0  # ... of those reached: the milestone reached, or the latest score at the target


def progress(version: PlanVersion, *, employer_view: bool) -> Progress:
    """The version's progress, counting only the sub-goals this reader may see (the employer side: the
    work-related ones). Two queries (the sub-goals; the scales' latest scores, when there are scales)."""
    sub_goals = list(version.sub_goals.all())
    if employer_view:
        sub_goals = [s for s in sub_goals if s.work_related]
    measured = [s for s in sub_goals if s.indicator in (IndicatorKind.SCALE, IndicatorKind.MILESTONE)]
    scales = [s for s in measured if s.is_scale]
    latest: dict = {}
    if scales:
        for m in (
            Measurement.objects.valid()
            .filter(sub_goal__version__plan_id=version.plan_id, lineage__in=[s.lineage for s in scales])
            .order_by("measured_on", "id")
        ):
            latest[m.lineage] = m.value

    def reached(s: SubGoal) -> bool:
        if s.is_scale:
            return s.lineage in latest and indicators.reached(latest[s.lineage], s.start_value, s.target_value)
        return s.milestone_reached_on is not None

    return Progress(sub_goals=len(sub_goals), measured=len(measured), reached=sum(map(reached, measured)))
