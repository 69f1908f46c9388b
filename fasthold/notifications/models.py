"""The notification outbox.

A Notification is one message to one person, written in the same transaction as the change it is
about. It holds ids and a kind, never text: the words are rendered at send time, after access has been
asked again (fasthold.notifications.outbox). The worker claims rows (FOR UPDATE SKIP LOCKED on
PostgreSQL, a compare-and-set UPDATE on SQLite), delivers them on each channel and records each delivery.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")
    FAILED = "failed", _("Given up")


class CloseReason(models.TextChoices):
    DONE = "done", _("The task is done")
    NO_ACCESS = "no_access", _("The recipient may no longer be told")
    GONE = "gone", _("What it was about is gone")


class DigestState(models.TextChoices):
    NONE = "", _("Not in a digest")
    WAITING = "waiting", _("Waiting for the daily digest")
    SENT = "sent", _("Sent in a digest")


OPEN_STATUSES = (Status.PENDING, Status.SENDING, Status.SENT)


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # What it is about: a kind registered by the app that raises it (fasthold.notifications.kinds), the case,
    # and the id of the object within that app (a plan, a contact agreement). No text.
    kind = models.CharField(max_length=50)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Raising the same reminder twice (per person, kind and key) writes one row.
    dedupe_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    # The class name of the last failure (never its message: it may quote an address).
    last_error = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)

    digest_state = models.CharField(max_length=10, choices=DigestState.choices, blank=True, default="")
    digest = models.ForeignKey(
        "notifications.Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_due_idx"),
            models.Index(fields=["user", "status", "read_at"], name="notif_user_idx"),
            models.Index(fields=["kind", "object_id"], name="notif_subject_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "dedupe_key"], condition=~Q(dedupe_key=""), name="notif_dedupe_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"


class Delivery(models.Model):
    """One delivery on one channel: of a notification, or of a digest. The proof that it went, once."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.ForeignKey("notifications.Digest", null=True, blank=True, on_delete=models.CASCADE)
    channel = models.CharField(max_length=30)
    worker = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once, one e-mail per notification")
    DIGEST = "digest", _("Once a day, in one e-mail")


class NotificationSettings(models.Model):
    """How a person wants their e-mail: at once, or gathered in a daily digest. In-app is always at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_mode = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)


class Digest(models.Model):
    """One person's daily digest e-mail: claimed by one worker (compare-and-set on claimed_at), sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="notif_digest_once_a_day")]


class PeriodicRun(models.Model):
    """When a periodic job (fasthold.notifications.periodic) last started: claimed by compare-and-set,
    so with several workers each job runs once per interval."""

    name = models.CharField(max_length=50, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_worker = models.CharField(max_length=64, blank=True)
