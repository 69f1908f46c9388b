import datetime as dt

from fasthold.cases.choices import CaseStatus, Outcome
from fasthold.cases.models import Case
from fasthold.evaluation import outcomes
from fasthold.evaluation.models import FollowUp
from fasthold.schedules.models import ReturnSchedule

# Closed with a return to some work: these are followed up at 3, 6 and 12 months.
FOLLOWED_OUTCOMES = (
    Outcome.FULL_RETURN,
    Outcome.PARTIAL_RETURN,
    Outcome.OTHER_JOB_SAME_EMPLOYER,
    Outcome.NEW_EMPLOYER,
    Outcome.FLEX_JOB,
)


def follow_up_key(months: int) -> str:
    return f"follow_up_{months}m"


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per closed case that ended in work: the follow-ups not yet recorded, as calendar dates
    (registered in EvaluationConfig.ready()). Two queries for any number of cases."""
    closed = dict(
        Case.objects.filter(pk__in=case_ids, status=CaseStatus.CLOSED, outcome__in=FOLLOWED_OUTCOMES)
        .exclude(closed_on__isnull=True)
        .values_list("pk", "closed_on")
    )
    if not closed:
        return {}
    done = set(FollowUp.objects.filter(case_id__in=list(closed)).values_list("case_id", "months"))
    return {
        case_id: [
            (follow_up_key(months), due, "coordinator")
            for months, due in outcomes.follow_up_dates(closed_on)
            if (case_id, months) not in done
        ]
        for case_id, closed_on in closed.items()
    }


def schedule_full_return(case) -> dt.date | None:
    """The first day of the first week the newest graded schedule reaches normal hours, or None."""
    schedule = ReturnSchedule.objects.filter(case=case).order_by("-created_at", "-pk").first()
    if schedule is None:
        return None
    for week in schedule.generate().weeks:
        if week.share_of_normal >= 1:
            return week.start
    return None
