from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


class User(AbstractUser):
    """A person who logs in: coordinator, manager, employee or health professional.

    What a user may see follows from organisation memberships and case participation
    (fasthold.cases.access), never from flags on the user.
    """

    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
