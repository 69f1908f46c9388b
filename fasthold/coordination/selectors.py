"""Reads of the coordination app: the contact agreement, the contact log and overdue contact."""

import datetime as dt


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("contact_due", next contact date, responsible) for the case calendar
    (deadlines.services; fasthold.deadlines.models.LOCAL_RULES). Responsible is one of
    "coordinator", "employer", "employee"."""
    return {}


# Interface for the portals (the lead's); the contacts piece implements these.
def contact_status(case, today=None):
    return None


def recent_contacts(case, *, employer_view: bool, limit: int = 5) -> list:
    return []
