from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases.models import Case
from fasthold.evaluation import outcomes


class FollowUpStatus(models.TextChoices):
    AT_WORK = "at_work", _("At work")
    NEW_ABSENCE = "new_absence", _("New sickness absence")
    UNKNOWN = "unknown", _("Could not be reached")


class CaseReturn(models.Model):
    """When the person returned to work: as the coordinator records it at or after closure (prefilled
    from the graded schedule's first week at normal hours), and as the register weeks show it."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="return_record")
    full_return_on = models.DateField(_("full return to work"), null=True, blank=True)
    partial_return_on = models.DateField(_("partial return to work"), null=True, blank=True)
    # Computed from the register weeks when a file is imported (fasthold/evaluation/outcomes.py): the
    # sustained return, a new sickness absence within a year of it, and the last week the file covers.
    register_return_on = models.DateField(null=True, blank=True)
    register_recurrence_on = models.DateField(null=True, blank=True)
    register_until = models.DateField(null=True, blank=True)
    # Kept from the follow-ups when one is recorded, so the analysis reads one row per person: the first
    # new absence reported, and the last day a follow-up says anything.
    first_absence_on = models.DateField(null=True, blank=True)
    last_follow_up_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)


class FollowUp(models.Model):
    """A check 3, 6 or 12 months after closure: is the person at work, or absent again (from when)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after closure"))
    status = models.CharField(_("status"), max_length=16, choices=FollowUpStatus.choices)
    absence_from = models.DateField(_("absent from"), null=True, blank=True)
    absence_to = models.DateField(_("absent until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["case", "months"], name="follow_up_unique")]


class BenefitWeek(models.Model):
    """One week of the person's benefit status from a register import (DREAM-like), per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="benefit_weeks")
    monday = models.DateField()
    status = models.CharField(max_length=16, choices=[(s, s) for s in outcomes.STATUSES])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "monday"], name="benefit_week_unique")]


class RegisterImport(models.Model):
    """A register file imported: who, when, how many rows and cases. The file itself is not kept."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    changed = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]
