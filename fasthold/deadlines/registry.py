"""The case calendar's sources: the apps whose own dates are deadlines register here.

The calendar collects from apps that sit above it (plans, coordination, meetings), so it must not import
them. Each registers, in its AppConfig.ready(), a provider of dates and the local rules that name and
explain those dates; the calendar asks the registry. Django's admin site registry is the model.

A provider takes a list of case ids and returns, per case id, a list of (key, due date, responsible),
where key is a registered local rule and responsible a Responsible value. It must cost a fixed number
of queries however many cases it is given: the calendar refresh is bulk.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady

Provider = Callable[[list[int]], Mapping[int, list[tuple[str, dt.date, str]]]]


@dataclass(frozen=True)
class LocalRule:
    """A deadline that comes from the case itself (its plan, its contact agreement, its meetings), not from
    a rule pack.

    Its legal_ref is the basis column of the calendar, in Danish like the law's references (no English half).
    An employer_hidden rule is left out of everything the employer's people see.
    """

    key: str
    title_da: str
    title_en: str
    legal_ref: str = ""
    source: str = ""
    unconfirmed: bool = False
    employer_hidden: bool = False
    # A check that falls after the case is closed (the follow-ups at 3, 6 and 12 months): it stays on
    # the coordinator's dashboard although the case is closed.
    after_closure: bool = False


_SOURCES: dict[str, Provider] = {}
_LOCAL_RULES: dict[str, LocalRule] = {}

# Read-only views for the calendar; they follow later registrations.
LOCAL_RULES: Mapping[str, LocalRule] = MappingProxyType(_LOCAL_RULES)


def register_source(name: str, provider: Provider) -> None:
    """Add a provider of calendar dates. Registering the same provider again is harmless (ready() may run
    twice, e.g. when a test changes INSTALLED_APPS); another provider under a taken name is a mistake."""
    existing = _SOURCES.get(name)
    if existing is not None and existing is not provider:
        raise ValueError(f"calendar source {name!r} is already registered")
    _SOURCES[name] = provider


def unregister_source(name: str) -> None:
    """For tests that register a source of their own."""
    _SOURCES.pop(name, None)


def register_local_rule(
    key: str,
    title_da: str,
    title_en: str,
    *,
    legal_ref: str = "",
    source: str = "",
    unconfirmed: bool = False,
    employer_hidden: bool = False,
    after_closure: bool = False,
) -> LocalRule:
    """Name and explain a key that a source returns. The same rule again is harmless; a different rule
    under a taken key is a mistake (two apps would be writing to one deadline)."""
    rule = LocalRule(
        key,
        title_da,
        title_en,
        legal_ref=legal_ref,
        source=source,
        unconfirmed=unconfirmed,
        employer_hidden=employer_hidden,
        after_closure=after_closure,
    )
    existing = _LOCAL_RULES.get(key)
    if existing is not None and existing != rule:
        raise ValueError(f"local calendar rule {key!r} is already registered")
    _LOCAL_RULES[key] = rule
    return rule


def unregister_local_rule(key: str) -> None:
    """For tests that register a rule of their own."""
    _LOCAL_RULES.pop(key, None)


def sources() -> list[tuple[str, Provider]]:
    """The registered providers, in registration order (INSTALLED_APPS order, so the rows keep theirs).

    Refuses before every app's ready() has run: a calendar computed then would silently miss deadlines."""
    if not apps.ready:
        raise AppRegistryNotReady("the calendar sources are registered in AppConfig.ready(); apps are not ready")
    return list(_SOURCES.items())


def local_rule(key: str) -> LocalRule:
    return _LOCAL_RULES[key]


def employer_hidden_keys() -> frozenset[str]:
    return frozenset(key for key, rule in _LOCAL_RULES.items() if rule.employer_hidden)
