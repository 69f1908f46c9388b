"""A test app that adds a source to the case calendar the way coordination, meetings and plans do."""

import datetime as dt

from django.apps import AppConfig

from fasthold.deadlines import registry

KEY = "test_source_review"
# The cases the provider gives a date; the test fills it.
DUE: dict[int, dt.date] = {}
CALLS: list[list[int]] = []


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    CALLS.append(list(case_ids))
    return {case_id: [(KEY, DUE[case_id], "employer")] for case_id in case_ids if case_id in DUE}


class CalendarSourceConfig(AppConfig):
    name = "tests.deadlines.calendar_source_app"
    label = "calendar_source_app"

    def ready(self):
        registry.register_local_rule(
            KEY, "Gennemgang fra testkilden", "Review by the test source", legal_ref="Testkilden"
        )
        registry.register_source("calendar_source_app", calendar_dates)
