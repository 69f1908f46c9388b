"""Reads of the coordination app: the contact agreement, the contact log and overdue contact."""

import datetime as dt


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("contact_due", next contact date, responsible) for the case calendar
    (deadlines.services; fasthold.deadlines.models.LOCAL_RULES). Responsible is one of
    "coordinator", "employer", "employee"."""
    return {}
