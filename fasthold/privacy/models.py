from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fasthold.privacy.retention import DEFAULT_RETENTION_MONTHS, MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS

# Stored data, not interface text: the organisation's own statement, in Danish, which the
# administrator edits. It says only what the sources support; the period itself comes from the
# organisation's records management rules, so the text sends the reader there.
DEFAULT_LEGAL_BASIS = (
    "Sagerne indeholder helbredsoplysninger og opbevares kun, så længe det er nødvendigt "
    "(databeskyttelsesforordningens artikel 5, stk. 1, litra e, om opbevaringsbegrænsning). "
    "Helbredsoplysningerne behandles for at følge op på sygefraværet og vurdere arbejdsevnen "
    "(artikel 9, stk. 2, litra b og h). "
    "En afsluttet sag slettes 5 år efter afslutningen, efter organisationens egne regler for "
    "journalisering og kassation. Ret perioden og denne tekst, hvis jeres regler siger noget andet."
)


class RetentionPolicy(models.Model):
    """How long a case-owning organisation keeps a closed case, and why. None set: the default."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    months = models.PositiveSmallIntegerField(
        _("storage period in months after closure"),
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(MIN_RETENTION_MONTHS), MaxValueValidator(MAX_RETENTION_MONTHS)],
    )
    legal_basis = models.TextField(_("legal basis"), max_length=3000, default=DEFAULT_LEGAL_BASIS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months__gte=MIN_RETENTION_MONTHS, months__lte=MAX_RETENTION_MONTHS),
                name="retention_months_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.months}"
