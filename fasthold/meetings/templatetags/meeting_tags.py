from django import template
from django.db.models import Exists, OuterRef, Q

from fasthold.meetings import selectors
from fasthold.meetings.models import Meeting, MeetingAttendee, MeetingConfirmation, MeetingStatus
from fasthold.meetings.selectors import _start_of_today

register = template.Library()


@register.inclusion_tag("meetings/_panel.html", takes_context=True)
def meeting_panel(context, case, access):
    """The case page's meeting panel: the next meeting (for anyone but staff only if they are
    invited), and the held meetings whose agreements wait for this user's confirmation. One query."""
    user = context["request"].user
    invited = Exists(MeetingAttendee.objects.filter(meeting=OuterRef("pk"), user=user))
    confirmed = Exists(
        MeetingConfirmation.objects.filter(
            meeting=OuterRef("pk"), user=user, agreements_hash=OuterRef("agreements_hash")
        )
    )
    rows = list(
        Meeting.objects.filter(case=case)
        .filter(
            Q(status=MeetingStatus.PLANNED, starts_at__gte=_start_of_today())
            | (Q(status=MeetingStatus.HELD) & ~Q(agreements_hash=""))
        )
        .annotate(invited=invited, confirmed=confirmed)
        .order_by("starts_at", "id")
    )
    upcoming = next((m for m in rows if m.is_planned and (access.is_staff or m.invited)), None)
    waiting = [m for m in rows if m.is_held and m.invited and not m.confirmed]
    return {"case": case, "access": access, "upcoming": upcoming, "waiting": waiting}


@register.inclusion_tag("meetings/_overview.html", takes_context=True)
def overview_meeting(context, case, access):
    """The case page's overview: the next meeting this reader may see. One query."""
    user = context["request"].user
    meeting = selectors.next_meeting_for(case, user, is_staff=access.is_staff)
    return {"case": case, "access": access, "meeting": meeting}
