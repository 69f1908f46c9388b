"""What the managers' reminders share (fasthold.plans.reminders, fasthold.coordination.reminders): the
hour they start, and one notification per manager taking part in the case, written once per key."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Participant
from fasthold.notifications import outbox

REMINDER_HOUR = 7


def reminder_day(now: dt.datetime | None = None) -> dt.date | None:
    """Today, from REMINDER_HOUR local time; None before (nobody is reminded in the night)."""
    local = timezone.localtime(now or timezone.now())
    return local.date() if local.hour >= REMINDER_HOUR else None


def remind_managers(kind: str, due: list[tuple[int, int, str]]) -> int:
    """For each (case id, object id, dedupe key), notify each manager taking part in the case; a pair
    already told with the same key is written once. Returns the pairs. Two queries and the inserts."""
    managers: dict[int, set[int]] = {}
    for case_id, user_id in Participant.objects.filter(
        case__in={case_id for case_id, _obj, _key in due}, role=ParticipantRole.MANAGER, user__isnull=False
    ).values_list("case_id", "user_id"):
        managers.setdefault(case_id, set()).add(user_id)
    count = 0
    with transaction.atomic():
        for case_id, object_id, key in due:
            for user_id in managers.get(case_id, ()):
                outbox.notify(user_id, kind, case=case_id, object_id=object_id, dedupe_key=key)
                count += 1
    return count
