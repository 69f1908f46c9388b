"""Reads of the meetings app."""

import datetime as dt


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("next_meeting", date of the next planned meeting, "coordinator") for the case
    calendar (deadlines.services; fasthold.deadlines.models.LOCAL_RULES)."""
    return {}


# Interface for the portals (the lead's); the meetings piece implements these.
def next_meeting(case):
    return None


def meetings_for(case, user) -> list:
    return []


def awaiting_confirmation(user) -> list:
    return []


def open_tasks_for(user, today=None) -> list:
    return []
