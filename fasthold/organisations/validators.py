from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fasthold.organisations.cvr import cvr_is_valid


def validate_cvr(value: str) -> None:
    if value and not cvr_is_valid(value):
        raise ValidationError(_("A CVR number is 8 digits with a valid check digit."), code="cvr")


def validate_postcode(value: str) -> None:
    # Danish postcodes are four digits (0800–9990; Greenland and the Faroes use 3900 and 100–999 ranges
    # in their own systems, which Fasthold's employers are not in).
    if value and not (len(value) == 4 and value.isdigit() and value[0] != "0"):
        raise ValidationError(_("A postcode is 4 digits."), code="postcode")
