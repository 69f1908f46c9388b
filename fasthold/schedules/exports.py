"""The schedule as iCalendar (one all-day event per working day) and as a one-page PDF for the employee
and the manager. Neither holds health information: hours, dials and tasks only."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fasthold.icalendar import escape as _escape
from fasthold.icalendar import fold as _fold
from fasthold.schedules import layout, selectors
from fasthold.schedules.models import WEEKDAY_SHORT, ReturnSchedule


def _hours(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if translation.get_language() == "da" else text


def ical(schedule: ReturnSchedule, *, language: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fasthold//Schedule//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    with translation.override(language):
        lines.append(f"X-WR-CALNAME:{_escape(_('Graded return schedule'))}")
        for day in selectors.built(schedule).days:
            if day.kind != "work":
                continue
            summary = _("Work %(hours)s h (graded return)") % {"hours": _hours(day.hours)}
            lines += [
                "BEGIN:VEVENT",
                f"UID:{schedule.public_id}-{day.date:%Y%m%d}@fasthold",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day.date + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_escape(summary)}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def pdf_html(case, schedule: ReturnSchedule, *, lang: str) -> str:
    view = selectors.schedule_view(schedule, actuals=selectors.actual_weeks(case))
    with translation.override(lang):
        return render_to_string(
            "schedules/pdf.html",
            {
                "case": case,
                "schedule": schedule,
                "view": view,
                "rows": layout.calendar_rows(view.generated),
                "tasks": selectors.tasks_by_colour(case),
                "generated": timezone.localdate(),
                "lang": lang,
                "weekday_short": [WEEKDAY_SHORT[d] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
            },
        )


def write_pdf(html: str) -> bytes:
    import weasyprint  # heavy; only the PDF needs it

    return weasyprint.HTML(string=html).write_pdf()


def render_pages(html: str):
    """The laid-out pages, for tests (the PDF must fit on one page)."""
    import weasyprint  # heavy; only the PDF needs it

    return weasyprint.HTML(string=html).render().pages
