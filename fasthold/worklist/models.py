"""The coordinator's worklist: one row per thing in a case that asks for the coordinator's attention.

Rows come from two places. Things that happen (a score or a questionnaire from the employee, a consent
given or withdrawn) write their row when they are saved (fasthold.worklist.signals). Things that become
due with time (an overdue deadline, no contact for longer than agreed, a plan's evaluation date passed,
agreements nobody has confirmed) are found by fasthold.worklist.sync, which the worker runs every few
minutes; it also closes rows whose cause has gone (the deadline was met, the plan was evaluated).

A row is unhandled until a coordinator marks it handled (kept, with who and when) or its cause goes
away by itself (resolved_at). The page reads only this table and the cases, so it costs the same at
any number of cases.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    OVERDUE_DEADLINE = "overdue_deadline", _("Overdue deadline")
    NO_CONTACT = "no_contact", _("No contact for longer than agreed")
    PLAN_EVALUATION = "plan_evaluation", _("Plan evaluation date passed")
    UNCONFIRMED = "unconfirmed", _("Agreements awaiting confirmation")
    NEW_MEASUREMENT = "new_measurement", _("New score from the employee")
    NEW_QUESTIONNAIRE = "new_questionnaire", _("New questionnaire from the employee")
    CONSENT_CHANGE = "consent_change", _("Consent given or withdrawn")
    MEETING_REQUEST = "meeting_request", _("Request for a meeting")
    MESSAGE = "message", _("Message")


UNHANDLED = Q(handled_at=None, resolved_at=None)


class WorkItemQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(UNHANDLED)


class WorkItem(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="work_items")
    # Copies of the case's, so the page reads one table with one index at any number of cases; kept in
    # step by the reassignment hook and by every sync (fasthold.worklist.sync.follow_cases).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The id of what the row is about, in the app that owns it (a deadline, a measurement, a meeting),
    # and a detail that tells two rows about the same thing apart (a consent given, then withdrawn).
    source_id = models.PositiveBigIntegerField()
    detail = models.CharField(max_length=20, blank=True, default="")
    occurred_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the cause went away by itself (the deadline was met, the case closed).
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id", "detail"], name="worklist_item_once"),
        ]
        indexes = [
            # The page: one coordinator's or one organisation's unhandled rows, oldest first, and per kind.
            models.Index(fields=["coordinator", "occurred_on", "id"], condition=UNHANDLED, name="worklist_mine_idx"),
            models.Index(fields=["organisation", "occurred_on", "id"], condition=UNHANDLED, name="worklist_team_idx"),
            models.Index(
                fields=["coordinator", "kind", "occurred_on"], condition=UNHANDLED, name="worklist_mine_kind_idx"
            ),
            models.Index(
                fields=["organisation", "kind", "occurred_on"], condition=UNHANDLED, name="worklist_team_kind_idx"
            ),
            models.Index(fields=["case", "kind"], condition=UNHANDLED, name="worklist_unhandled_idx"),
            # The handled rows, latest first: without these the page read every row to find a few.
            models.Index(
                fields=["coordinator", "-handled_at", "-id"],
                condition=Q(handled_at__isnull=False),
                name="worklist_mine_handled_idx",
            ),
            models.Index(
                fields=["organisation", "-handled_at", "-id"],
                condition=Q(handled_at__isnull=False),
                name="worklist_team_handled_idx",
            ),
        ]

    @property
    def is_unhandled(self) -> bool:
        return self.handled_at is None and self.resolved_at is None
