from django import template
from django.db.models import Exists, OuterRef

from fasthold.meetings.models import Meeting, MeetingAttendee, MeetingConfirmation, MeetingStatus
from fasthold.meetings.selectors import next_meeting

register = template.Library()


@register.inclusion_tag("meetings/_panel.html", takes_context=True)
def meeting_panel(context, case, access):
    """The case page's meeting panel: the next meeting, and meetings whose agreements wait for this
    user's confirmation. Two queries. The next meeting is shown to non-staff only if they are invited."""
    user = context["request"].user
    upcoming = next_meeting(case)
    if upcoming is not None and not access.is_staff and not upcoming.attendees.filter(user=user).exists():
        upcoming = None
    confirmed = MeetingConfirmation.objects.filter(
        meeting=OuterRef("pk"), user=user, agreements_hash=OuterRef("agreements_hash"))
    waiting = list(
        Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
        .exclude(agreements_hash="")
        .filter(Exists(MeetingAttendee.objects.filter(meeting=OuterRef("pk"), user=user)))
        .exclude(Exists(confirmed))
        .order_by("starts_at")
    )
    return {"case": case, "access": access, "upcoming": upcoming, "waiting": waiting}
