from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.models import Language
from fasthold.cases.choices import ProfessionCategory


class AbsencePolicy(models.Model):
    """An organisation's own who-does-what agreement and sickness-absence policy, with a stress policy.

    Drafted from fasthold.guidance.policy_template in the first editor's language, then the
    organisation's own text. Edits carry the version they started from (optimistic locking).
    """

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="absence_policy"
    )
    who_does_what = models.TextField(_("who does what"), max_length=20_000)
    policy = models.TextField(_("sickness-absence policy"), max_length=20_000)
    stress_policy = models.TextField(_("stress policy"), max_length=20_000, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.organisation)


class ProfessionNote(models.Model):
    """Knowledge base: what to know about stress and return to work in one profession, in one language."""

    profession_category = models.CharField(_("profession"), max_length=32, choices=ProfessionCategory.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    loads = models.TextField(_("typical loads"), max_length=10_000)
    watch = models.TextField(_("what to watch"), max_length=10_000)
    green_tasks = models.TextField(_("green tasks: manageable from the start"), max_length=10_000)
    yellow_tasks = models.TextField(_("yellow tasks: manageable soon"), max_length=10_000)
    red_tasks = models.TextField(_("red tasks: later"), max_length=10_000)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["profession_category"]
        constraints = [
            models.UniqueConstraint(fields=["profession_category", "language"], name="profession_note_unique")
        ]

    def __str__(self) -> str:
        return self.title
