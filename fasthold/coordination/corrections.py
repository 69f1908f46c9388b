"""The contact log's entries may be marked as entered in error (fasthold.cases.corrections)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fasthold.cases import corrections


def _load(case, item):
    from fasthold.coordination.models import ContactEntry

    try:
        return ContactEntry.objects.filter(case=case, public_id=item).first()
    except Exception:  # noqa: BLE001 - not a UUID
        return None


def register() -> None:
    corrections.register(
        corrections.Correctable(
            kind="contact",
            label=_("contact"),
            load=_load,
            back_url=lambda case, obj: reverse("coordination:contacts", args=[case.public_id]),
        )
    )
