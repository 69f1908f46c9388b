"""The transactional outbox: write a notification with the change, claim it safely, send it once.

- `notify()` writes the row in the caller's transaction (so a rolled-back change tells nobody) and, once
  the transaction commits, asks the task worker to drain the outbox.
- `claim()` takes a batch of due rows for one worker. On PostgreSQL it selects them FOR UPDATE SKIP
  LOCKED and marks them claimed in the same transaction, so two workers never get the same row. SQLite
  has no SKIP LOCKED: each row is claimed by a compare-and-set UPDATE (…WHERE id = ? AND still due) and
  only the worker whose UPDATE changed the row (rowcount 1) has it. A row claimed longer ago than
  CLAIM_TIMEOUT_SECONDS and never finished is due again (its worker died).
- `send()` asks access again (may_be_told), renders the words then, delivers on each channel, records
  each delivery, and finishes the row only if this worker still holds the claim. A failure puts the
  row back with exponential backoff (schedule.py) until MAX_ATTEMPTS.
- Logs name row ids, kinds and exception class names; never addresses, names or text.
"""

import datetime as dt
import logging
import random
import uuid

from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from fasthold.cases.access import cases_to_tell, may_be_told
from fasthold.notifications import kinds, schedule
from fasthold.notifications.channels import absolute, channels
from fasthold.notifications.models import (
    OPEN_STATUSES,
    CloseReason,
    Delivery,
    Digest,
    DigestState,
    EmailMode,
    Notification,
    NotificationSettings,
    Status,
)

log = logging.getLogger(__name__)
BATCH = 50
DIGEST_HOUR = 7


# Writing


def notify(user, kind: str, *, case=None, object_id: int | None = None, dedupe_key: str = "") -> None:
    """Queue a notification for one person, in the current transaction. With a dedupe_key, raising the
    same (person, kind, key) again writes nothing."""
    if user is None:
        return
    row = Notification(
        user_id=getattr(user, "pk", user),
        kind=kind,
        case_id=getattr(case, "pk", case),
        object_id=object_id,
        dedupe_key=dedupe_key,
    )
    if dedupe_key:
        Notification.objects.bulk_create([row], ignore_conflicts=True)
    else:
        row.save()
    _kick_after_commit()


def close(kind: str, *, object_id: int | None = None, case=None, user=None, reason: str = CloseReason.DONE) -> int:
    """Close the open notifications of this kind about this object (its task is done): an unsent one is
    not sent, a sent one leaves the in-app list. Returns how many were closed."""
    rows = Notification.objects.filter(kind=kind, status__in=OPEN_STATUSES)
    if object_id is not None:
        rows = rows.filter(object_id=object_id)
    if case is not None:
        rows = rows.filter(case_id=getattr(case, "pk", case))
    if user is not None:
        rows = rows.filter(user_id=getattr(user, "pk", user))
    return rows.update(status=Status.CLOSED, closed_at=timezone.now(), close_reason=reason)


def _kick() -> None:
    from fasthold.notifications.tasks import kick_outbox

    kick_outbox()


def _kick_after_commit() -> None:
    # One enqueue per transaction, however many rows it wrote (a rollback drops it with the rows).
    if any(entry[1] is _kick for entry in connection.run_on_commit):
        return
    transaction.on_commit(_kick)


# Claiming


def due_q(now: dt.datetime) -> Q:
    cutoff = now - dt.timedelta(seconds=schedule.CLAIM_TIMEOUT_SECONDS)
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.SENDING, claimed_at__lt=cutoff)


