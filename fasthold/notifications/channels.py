"""Channels a notification goes out on. E-mail and in-app are built in; another (Digital Post, SMS)
is a class with the same three members, named in settings.FASTHOLD_NOTIFICATION_CHANNELS.

- `name`: stored on each Delivery row; a retry skips channels that already delivered.
- `digestible`: for people who chose the daily digest, this channel's part waits for the digest.
- `accepts(user)`: whether this person can be reached on it at all (an address, a phone number).
- `deliver(notification, message)`: send; raise to have the row retried with backoff.
"""

from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from fasthold.notifications.kinds import Message


class Channel:
    name = ""
    digestible = False

    def accepts(self, user) -> bool:
        return True

    def deliver(self, notification, message: Message) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    """The list in the header: the row itself is the message once it is sent; nothing to transmit."""

    name = "inapp"

    def deliver(self, notification, message: Message) -> None:
        return None


def absolute(path: str) -> str:
    return settings.FASTHOLD_SITE_URL.rstrip("/") + path if path else ""


class EmailChannel(Channel):
    name = "email"
    digestible = True

    def accepts(self, user) -> bool:
        return bool(user.email)

    def deliver(self, notification, message: Message) -> None:
        body = message.body
        if message.path:
            body = f"{body}\n\n{absolute(message.path)}\n"
        send_mail(message.subject, body, None, [notification.user.email])


@cache
def channels() -> tuple[Channel, ...]:
    return tuple(import_string(path)() for path in settings.FASTHOLD_NOTIFICATION_CHANNELS)


def _reset(*, setting, **kwargs):
    if setting == "FASTHOLD_NOTIFICATION_CHANNELS":
        channels.cache_clear()


setting_changed.connect(_reset)
