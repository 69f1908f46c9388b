"""The coordinator's notifications of a new request or message. The words are made at send time and
say who asked and for whom, never what they wrote (it may hold health information): the coordinator
reads it on the case page, where the read is logged."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fasthold.notifications.kinds import Message as Words
from fasthold.requests.models import MeetingRequest, Message, RequestStatus, Side

MEETING_REQUEST = "requests.meeting_request"
MESSAGE = "requests.message"


def _who(side: str, name: str) -> str:
    return name if side == Side.EMPLOYEE else _("the workplace of %(name)s") % {"name": name}


def render_meeting_request(notification) -> Words | None:
    item = MeetingRequest.objects.select_related("case__person").filter(pk=notification.object_id).first()
    if item is None or item.status != RequestStatus.OPEN:
        return None
    name = item.case.person.name
    values = {"who": _who(item.side, name), "name": name}
    return Words(
        subject=_("A request for a meeting in the case of %(name)s") % values,
        body=_("A meeting was asked for by %(who)s. Read the request and plan the meeting in Fasthold.") % values,
        path=reverse("cases:detail", args=[item.case.public_id]) + "#requests",
    )


def render_message(notification) -> Words | None:
    item = Message.objects.select_related("case__person").filter(pk=notification.object_id).first()
    if item is None or item.is_answered:
        return None
    name = item.case.person.name
    values = {"who": _who(item.side, name), "name": name}
    return Words(
        subject=_("A message in the case of %(name)s") % values,
        body=_("A message was sent by %(who)s. Read it and answer it in Fasthold.") % values,
        path=reverse("cases:detail", args=[item.case.public_id]) + "#requests",
    )
