"""The coordinator's notifications of a new request or message. The words are made at send time and
say who asked and for whom, never what they wrote (it may hold health information): the coordinator
reads it on the case page, where the read is logged."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fasthold.notifications.kinds import Batched
from fasthold.notifications.kinds import Message as Words
from fasthold.requests.models import MeetingRequest, Message, RequestStatus, Side

MEETING_REQUEST = "requests.meeting_request"
MESSAGE = "requests.message"


def _who(side: str, name: str) -> str:
    return name if side == Side.EMPLOYEE else _("the workplace of %(name)s") % {"name": name}


def _loader(model):
    def load(notifications) -> dict:
        """{notification.pk: its request or message}; one query for any number of rows."""
        items = model.objects.select_related("case__person").in_bulk(
            {n.object_id for n in notifications if n.object_id}
        )
        return {n.pk: items[n.object_id] for n in notifications if n.object_id in items}

    return load


def _word_meeting_request(notification, item) -> Words | None:
    if item is None or item.status != RequestStatus.OPEN:
        return None
    name = item.case.person.name
    values = {"who": _who(item.side, name), "name": name}
    return Words(
        subject=_("A request for a meeting in the case of %(name)s") % values,
        body=_("A meeting was asked for by %(who)s. Read the request and plan the meeting in Fasthold.") % values,
        path=reverse("cases:detail", args=[item.case.public_id]) + "#requests",
    )


def _word_message(notification, item) -> Words | None:
    if item is None or item.is_answered:
        return None
    name = item.case.person.name
    values = {"who": _who(item.side, name), "name": name}
    return Words(
        subject=_("A message in the case of %(name)s") % values,
        body=_("A message was sent by %(who)s. Read it and answer it in Fasthold.") % values,
        path=reverse("cases:detail", args=[item.case.public_id]) + "#requests",
    )


render_meeting_request = Batched(_loader(MeetingRequest), _word_meeting_request)
render_message = Batched(_loader(Message), _word_message)
