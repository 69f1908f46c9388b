"""A notification kind for the tests (registered on import) and a channel that fails on demand."""

from fasthold.notifications import kinds
from fasthold.notifications.channels import Channel
from fasthold.notifications.kinds import Message

PING = "test.ping"
GONE = "test.gone"

kinds.register(
    PING, lambda n: Message(subject=f"Ping {n.object_id}", body="A test notification.", path="/notifications/")
)
kinds.register(GONE, lambda n: None)


class FlakyChannel(Channel):
    """Fails while `failures` is above zero (a mail server that is down), then delivers."""

    name = "flaky"
    failures = 0
    delivered: list[int] = []

    def deliver(self, notification, message):
        if FlakyChannel.failures > 0:
            FlakyChannel.failures -= 1
            raise ConnectionError("down")
        FlakyChannel.delivered.append(notification.pk)
