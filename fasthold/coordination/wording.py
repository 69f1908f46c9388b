"""Sentences about contact agreements and contacts, in the reader's language.

Registered in CoordinationConfig.ready() to word the timeline's
CONTACT_AGREEMENT and CONTACT_LOGGED events (params hold labels and ids only)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import EventKind
from fasthold.coordination.models import Channel, ContactResponsible, StatementEvent

KINDS = (EventKind.CONTACT_AGREEMENT, EventKind.CONTACT_LOGGED, StatementEvent.POSSIBILITY_STATEMENT)


def every(days: int) -> str:
    return ngettext("every day", "every %(n)s days", days) % {"n": days}


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def with_role_label(role: str) -> str:
    if role == "coordinator":
        return _("the coordinator")
    if role == ParticipantRole.EMPLOYEE:
        return _("the employee")
    if role in ParticipantRole.values:
        return str(ParticipantRole(role).label).lower()
    return ""


def agreement_line(*, cadence_days, responsible, channel, start_weeks=None, start_cadence_days=None) -> str:
    """One line: "Every 14 days · Phone · Initiative: the employer (the manager)", and a start period."""
    first = every(cadence_days)
    line = "%s · %s · %s" % (
        first[:1].upper() + first[1:],
        _label(Channel, channel),
        _("Initiative: %(who)s") % {"who": _label(ContactResponsible, responsible).lower()},
    )
    if start_weeks and start_cadence_days:
        line += " · " + ngettext("The first week: %(every)s", "The first %(n)s weeks: %(every)s", start_weeks) % {
            "n": start_weeks,
            "every": every(start_cadence_days),
        }
    return line


def agreement_summary(agreement) -> str:
    return agreement_line(
        cadence_days=agreement.cadence_days,
        responsible=agreement.responsible,
        channel=agreement.channel,
        start_weeks=agreement.lighter_start_weeks,
        start_cadence_days=agreement.lighter_cadence_days,
    )


def statement_steps() -> dict[str, str]:
    """The steps of a fitness-for-work statement, as the timeline and the panels name them."""
    return {
        "requested": _("Fitness-for-work statement requested"),
        "part1": _("Fitness-for-work statement: part 1 filled in at a conversation"),
        "sent": _("Fitness-for-work statement sent to the doctor"),
        "received": _("Fitness-for-work statement received from the doctor"),
        "part2": _("Fitness-for-work statement: the doctor's part recorded"),
        "agreed": _("Fitness-for-work statement: what was agreed is recorded"),
    }


def statement_status(step: str) -> str:
    """Where a statement stands, for its card: "Requested", "Sent to the doctor", ..."""
    return {
        "requested": _("Requested; part 1 not filled in yet"),
        "part1": _("Part 1 filled in; not sent to the doctor yet"),
        "sent": _("With the doctor"),
        "received": _("Back from the doctor"),
        "agreed": _("Done: what was agreed is recorded"),
    }.get(step, "")


def _describe_statement(params: dict) -> str:
    step = params.get("step", "")
    if step in ("shared", "unshared"):
        recipient = _("the manager") if params.get("recipient") == "manager" else _("HR")
        if step == "shared":
            return _("The doctor's part of a fitness-for-work statement is shared with %(who)s") % {"who": recipient}
        return _("The doctor's part of a fitness-for-work statement is no longer shared with %(who)s") % {
            "who": recipient
        }
    return statement_steps().get(step, str(StatementEvent.POSSIBILITY_STATEMENT.label))


def describe_event(kind: str, params: dict) -> str:
    if kind == StatementEvent.POSSIBILITY_STATEMENT:
        return _describe_statement(params)
    if kind == EventKind.CONTACT_AGREEMENT:
        if not params.get("cadence_days"):
            return str(EventKind.CONTACT_AGREEMENT.label)
        return _("Contact agreement: %(terms)s") % {
            "terms": agreement_line(
                cadence_days=params["cadence_days"],
                responsible=params.get("responsible"),
                channel=params.get("channel"),
                start_weeks=params.get("start_weeks"),
                start_cadence_days=params.get("start_cadence_days"),
            )
        }
    date = params.get("date")
    day = date_format(dt.date.fromisoformat(date), "SHORT_DATE_FORMAT") if date else ""
    channel = _label(Channel, params.get("channel")).lower()
    who = with_role_label(params.get("with_role", ""))
    if who:
        return _("Contact with %(who)s (%(channel)s), %(date)s") % {"who": who, "channel": channel, "date": day}
    return _("Contact (%(channel)s), %(date)s") % {"channel": channel, "date": day}
