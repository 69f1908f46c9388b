"""iCalendar (RFC 5545) for the deadline feed. Only initials go into events: a synced phone
calendar must not tell who is on sick leave."""

import datetime as dt

from django.utils import timezone

from fasthold.icalendar import escape as _escape
from fasthold.icalendar import fold as _fold


def initials(name: str) -> str:
    return "".join(f"{part[0]}." for part in name.split() if part)


def calendar(deadlines, *, base_url: str, language: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fasthold//Deadlines//DA",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Fasthold",
    ]
    for d in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{d.pk}@fasthold",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.due + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{d.title(language)} ({initials(d.case.person.name)})')}",
            f"DESCRIPTION:{_escape(d.rule.legal_ref)}",
            f"URL:{base_url.rstrip('/')}/calendar/case/{d.case.public_id}/",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
