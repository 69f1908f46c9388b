"""What the employee and the employer side ask of the coordinator from their portals: a meeting, or a
short message the coordinator answers.

Who reads what (fasthold.requests.selectors): staff of the case-owning organisation and health
professionals taking part read everything. The employee reads her own, and the coordinator's answer to
a manager's message only when the coordinator shares that answer with her (never the manager's text).
The employer side reads what its author wrote, and the employee's own only when she chose to share that
one; the coordinator's answer to it only when the coordinator also shares that answer with the workplace
(her consent covers her message, not the answer). A manager's text goes to professionals only: the form
tells the manager not to write health information, and nobody but the professionals and its author ever
reads it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    EMPLOYEE = "employee", _("The employee")
    EMPLOYER = "employer", _("The workplace")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the coordinator")
    PLANNED = "planned", _("Meeting planned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MeetingRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="meeting_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    purpose = models.TextField(max_length=1000)
    interpreter = models.BooleanField(default=False)
    health_professional = models.BooleanField(default=False)
    video = models.BooleanField(default=False)
    # Only the employee's: she may let the workplace see this request.
    share_with_employer = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="requests_meeting_open_idx")]

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    def wishes(self) -> list[str]:
        return [
            label
            for wanted, label in (
                (self.interpreter, _("An interpreter")),
                (self.health_professional, _("A health professional present")),
                (self.video, _("Taking part by video")),
            )
            if wanted
        ]


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(max_length=2000)
    # Only the employee's: she may let the workplace read this message (not the answer: see below).
    share_with_employer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(max_length=2000, blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # Only for the workplace's message: the coordinator may show the answer (never the question) to the employee.
    answer_shared_with_employee = models.BooleanField(default=False)
    # Only for the employee's message she shares with the workplace: the coordinator may let the workplace
    # read the answer too. Her consent covers her message, not what the coordinator writes back.
    answer_shared_with_employer = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "answered_at"], name="requests_message_case_idx")]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
