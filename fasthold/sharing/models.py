"""Consent to share, per case, category and recipient; and the colleague information.

Consents are never deleted or edited: a withdrawal stamps the row, and a new wording is a new row.
What an employer-side user may see is decided in one place, fasthold.sharing.policy.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fasthold.cases.models import Case
from fasthold.kernel import AppendOnlyModel, AppendOnlyQuerySet


class Category(models.TextChoices):
    ILLNESS = "illness", _("What my illness is about, in general terms")
    TREATMENT = "treatment", _("My treatment")
    QUESTIONNAIRES = "questionnaires", _("My questionnaire results")
    MESSAGE = "message", _("A text I wrote for my manager")


class Recipient(models.TextChoices):
    MANAGER = "manager", _("My manager")
    HR = "hr", _("HR")
    COLLEAGUES = "colleagues", _("My colleagues")


# The categories as the employer-side reader sees them (the choices speak in the employee's voice).
EMPLOYER_LABELS = {
    Category.ILLNESS: _("What the illness is about, in the employee's own words"),
    Category.TREATMENT: _("Treatment, in the employee's own words"),
    Category.QUESTIONNAIRES: _("Questionnaire results"),
    Category.MESSAGE: _("A message for you"),
}
# Recipients inside a sentence ("From now on ... can see it").
RECIPIENT_IN_SENTENCE = {
    Recipient.MANAGER: _("your manager"),
    Recipient.HR: _("HR"),
    Recipient.COLLEAGUES: _("your colleagues"),
}

# Which recipients each category can go to. Colleagues have no login: what they may be told
# reaches them through the colleague information, which the employee approves word for word.
ALLOWED = {
    Category.ILLNESS: (Recipient.MANAGER, Recipient.HR, Recipient.COLLEAGUES),
    Category.TREATMENT: (Recipient.MANAGER, Recipient.HR, Recipient.COLLEAGUES),
    Category.QUESTIONNAIRES: (Recipient.MANAGER, Recipient.HR),
    Category.MESSAGE: (Recipient.MANAGER, Recipient.HR),
}
TEXT_CATEGORIES = (Category.ILLNESS, Category.TREATMENT, Category.MESSAGE)

# Participant role on the case -> the recipient it reads as.
RECIPIENT_OF_ROLE = {"manager": Recipient.MANAGER, "hr": Recipient.HR}


class Channel(models.TextChoices):
    """How the employee gave (or withdrew) consent. Anything but SELF was recorded by a coordinator."""

    SELF = "self", _("By the employee in Fasthold")
    ORAL = "oral", _("Orally, recorded by the coordinator")
    PAPER = "paper", _("On paper, recorded by the coordinator")


class ConsentQuerySet(AppendOnlyQuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(AppendOnlyModel):
    """The employee's consent to let one recipient know one category. Append-only, except withdrawal."""

    # Withdrawal stamps these once (sharing.services); what was consented to is never rewritten.
    amendable_fields = ("withdrawn_at", "withdrawn_by", "withdrawal_channel")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    category = models.CharField(_("what"), max_length=16, choices=Category.choices)
    recipient = models.CharField(_("who may know"), max_length=16, choices=Recipient.choices)
    # The employee's own wording (text categories); never copied from the health record.
    text = models.TextField(_("in your own words"), blank=True)
    # Questionnaire results: the instrument ids shared; empty means every questionnaire.
    instruments = models.JSONField(default=list, blank=True)
    given_at = models.DateTimeField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SELF)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            # At most one consent in force per case, category and recipient: giving twice cannot duplicate.
            models.UniqueConstraint(
                fields=["case", "category", "recipient"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active",
            ),
        ]
        # Every employer page reads a case's consents in force: one case, active rows.
        indexes = [models.Index(fields=["case", "recipient", "withdrawn_at"], name="consent_case_active_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.get_recipient_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def on_behalf(self) -> bool:
        return self.channel != Channel.SELF


class ColleagueMessage(models.Model):
    """What the manager may tell colleagues, in five parts, approved word for word by the employee.

    The approval pins the exact text (`approved_text`); any later edit leaves it out of force until the
    employee approves again. It can be marked shared only while an approval of the current text is in force.
    """

    PARTS = ("what_happened", "what_is_done", "tasks", "how_to_relate", "time_perspective")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="colleague_message")
    what_happened = models.TextField(_("What has happened"), blank=True)
    what_is_done = models.TextField(_("What is being done"), blank=True)
    tasks = models.TextField(_("What it means for your tasks"), blank=True)
    how_to_relate = models.TextField(_("How you can relate to it"), blank=True)
    time_perspective = models.TextField(_("How long it is expected to last"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_text = models.JSONField(null=True, blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    approval_withdrawn_at = models.DateTimeField(null=True, blank=True)
    shared_on = models.DateField(_("shared with colleagues on"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def parts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.PARTS}

    def labelled_parts(self) -> list[tuple[str, str, str]]:
        return [(name, self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.PARTS]

    @property
    def approval_in_force(self) -> bool:
        return (
            self.approved_at is not None
            and self.approval_withdrawn_at is None
            and self.approved_version == self.version
            and self.approved_text == self.parts()
        )

    @property
    def approval_withdrawn(self) -> bool:
        return self.approved_at is not None and self.approval_withdrawn_at is not None

    @property
    def changed_since_approval(self) -> bool:
        return self.approved_at is not None and self.approval_withdrawn_at is None and not self.approval_in_force

    @property
    def can_be_shared(self) -> bool:
        return self.approval_in_force
