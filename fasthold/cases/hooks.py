"""Where apps built on a case hook into its workflows. The case calendar (deadlines) sits above cases, so
cases never imports it: deadlines registers here in its AppConfig.ready(), as Django's signal receivers do."""

from collections.abc import Callable
from typing import Any

_dates_changed: list[Callable[[Any], object]] = []


def on_dates_changed(receiver: Callable[[Any], object]) -> None:
    """receiver(case) runs inside the workflow's transaction whenever a case is opened, closed, reopened or
    its dates change. Registering twice is harmless (ready() may run twice)."""
    if receiver not in _dates_changed:
        _dates_changed.append(receiver)


def dates_changed(case) -> None:
    for receiver in _dates_changed:
        receiver(case)
