"""The requests and messages on the case page (professionals) and on the portals (the employee and the
employer side). Each shows only what its reader may read (fasthold.requests.selectors) and logs the
read of anything the employee wrote."""

from django import template
from django.db.models import Q
from django.template.loader import render_to_string

from fasthold.requests import selectors
from fasthold.requests.models import RequestStatus

register = template.Library()

# The case page's panel: every open request and unanswered message, and this many of the last closed.
CLOSED_SHOWN = 3


def _open_first(rows, open_q: Q, *, limit: int) -> list:
    """Every open row (they are few: each is a task for the coordinator), then the newest closed ones up
    to `limit`; newest first, in two queries however many there are. Taking the newest `limit` of all
    before splitting would drop an older open one."""
    both = [*rows.filter(open_q), *rows.exclude(open_q)[:limit]]
    return sorted(both, key=lambda row: (row.created_at, row.pk), reverse=True)


def _rows(context, case, access, *, limit):
    request = context.get("request")
    user = request.user if request is not None else None
    requests = _open_first(selectors.requests_for(case, user, access), Q(status=RequestStatus.OPEN), limit=limit)
    messages = _open_first(selectors.messages_for(case, user, access), Q(answered_at__isnull=True), limit=limit)
    for message in messages:
        message.show_question = selectors.show_question(message, access)
        message.show_answer = selectors.show_answer(message, access)
        # What this reader may not read is not handed to the template at all.
        if not message.show_question:
            message.body = ""
        if not message.show_answer:
            message.answer = ""
    return request, requests, messages


@register.simple_tag(takes_context=True)
def requests_panel(context, case, access):
    """For staff and health professionals: the open requests and unanswered messages first, then the last
    few closed ones. Nothing for anyone else (they have their portal)."""
    if not selectors.is_professional(access):
        return ""
    request, requests, messages = _rows(context, case, access, limit=CLOSED_SHOWN)
    open_requests = [r for r in requests if r.is_open]
    open_messages = [m for m in messages if not m.is_answered]
    # Only the open ones show what was written; the closed ones are a line each without it.
    selectors.log_reads(request, case, access, open_requests, open_messages)
    return render_to_string(
        "requests/_panel.html",
        {
            "case": case,
            "access": access,
            "open_requests": open_requests,
            "open_messages": open_messages,
            "closed_requests": [r for r in requests if not r.is_open],
            "answered_messages": [m for m in messages if m.is_answered],
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def portal_requests(context, case, access, heading_class="h3"):
    """For the employee and the employer side: ask for a meeting, send a message, and what came of it
    (every open one, and the last five closed)."""
    request, requests, messages = _rows(context, case, access, limit=5)
    selectors.log_reads(request, case, access, requests, [m for m in messages if m.show_question])
    return render_to_string(
        "requests/_portal.html",
        {
            "case": case,
            "access": access,
            "requests": requests,
            "messages_sent": messages,
            "heading_class": heading_class,
            "for_employee": access.is_employee,
        },
        request=request,
    )
