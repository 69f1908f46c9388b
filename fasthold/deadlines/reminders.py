"""Daily reminder digests: who gets what, and a claim-then-send loop safe for several workers.

A digest row per (user, day) is created idempotently; a worker claims a row with a
conditional UPDATE (claimed_at IS NULL) and only the worker whose UPDATE touched the row
sends it. Two workers can therefore never send the same digest twice.

Who may be told is asked again at send time, per recipient, with the page policy
(`cases.access.cases_to_tell`, the set form of fasthold.cases.access.may_be_told): a manager whose employee
changed jobs, a coordinator who left the organisation or a removed participant gets nothing more
about that case, and nothing at all when no case remains.
"""

import datetime as dt
import logging
import uuid

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fasthold.accounts.models import User
from fasthold.cases.access import cases_to_tell
from fasthold.cases.choices import EMPLOYER_SIDE_ROLES
from fasthold.cases.models import Participant
from fasthold.deadlines.models import Deadline, ReminderDigest
from fasthold.deadlines.selectors import employer_hidden_keys, open_deadlines
from fasthold.organisations.models import STAFF_ROLES, Membership

log = logging.getLogger(__name__)
LOOK_AHEAD_DAYS = 7
# How often the task worker looks for today's unsent digests.
INTERVAL_SECONDS = 300


def recipients_and_items(today: dt.date) -> dict[int, list[Deadline]]:
    """Each user's due-soon and overdue deadlines: coordinators for their cases, employer-side
    participants for employer duties (never the ones hidden from the employer), employees for their
    own. A fixed number of queries, however many cases. Whether each user may still be told is checked at send time."""
    due = list(
        open_deadlines().filter(due__lte=today + dt.timedelta(days=LOOK_AHEAD_DAYS)).select_related("case__person")
    )
    hidden = employer_hidden_keys()
    case_ids = {d.case_id for d in due}
    employer_users: dict[int, set[int]] = {}
    for case_id, user_id in Participant.objects.filter(
        case__in=case_ids, role__in=EMPLOYER_SIDE_ROLES, user__isnull=False
    ).values_list("case_id", "user_id"):
        employer_users.setdefault(case_id, set()).add(user_id)
    # The coordinator's digest lists every rule, hidden ones included: only for staff of the case's
    # organisation, so a former coordinator who is now on the employer's side never gets them.
    staff = set(
        Membership.objects.filter(
            user__in={d.coordinator_id for d in due if d.coordinator_id}, role__in=STAFF_ROLES
        ).values_list("user_id", "organisation_id")
    )
    items: dict[int, list[Deadline]] = {}
    for d in due:
        users = set()
        if (
            d.responsible in ("coordinator", "jobcentre", "employer", "employee", "gp")
            and (d.coordinator_id, d.organisation_id) in staff
        ):
            users.add(d.coordinator_id)
        if d.responsible == "employer" and d.key not in hidden:
            users |= employer_users.get(d.case_id, set())
        if d.responsible == "employee" and d.case.person.user_id:
            users.add(d.case.person.user_id)
        for user_id in users:
            items.setdefault(user_id, []).append(d)
    return items


def prepare_digests(today: dt.date) -> dict[int, list[Deadline]]:
    items = recipients_and_items(today)
    ReminderDigest.objects.bulk_create(
        [ReminderDigest(user_id=user_id, day=today) for user_id in items], ignore_conflicts=True
    )
    return items


def claim(digest_id: int, worker: str) -> bool:
    return bool(
        ReminderDigest.objects.filter(pk=digest_id, claimed_at__isnull=True).update(
            claimed_by=worker, claimed_at=timezone.now()
        )
    )


def send_digest(user: User, deadlines: list[Deadline], today: dt.date) -> None:
    with translation.override(user.preferred_language):
        context = {"user": user, "deadlines": deadlines, "today": today, "language": user.preferred_language}
        subject = render_to_string("deadlines/digest_subject.txt", context).strip()
        body = render_to_string("deadlines/digest.txt", context)
    send_mail(subject, body, None, [user.email])


def run_once(today: dt.date | None = None, worker: str | None = None) -> int:
    """Send today's unsent digests this worker manages to claim. Returns how many it sent."""
    today = today or timezone.localdate()
    worker = worker or uuid.uuid4().hex
    items = prepare_digests(today)
    sent = 0
    pending = ReminderDigest.objects.filter(day=today, claimed_at__isnull=True).select_related("user")
    for digest in pending:
        if not claim(digest.pk, worker):
            continue  # another worker took it
        deadlines = items.get(digest.user_id, [])
        # Asked now, not when the items were gathered: the policy decides, per case, at send time.
        told = cases_to_tell(digest.user, {d.case_id for d in deadlines})
        deadlines = [d for d in deadlines if d.case_id in told]
        if deadlines and digest.user.email:
            send_digest(digest.user, deadlines, today)
            sent += 1
        with transaction.atomic():
            ReminderDigest.objects.filter(pk=digest.pk).update(sent_at=timezone.now(), item_count=len(deadlines))
        log.info("reminder digest %s handled by %s (%d items)", digest.public_id, worker, len(deadlines))
    return sent
