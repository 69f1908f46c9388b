from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fasthold.organisations.cvr import cvr_is_valid


def validate_cvr(value: str) -> None:
    if value and not cvr_is_valid(value):
        raise ValidationError(_("A CVR number is 8 digits with a valid check digit."), code="cvr")
