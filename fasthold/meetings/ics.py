"""iCalendar (RFC 5545 / iTIP RFC 5546) invitations for meetings. Pure: no Django.

The summary is neutral on purpose: a calendar on a shared or synced phone must not say that someone
is on sick leave, let alone why. One invitation per recipient, naming only that recipient as attendee,
so nobody's address is passed on to the others.
"""

import datetime as dt
from dataclasses import dataclass

from fasthold.icalendar import escape, fold, unescape


def utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Invitation:
    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    organizer: Person | None = None
    attendee: Person | None = None
    cancelled: bool = False


def _cal_address(prefix: str, person: Person, extra: str = "") -> str:
    name = person.name.replace('"', "'")
    return f'{prefix};CN="{name}"{extra}:mailto:{person.email}'


def render(invitation: Invitation, *, now: dt.datetime) -> str:
    """The .ics text: METHOD:REQUEST for a new or changed meeting, METHOD:CANCEL for a cancelled one."""
    method = "CANCEL" if invitation.cancelled else "REQUEST"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fasthold//Meetings//DA",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{invitation.uid}",
        f"SEQUENCE:{invitation.sequence}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(invitation.starts_at)}",
        f"DTEND:{utc_stamp(invitation.ends_at)}",
        f"SUMMARY:{escape(invitation.summary)}",
        f"STATUS:{'CANCELLED' if invitation.cancelled else 'CONFIRMED'}",
    ]
    if invitation.location:
        lines.append(f"LOCATION:{escape(invitation.location)}")
    if invitation.description:
        lines.append(f"DESCRIPTION:{escape(invitation.description)}")
    if invitation.url:
        lines.append(f"URL:{invitation.url}")
    if invitation.organizer:
        lines.append(_cal_address("ORGANIZER", invitation.organizer))
    if invitation.attendee:
        lines.append(_cal_address("ATTENDEE", invitation.attendee, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION"))
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"


def parse(text: str) -> list[dict[str, str]]:
    """Read back an .ics text: one dict per component (VCALENDAR first, then each VEVENT), property
    names without parameters mapped to unescaped values. For tests and for checking what was sent."""
    unfolded: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.startswith((" ", "\t")) and unfolded:
            unfolded[-1] += raw[1:]
        elif raw:
            unfolded.append(raw)
    components: list[dict[str, str]] = []
    stack: list[dict[str, str]] = []
    for line in unfolded:
        name_part, _, value = line.partition(":")
        name = name_part.split(";", 1)[0].upper()
        if name == "BEGIN":
            component = {"_component": value}
            components.append(component)
            stack.append(component)
        elif name == "END":
            stack.pop()
        elif stack:
            if name in ("ORGANIZER", "ATTENDEE"):
                params = dict(p.split("=", 1) for p in name_part.split(";")[1:] if "=" in p)
                stack[-1][name] = value
                stack[-1][f"{name}_CN"] = params.get("CN", "").strip('"')
            else:
                stack[-1][name] = unescape(value)
    return components


def parse_utc(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
