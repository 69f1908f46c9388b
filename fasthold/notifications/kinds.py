"""What each kind of notification says. The app that raises a kind registers how to word it (in its
AppConfig.ready(), as the timeline's kinds are registered), since the words need that app's models and
the notifications app sits below it.

A renderer gets the notification and returns a Message in the active language, or None when what it
was about is gone (the row is then closed, nothing is sent). It is called after access was checked.

A list of notifications (the in-app page) is worded with render_many(): a renderer that is a Batched
(a loader that fetches the objects of many rows at once, and a wording of one row and its object) words
all rows of its kind in a fixed number of queries; any other renderer is called row by row.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    # A path on the site ("/cases/…"); channels that can link make it absolute.
    path: str = ""


class Batched:
    """A renderer that can word many rows of its kind at once. `load(notifications)` returns
    {notification.pk: object} in a fixed number of queries (rows whose object is gone are left out);
    `word(notification, object_or_None)` makes the Message, or None."""

    def __init__(self, load: Callable[[list], dict], word: Callable[[object, object], Message | None]):
        self.load = load
        self.word = word

    def __call__(self, notification) -> Message | None:
        return self.render_many([notification])[notification.pk]

    def render_many(self, notifications: list) -> dict:
        loaded = self.load(notifications) if notifications else {}
        return {n.pk: self.word(n, loaded.get(n.pk)) for n in notifications}


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


def render_many(notifications) -> dict:
    """{notification.pk: Message or None} for the rows whose kind is registered (others are left out).
    One batch per kind for Batched renderers: a fixed number of queries for any number of rows."""
    by_kind: dict[str, list] = {}
    for n in notifications:
        if n.kind in _KINDS:
            by_kind.setdefault(n.kind, []).append(n)
    result: dict = {}
    for kind, rows in by_kind.items():
        renderer = _KINDS[kind]
        if isinstance(renderer, Batched):
            result.update(renderer.render_many(rows))
        else:
            result.update({n.pk: renderer(n) for n in rows})
    return result


def registered() -> list[str]:
    return sorted(_KINDS)
