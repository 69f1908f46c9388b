"""The manager's reminder when no contact has been logged for the agreed interval (asked for by NAV's
users).

A periodic job (registered in CoordinationConfig.ready()) looks at open cases with a manager taking part
and, where the next contact under the agreement (or the default cadence) is overdue, writes one
notification per manager and missed due date. Logging a contact that counts closes it; at send time it
is closed too if the contact is no longer overdue.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fasthold.cases.choices import CaseStatus, ParticipantRole
from fasthold.cases.models import Case, Participant
from fasthold.coordination.selectors import calendar_dates, contact_status
from fasthold.notifications import outbox
from fasthold.notifications.kinds import Message

CONTACT_OVERDUE = "coordination.contact_overdue"
REMINDER_HOUR = 7


def contact_reminders(now: dt.datetime | None = None) -> int:
    local = timezone.localtime(now or timezone.now())
    if local.hour < REMINDER_HOUR:
        return 0
    today = local.date()
    managers: dict[int, set[int]] = {}
    for case_id, user_id in (
        Participant.objects.filter(role=ParticipantRole.MANAGER, user__isnull=False)
        .exclude(case__status=CaseStatus.CLOSED)
        .values_list("case_id", "user_id")
    ):
        managers.setdefault(case_id, set()).add(user_id)
    count = 0
    with transaction.atomic():
        for case_id, dates in calendar_dates(list(managers)).items():
            for key, due, _responsible in dates:
                if key != "contact_due" or due >= today:
                    continue
                for user_id in managers[case_id]:
                    outbox.notify(
                        user_id, CONTACT_OVERDUE, case=case_id, object_id=case_id, dedupe_key=f"{case_id}:{due}"
                    )
                    count += 1
    return count


def render_contact_overdue(notification) -> Message | None:
    case = Case.objects.select_related("person").filter(pk=notification.case_id).first()
    if case is None:
        return None
    status = contact_status(case)
    if not status.overdue:
        return None  # a contact was logged meanwhile
    values = {"name": case.person.name, "date": formats.date_format(status.due, "DATE_FORMAT")}
    return Message(
        subject=_("Contact with %(name)s is overdue") % values,
        body=_(
            "Under your contact agreement the next contact with %(name)s was due on %(date)s, and none has "
            "been logged since. Get in touch, and log the contact in Fasthold."
        )
        % values,
        path=reverse("portals:employer_case", args=[case.public_id]),
    )


def close_contact_reminders(case) -> None:
    """A contact that counts was logged: the reminder's task is done."""
    outbox.close(CONTACT_OVERDUE, case=case)
