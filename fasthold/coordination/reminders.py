"""The manager's reminder when no contact has been logged for the agreed interval (asked for by NAV's
users).

A periodic job (registered in CoordinationConfig.ready()) looks at open cases with a manager taking part
and, where the next contact under the agreement (or the default cadence) is overdue, writes one
notification per manager and missed due date. Logging a contact that counts closes it; at send time it
is closed too if the contact is no longer overdue.
"""

import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fasthold.cases.models import Case
from fasthold.coordination.models import ContactAgreement, ContactEntry
from fasthold.coordination.selectors import status_from
from fasthold.deadlines.selectors import open_deadlines
from fasthold.notifications import kinds, outbox
from fasthold.notifications.kinds import Message
from fasthold.notifications.reminders import REMINDER_HOUR, remind_managers, reminder_day  # noqa: F401 - the hour, read here too

CONTACT_OVERDUE = "coordination.contact_overdue"


def contact_reminders(now: dt.datetime | None = None) -> int:
    today = reminder_day(now)
    if today is None:
        return 0
    # The stored calendar's next contact, as the case calendar and the worklist read it (kept up to date
    # when a contact is logged or marked as entered in error); cases without a manager write nothing.
    overdue = open_deadlines().filter(key="contact_due", due__lt=today).values_list("case_id", "due")
    return remind_managers(CONTACT_OVERDUE, [(case_id, case_id, f"{case_id}:{due}") for case_id, due in overdue])


def _load_statuses(notifications) -> dict:
    """{notification.pk: (case, contact status)}; three queries for any number of rows."""
    case_ids = {n.case_id for n in notifications if n.case_id is not None}
    if not case_ids:
        return {}
    cases = {c.pk: c for c in Case.objects.select_related("person").filter(pk__in=case_ids)}
    agreements = {a.case_id: a for a in ContactAgreement.objects.filter(case__in=list(cases), current=True)}
    last = dict(
        ContactEntry.objects.filter(case__in=list(cases))
        .valid()
        .filter(involves_health_professional=False)
        .order_by()
        .values("case")
        .annotate(last=Max("occurred_on"))
        .values_list("case", "last")
    )
    today = timezone.localdate()
    statuses = {pk: (case, status_from(case, agreements.get(pk), last.get(pk), today)) for pk, case in cases.items()}
    return {n.pk: statuses[n.case_id] for n in notifications if n.case_id in statuses}


def _word_contact_overdue(notification, loaded) -> Message | None:
    if loaded is None:
        return None
    case, status = loaded
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


render_contact_overdue = kinds.Batched(_load_statuses, _word_contact_overdue)


def close_contact_reminders(case) -> None:
    """A contact that counts was logged: the reminder's task is done."""
    outbox.close(CONTACT_OVERDUE, case=case)
