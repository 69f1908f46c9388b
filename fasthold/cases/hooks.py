"""Where apps built on a case hook into its workflows. The case calendar (deadlines) sits above cases, so
cases never imports it: deadlines registers here in its AppConfig.ready(), as Django's signal receivers do."""

from collections.abc import Callable
from typing import Any

_dates_changed: list[Callable[[Any], object]] = []
# The bulk form of each receiver (receiver(cases) for many cases in a fixed number of queries), if it has one.
_dates_changed_many: dict[Callable[[Any], object], Callable[[list], object]] = {}


def on_dates_changed(receiver: Callable[[Any], object], many: Callable[[list], object] | None = None) -> None:
    """receiver(case) runs inside the workflow's transaction whenever a case is opened, closed, reopened or
    its dates change; `many(cases)`, if given, does the same for many cases at once (a bulk import).
    Registering twice is harmless (ready() may run twice)."""
    if receiver not in _dates_changed:
        _dates_changed.append(receiver)
    if many is not None:
        _dates_changed_many[receiver] = many


def dates_changed(case) -> None:
    for receiver in _dates_changed:
        receiver(case)


def dates_changed_many(cases: list) -> None:
    """dates_changed for each of `cases`, in bulk where the receiver has a bulk form."""
    for receiver in _dates_changed:
        if many := _dates_changed_many.get(receiver):
            many(cases)
        else:
            for case in cases:
                receiver(case)


_coordinator_changed: list[Callable[[list[int], int | None, int], object]] = []


def on_coordinator_changed(receiver: Callable[[list[int], int | None, int], object]) -> None:
    """receiver(case_ids, from_user_id, to_user_id) runs inside the reassignment's transaction when cases
    are given from one coordinator to another (once for a bulk handover), e.g. to move the old coordinator's
    open notifications about them to the new one. Registering twice is harmless."""
    if receiver not in _coordinator_changed:
        _coordinator_changed.append(receiver)


def coordinator_changed(case_ids: list[int], from_user_id: int | None, to_user_id: int) -> None:
    for receiver in _coordinator_changed:
        receiver(list(case_ids), from_user_id, to_user_id)
