"""The manager's reminder at the plan's evaluation date (asked for by NAV's users).

A periodic job (registered in PlansConfig.ready()) writes one notification per manager taking part in
the case and current plan version's evaluation date, on the day (or within CATCH_UP_DAYS after, if the
worker was down), from REMINDER_HOUR. The row holds the version's id; the words are made at send time
and say nothing of health. Publishing a new version closes it: the plan was evaluated and revised.
"""

import datetime as dt

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from fasthold.cases.choices import CaseStatus
from fasthold.notifications import kinds, outbox
from fasthold.notifications.kinds import Message
from fasthold.notifications.reminders import REMINDER_HOUR, remind_managers, reminder_day  # noqa: F401 - the hour, read here too
from fasthold.plans.models import PlanVersion, VersionStatus

EVALUATION_DUE = "plans.evaluation_due"
CATCH_UP_DAYS = 7


def evaluation_reminders(now: dt.datetime | None = None) -> int:
    """Queue the day's evaluation reminders. Returns how many (manager, version) pairs were due; a pair
    already reminded about the same date is written once (the dedupe key)."""
    today = reminder_day(now)
    if today is None:
        return 0
    versions = (
        PlanVersion.objects.filter(
            status=VersionStatus.CURRENT,
            evaluation_date__lte=today,
            evaluation_date__gte=today - dt.timedelta(days=CATCH_UP_DAYS),
        )
        .exclude(plan__case__status=CaseStatus.CLOSED)
        .values_list("pk", "plan__case_id", "evaluation_date")
    )
    return remind_managers(EVALUATION_DUE, [(case_id, pk, f"{pk}:{day.isoformat()}") for pk, case_id, day in versions])


def _load_versions(notifications) -> dict:
    """{notification.pk: its current plan version}; one query for any number of rows."""
    versions = PlanVersion.objects.select_related("plan__case__person").filter(
        pk__in={n.object_id for n in notifications}, status=VersionStatus.CURRENT
    )
    by_pk = {v.pk: v for v in versions}
    return {n.pk: by_pk[n.object_id] for n in notifications if n.object_id in by_pk}


def _word_evaluation_due(notification, version) -> Message | None:
    if version is None or version.evaluation_date is None:
        return None  # revised or removed meanwhile: nothing to say
    case = version.plan.case
    values = {"name": case.person.name, "date": formats.date_format(version.evaluation_date, "DATE_FORMAT")}
    return Message(
        subject=_("Evaluate the plan for %(name)s") % values,
        body=_(
            "The retention plan for %(name)s is to be evaluated on %(date)s. Talk with %(name)s about how "
            "the plan is going, and tell the coordinator what you agree."
        )
        % values,
        path=reverse("portals:employer_case", args=[case.public_id]),
    )


render_evaluation_due = kinds.Batched(_load_versions, _word_evaluation_due)


def close_evaluation_reminders(case) -> None:
    """A new plan version is published: the evaluation is done."""
    outbox.close(EVALUATION_DUE, case=case)
