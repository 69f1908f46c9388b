"""A sub-goal's measurements may be marked as entered in error (fasthold.cases.corrections)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fasthold.cases import corrections


def _load(case, item):  # item: an int (the route's converter)
    from fasthold.plans.models import Measurement

    return Measurement.objects.filter(sub_goal__version__plan__case=case, pk=item).first()


def register() -> None:
    corrections.register(
        corrections.Correctable(
            kind="measurement",
            label=_("measurement"),
            load=_load,
            back_url=lambda case, obj: reverse("plans:plan", args=[case.public_id]),
        )
    )
