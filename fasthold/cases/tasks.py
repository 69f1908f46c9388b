"""Background work of cases on Django's Tasks API (the task worker runs it)."""

import logging

from django.tasks import task

log = logging.getLogger(__name__)
BATCH = 2000


@task
def compute_calendars(case_ids: list[int]) -> int:
    """The case calendars of a large import's cases (fasthold.cases.importing), after its commit."""
    from fasthold.cases.importing import compute_calendars as compute

    compute(case_ids)
    return len(case_ids)


def compute_calendars_later(case_ids: list[int]) -> None:
    """One task per batch of cases. If enqueueing fails, `fasthold recompute_calendars` computes them."""
    for start in range(0, len(case_ids), BATCH):
        try:
            compute_calendars.enqueue(case_ids[start : start + BATCH])
        except Exception:  # noqa: BLE001
            log.exception("could not enqueue the calendars of imported cases; run fasthold recompute_calendars")
            return