def claim(worker: str, limit: int = BATCH, now: dt.datetime | None = None) -> list[int]:
    """Claim up to `limit` due rows for this worker; returns their ids. No other worker gets them."""
    now = now or timezone.now()
    due = Notification.objects.filter(due_q(now)).order_by("next_attempt_at", "pk")
    mark = dict(status=Status.SENDING, claimed_at=now, claimed_by=worker, attempts=F("attempts") + 1)
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if ids:
                Notification.objects.filter(pk__in=ids).update(**mark)
        return ids
    claimed = []
    for pk in due.values_list("pk", flat=True)[:limit]:
        # Compare-and-set: the row is ours only if it was still due when our UPDATE ran.
        if Notification.objects.filter(due_q(now), pk=pk).update(**mark) == 1:
            claimed.append(pk)
    return claimed


# Sending


def email_mode(user) -> str:
    mode = NotificationSettings.objects.filter(user=user).values_list("email_mode", flat=True).first()
    return mode or EmailMode.IMMEDIATE


def _finish(pk: int, worker: str, **fields) -> bool:
    done = Notification.objects.filter(pk=pk, status=Status.SENDING, claimed_by=worker).update(**fields)
    if not done:
        log.warning("notification %s: claim lost by %s before finishing (timed out and taken again?)", pk, worker)
    return bool(done)


def _record(n: Notification, delivered: list[str], worker: str) -> None:
    Delivery.objects.bulk_create([Delivery(notification=n, channel=name, worker=worker) for name in delivered])


def send(pk: int, worker: str) -> str:
    """Deliver one claimed row. Returns what became of it: sent, closed, retry, failed or lost.

    The deliveries and the row's new state are written in one transaction after the channels ran; on a
    failure the channels that did deliver are recorded too, so the retry skips them."""
    # may_be_told reads the case's person and employment: fetched with the row.
    n = (
        Notification.objects.select_related("user", "case__person", "case__employment")
        .filter(pk=pk, claimed_by=worker)
        .first()
    )
    if n is None or n.status != Status.SENDING:
        return "lost"
    now = timezone.now()
    user = n.user
    if not user.is_active or (n.case_id and not may_be_told(user, n.case)):
        _finish(pk, worker, status=Status.CLOSED, closed_at=now, close_reason=CloseReason.NO_ACCESS, claimed_at=None)
        log.info("notification %s (%s) closed: recipient may not be told", pk, n.kind)
        return "closed"
    delivered: list[str] = []
    # The words, and each channel's delivery, in the recipient's language.
    with translation.override(user.preferred_language or None):
        try:
            message = kinds.render(n)
            if message is None:
                _finish(pk, worker, status=Status.CLOSED, closed_at=now, close_reason=CloseReason.GONE, claimed_at=None)
                return "closed"
            mode = email_mode(user)
            # A first try has delivered nothing yet; a retry or a reclaimed row may have.
            done = (
                set(Delivery.objects.filter(notification=n).values_list("channel", flat=True))
                if n.attempts > 1
                else set()
            )
            digest_state = n.digest_state
            for channel in channels():
                if channel.name in done or not channel.accepts(user):
                    continue
                if channel.digestible and mode == EmailMode.DIGEST:
                    digest_state = digest_state or DigestState.WAITING
                    continue
                channel.deliver(n, message)
                delivered.append(channel.name)
        except Exception as error:  # noqa: BLE001 - any failure of a channel is retried, then given up
            attempts = n.attempts
            failed = schedule.gives_up(attempts)
            wait = schedule.backoff_seconds(attempts, jitter=random.random() * 0.25)  # noqa: S311 - not security
            with transaction.atomic():
                _record(n, delivered, worker)
                if failed:
                    _finish(pk, worker, status=Status.FAILED, last_error=type(error).__name__[:100], claimed_at=None)
                else:
                    _finish(
                        pk,
                        worker,
                        status=Status.PENDING,
                        next_attempt_at=now + dt.timedelta(seconds=wait),
                        last_error=type(error).__name__[:100],
                        claimed_at=None,
                    )
            if failed:
                log.error(
                    "notification %s (%s) given up after %d attempts: %s", pk, n.kind, attempts, type(error).__name__
                )
                return "failed"
            log.warning(
                "notification %s (%s) attempt %d failed: %s; retry in %ds",
                pk,
                n.kind,
                attempts,
                type(error).__name__,
                wait,
            )
            return "retry"
    with transaction.atomic():
        _record(n, delivered, worker)
        _finish(pk, worker, status=Status.SENT, sent_at=timezone.now(), digest_state=digest_state, claimed_at=None)
    return "sent"


