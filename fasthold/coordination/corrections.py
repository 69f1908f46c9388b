"""The contact log's entries may be marked as entered in error (fasthold.cases.corrections)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fasthold.cases import corrections


def _load(case, item):  # item: a UUID (the route's converter)
    from fasthold.coordination.models import ContactEntry

    return ContactEntry.objects.filter(case=case, public_id=item).first()


def register() -> None:
    corrections.register(
        corrections.Correctable(
            kind="contact",
            label=_("contact"),
            load=_load,
            back_url=lambda case, obj: reverse("coordination:contacts", args=[case.public_id]),
        )
    )
