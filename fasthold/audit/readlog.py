"""One read log: every read of health data, professionals-only text or a consented shared item goes
through `log_read`, and nowhere else writes HEALTH_VIEWED or SHARED_VIEWED rows.

A view calls `log_read(request, case, fields=[...])` before it renders, once per thing it shows. Within
one request the calls are collected and `ReadLogMiddleware` writes one row per case and kind when the
view has produced its response, listing every field shown: a page with the health part, a meeting note
and a professionals-only timeline note is one read, not three. A redirect or an error page shows
nothing, so it writes nothing. Called with a user instead of a request (a service outside any request),
the row is written at once.

Field names only, never values: the row says *that* the timeline or the meeting note was read.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record, audit_records

_PENDING = "_fasthold_reads"


def _action(shared: bool) -> AuditAction:
    return AuditAction.SHARED_VIEWED if shared else AuditAction.HEALTH_VIEWED


def log_read(request_or_user, case, *, fields: Iterable[str], shared: bool = False) -> None:
    """Record that the acting user reads `fields` of `case` (health data or professionals-only text; with
    `shared`, items the employee shares with them by consent). Call only when the text is on the page."""
    fields = list(fields)
    if not fields:
        raise ValueError("log_read needs the names of the fields shown.")
    is_request = isinstance(request_or_user, HttpRequest)
    user = request_or_user.user if is_request else request_or_user
    pending = getattr(request_or_user, _PENDING, None) if is_request else None
    if pending is None:
        audit_record(actor=user, action=_action(shared), case=case, fields=set(fields))
        return
    key = (case.pk, shared)
    entry = pending.setdefault(key, {"actor": user, "case": case, "fields": set()})
    entry["fields"].update(fields)


def _flush(request, response) -> None:
    pending = getattr(request, _PENDING, None) or {}
    setattr(request, _PENDING, {})
    # A redirect or an error page shows nothing of the case; a form sent back with its errors (400) or
    # beside what someone else saved meanwhile (409) shows what it shows.
    if response.status_code >= 300 and response.status_code not in (400, 409):
        return
    # One insert for the request's reads (an API list of a hundred cases is a hundred rows, one statement).
    audit_records(
        {"actor": entry["actor"], "action": _action(shared), "case": entry["case"], "fields": entry["fields"]}
        for (_case_pk, shared), entry in pending.items()
    )


class ReadLogMiddleware:
    """Collects a request's reads and writes them as one row per case and kind (see `log_read`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, _PENDING, {})
        response = self.get_response(request)
        _flush(request, response)
        return response
