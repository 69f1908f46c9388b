"""The timeline's registry: which event kinds exist and how each is described.

The timeline sits high: every app records on it, so the apps register here in their `AppConfig.ready()`
(as Django's admin site and signal receivers do) and the timeline never imports them. A kind nobody
registered is refused when an event is saved, and the case page looks each event's wording up here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.text import capfirst

# (kind, params) -> a sentence in the reader's language. Params hold labels, ids and codes, never health text.
KindDescriber = Callable[[str, dict], str]
ParamsDescriber = Callable[[dict], str]


@dataclass(frozen=True)
class Kind:
    value: str
    label: object  # a lazy translation
    app: str
    describe: KindDescriber | None


_kinds: dict[str, Kind] = {}
# Some apps write their events under a shared kind ("note", "health_updated") and mark them with a
# params key ("schedule", "screening", ...); the key decides the wording, whatever the kind.
_marked: dict[str, tuple[str, ParamsDescriber]] = {}


def register(app: str, kinds: Iterable, describe: KindDescriber | None = None) -> None:
    """Register `kinds` (members of a TextChoices: value and label) as `app`'s, worded by `describe`."""
    for member in kinds:
        known = _kinds.get(member.value)
        if known is not None and known.app != app:
            raise ImproperlyConfigured(f"Timeline kind {member.value!r} is already registered by {known.app}.")
        _kinds[member.value] = Kind(member.value, member.label, app, describe)


def register_marked(app: str, key: str, describe: ParamsDescriber) -> None:
    """Word every event whose params hold `key` with `describe`, whatever its kind."""
    known = _marked.get(key)
    if known is not None and known[0] != app:
        raise ImproperlyConfigured(f"Timeline params key {key!r} is already registered by {known[0]}.")
    _marked[key] = (app, describe)


def is_registered(kind: str) -> bool:
    return kind in _kinds


def registered_kinds() -> dict[str, Kind]:
    return dict(_kinds)


def validate_kind(value: str) -> None:
    if value not in _kinds:
        raise ValidationError("Unknown timeline event kind: %(kind)s", code="unknown_kind", params={"kind": value})


def label(kind: str) -> str:
    entry = _kinds.get(kind)
    return str(entry.label) if entry is not None else capfirst(kind)


def describe(kind: str, params: dict) -> str:
    for key, (_app, describe_marked) in _marked.items():
        if key in params:
            return describe_marked(params)
    entry = _kinds.get(kind)
    if entry is None:
        return capfirst(kind)
    if entry.describe is not None:
        return entry.describe(kind, params)
    return str(entry.label)


def timeline_record(*, case, kind: str, actor, audience: str | None = None, **params):
    """One event on the case's timeline, for everyone on the case unless `audience` says otherwise.
    Callers pass labels, ids and codes only, never health text."""
    # Not at the top: the models validate against this registry, so they import it first.
    from fasthold.cases.models import Audience, TimelineEvent

    return TimelineEvent.objects.create(
        case=case, kind=kind, actor=actor, audience=audience or Audience.ALL, params=params
    )
