"""Where apps built on a plan version hook in. A graded return schedule belongs to a plan version, so
schedules sits above plans and plans never imports it: schedules registers here in its AppConfig.ready(),
as Django's signal receivers do."""

from collections.abc import Callable
from typing import Any

_version_copied: list[Callable[[Any, Any], object]] = []
_pdf_sections: dict[str, Callable[[Any], object]] = {}


def on_version_copied(receiver: Callable[[Any, Any], object]) -> None:
    """receiver(source_version, new_version) runs inside plan_revise's transaction, so what it copies
    travels with the new version or not at all. Registering twice is harmless (ready() may run twice)."""
    if receiver not in _version_copied:
        _version_copied.append(receiver)


def version_copied(source, new) -> None:
    for receiver in _version_copied:
        receiver(source, new)


def register_pdf_section(name: str, provider: Callable[[Any], object]) -> None:
    """provider(case) gives the template variable `name` of the retention plan PDF (None: nothing to show)."""
    _pdf_sections[name] = provider


def pdf_sections(case) -> dict[str, object]:
    return {name: provider(case) for name, provider in _pdf_sections.items()}
