"""The requests and messages on the case page (professionals) and on the portals (the employee and the
employer side). Each shows only what its reader may read (fasthold.requests.selectors) and logs the
read of anything the employee wrote."""

from django import template
from django.template.loader import render_to_string

from fasthold.requests import selectors

register = template.Library()


def _rows(context, case, access, *, limit):
    request = context.get("request")
    user = request.user if request is not None else None
    requests = list(selectors.requests_for(case, user, access)[:limit])
    messages = list(selectors.messages_for(case, user, access)[:limit])
    for message in messages:
        message.show_question = selectors.show_question(message, access)
        message.show_answer = selectors.show_answer(message, access)
    return request, requests, messages


@register.simple_tag(takes_context=True)
def requests_panel(context, case, access):
    """For staff and health professionals: the open requests and unanswered messages first, then the last
    few closed ones. Nothing for anyone else (they have their portal)."""
    if not selectors.is_professional(access):
        return ""
    request, requests, messages = _rows(context, case, access, limit=20)
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
            "closed_requests": [r for r in requests if not r.is_open][:3],
            "answered_messages": [m for m in messages if m.is_answered][:3],
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def portal_requests(context, case, access, heading_class="h3"):
    """For the employee and the employer side: ask for a meeting, send a message, and what came of it."""
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
