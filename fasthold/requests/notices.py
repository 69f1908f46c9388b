"""The coordinator's notifications of a new request or message. The words are made at send time and
say who asked and for whom, never what they wrote (it may hold health information): the coordinator
reads it on the case page, where the read is logged."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.notifications import outbox
from fasthold.notifications.kinds import Batched
from fasthold.notifications.kinds import Message as Words
from fasthold.notifications.models import OPEN_STATUSES, CloseReason, Notification, Status
from fasthold.requests.models import MeetingRequest, Message, RequestStatus, Side

MEETING_REQUEST = "requests.meeting_request"
MESSAGE = "requests.message"
KINDS = (MEETING_REQUEST, MESSAGE)


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


def hand_over(case_ids: list[int], from_user_id: int | None, to_user_id: int) -> None:
    """Cases given to another coordinator (cases.hooks.coordinator_changed): the old coordinator's open
    notifications of requests and messages in them are closed, and the new coordinator is notified of the
    same requests and messages instead (once: one they already have open is not raised again)."""
    if from_user_id is None or not case_ids:
        return
    rows = Notification.objects.filter(
        user_id=from_user_id, case_id__in=case_ids, kind__in=KINDS, status__in=OPEN_STATUSES
    )
    moved = list(rows.values_list("pk", "kind", "case_id", "object_id"))
    if not moved:
        return
    Notification.objects.filter(pk__in=[pk for pk, *_rest in moved]).update(
        status=Status.CLOSED, closed_at=timezone.now(), close_reason=CloseReason.NO_ACCESS
    )
    have = set(
        Notification.objects.filter(
            user_id=to_user_id, case_id__in=case_ids, kind__in=KINDS, status__in=OPEN_STATUSES
        ).values_list("kind", "object_id")
    )
    for _pk, kind, case_id, object_id in moved:
        if (kind, object_id) not in have:
            have.add((kind, object_id))
            outbox.notify(to_user_id, kind, case=case_id, object_id=object_id)
