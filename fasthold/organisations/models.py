import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fasthold.organisations.validators import validate_cvr, validate_postcode


class OrganisationKind(models.TextChoices):
    JOBCENTRE = "jobcentre", _("Jobcentre (municipality)")
    OCCUPATIONAL_CLINIC = "occupational_clinic", _("Occupational medicine clinic")
    EMPLOYER = "employer", _("Employer")
    # A GP's, psychologist's or therapist's practice: its people may be health professionals on cases.
    HEALTH_PRACTICE = "health_practice", _("Health practice")


CASE_OWNER_KINDS = (OrganisationKind.JOBCENTRE, OrganisationKind.OCCUPATIONAL_CLINIC)


class SizeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


class Organisation(models.Model):
    """A case-owning organisation (jobcentre, clinic) or an employer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, validators=[validate_cvr])
    size_band = models.CharField(_("size"), max_length=8, choices=SizeBand.choices, blank=True)
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True, validators=[validate_postcode])
    city = models.CharField(_("town"), max_length=100, blank=True)
    # Optimistic locking for the employer page: an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cvr"], condition=~models.Q(cvr=""), name="organisation_cvr_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_employer(self) -> bool:
        return self.kind == OrganisationKind.EMPLOYER


class OrgRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Organisation administrator")
    VIEWER = "viewer", _("Read-only")
    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR")
    # Not a staff role: it sees no organisation's cases by itself. It makes a user eligible to take
    # part in a case as a health professional (fasthold/cases/eligibility.py), with the employee's agreement.
    HEALTH_PROFESSIONAL = "health_professional", _("Health professional")
    # Members of an employer elected by colleagues; eligible as TR/AMR on that employer's cases.
    SHOP_STEWARD = "shop_steward", _("Shop steward (TR)")
    SAFETY_REP = "safety_rep", _("Safety representative (AMR)")


# Roles in a case-owning organisation that see the organisation's cases.
STAFF_ROLES = (OrgRole.COORDINATOR, OrgRole.ADMIN, OrgRole.VIEWER)
# Staff roles that may change cases.
STAFF_WRITE_ROLES = (OrgRole.COORDINATOR, OrgRole.ADMIN)
EMPLOYER_ROLES = (OrgRole.MANAGER, OrgRole.HR)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=OrgRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"
