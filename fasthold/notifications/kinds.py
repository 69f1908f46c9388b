"""What each kind of notification says. The app that raises a kind registers how to word it (in its
AppConfig.ready(), as the timeline's kinds are registered), since the words need that app's models and
the notifications app sits below it.

A renderer gets the notification and returns a Message in the active language, or None when what it
was about is gone (the row is then closed, nothing is sent). It is called after access was checked.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    # A path on the site ("/cases/…"); channels that can link make it absolute.
    path: str = ""


Renderer = Callable[[object], Message | None]
_KINDS: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    if len(kind) > 50:
        raise ValueError(f"kind {kind!r} is longer than 50 characters")
    _KINDS[kind] = renderer


def render(notification) -> Message | None:
    try:
        renderer = _KINDS[notification.kind]
    except KeyError:
        raise LookupError(f"no renderer registered for notification kind {notification.kind!r}") from None
    return renderer(notification)


def registered() -> list[str]:
    return sorted(_KINDS)