def run_once(worker: str | None = None, limit: int = BATCH) -> dict[str, int]:
    """Claim and send batches until nothing is due. Returns counts per outcome."""
    worker = worker or uuid.uuid4().hex
    counts: dict[str, int] = {}
    while True:
        ids = claim(worker, limit)
        if not ids:
            return counts
        for pk in ids:
            outcome = send(pk, worker)
            counts[outcome] = counts.get(outcome, 0) + 1


# The daily digest


def send_digests(now: dt.datetime | None = None, worker: str | None = None) -> int:
    """From DIGEST_HOUR each day, one e-mail per person with their waiting notifications; claimed per
    (person, day) with a compare-and-set UPDATE, so two workers never send the same digest. Access is
    asked again for each line."""
    now = now or timezone.now()
    worker = worker or uuid.uuid4().hex
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return 0
    day = local.date()
    waiting = Notification.objects.filter(status=Status.SENT, digest_state=DigestState.WAITING, digest=None)
    users = set(waiting.values_list("user_id", flat=True))
    Digest.objects.bulk_create([Digest(user_id=u, day=day) for u in users], ignore_conflicts=True)
    sent = 0
    cutoff = now - dt.timedelta(seconds=schedule.CLAIM_TIMEOUT_SECONDS)
    for digest in Digest.objects.filter(day=day, sent_at=None).select_related("user"):
        claimable = Q(claimed_at=None) | Q(claimed_at__lt=cutoff)
        if not Digest.objects.filter(claimable, pk=digest.pk, sent_at=None).update(claimed_at=now, claimed_by=worker):
            continue
        waiting.filter(user=digest.user_id).update(digest=digest)
        rows = list(digest.notifications.filter(status=Status.SENT).select_related("case").order_by("created_at"))
        user = digest.user
        visible = cases_to_tell(user, {r.case_id for r in rows if r.case_id})
        rows = [r for r in rows if not r.case_id or r.case_id in visible]
        lines = []
        with translation.override(user.preferred_language or None):
            words = kinds.render_many(rows)  # one batch per kind, not a query per line
            for r in rows:
                message = words.get(r.pk)
                if message is not None:
                    lines.append({"subject": message.subject, "body": message.body, "url": absolute(message.path)})
            if lines and user.email and user.is_active:
                context = {"user": user, "lines": lines, "day": day}
                send_mail(
                    render_to_string("notifications/digest_subject.txt", context).strip(),
                    render_to_string("notifications/digest.txt", context),
                    None,
                    [user.email],
                )
                Delivery.objects.create(digest=digest, channel="email", worker=worker)
                sent += 1
        Notification.objects.filter(digest=digest).update(digest_state=DigestState.SENT)
        Digest.objects.filter(pk=digest.pk, claimed_by=worker).update(sent_at=timezone.now(), item_count=len(lines))
    return sent


# Health


def health(now: dt.datetime | None = None) -> dict:
    """Counts for /healthz: no ids, no people."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=schedule.CLAIM_TIMEOUT_SECONDS)
    pending = Notification.objects.filter(status=Status.PENDING)
    oldest = pending.filter(next_attempt_at__lte=now).aggregate(at=Min("next_attempt_at"))["at"]
    stuck = Notification.objects.filter(
        Q(status=Status.SENDING, claimed_at__lt=cutoff) | Q(status=Status.PENDING, next_attempt_at__lt=cutoff)
    ).count()
    return {
        "pending": pending.count(),
        "stuck": stuck,
        "failed": Notification.objects.filter(status=Status.FAILED).count(),
        "oldest_pending_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }
