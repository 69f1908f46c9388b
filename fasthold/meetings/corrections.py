"""A meeting's minutes and its agreements may be marked as entered in error (fasthold.cases.corrections)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fasthold.cases import corrections


def _load_minutes(case, item):
    from fasthold.meetings.models import Meeting

    meeting = Meeting.objects.filter(case=case, public_id=item).first()  # item: a UUID (the route's converter)
    # Only minutes that were written can be entered in error.
    return meeting if meeting is not None and meeting.minutes_written_at else None


def _load_agreement(case, item):
    from fasthold.meetings.models import MeetingAgreement

    return MeetingAgreement.objects.select_related("meeting").filter(meeting__case=case, public_id=item).first()


def _refresh_hash(agreement) -> None:
    from fasthold.meetings.services import _refresh_hash as refresh

    refresh(agreement.meeting)


def register() -> None:
    corrections.register(
        corrections.Correctable(
            kind="minutes",
            label=_("minutes"),
            load=_load_minutes,
            back_url=lambda case, obj: reverse("meetings:detail", args=[obj.public_id]),
            prefix="minutes_",
        )
    )
    corrections.register(
        corrections.Correctable(
            kind="agreement",
            label=_("agreement"),
            load=_load_agreement,
            back_url=lambda case, obj: reverse("meetings:detail", args=[obj.meeting.public_id]),
            after=_refresh_hash,
        )
    )
