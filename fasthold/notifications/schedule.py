"""The outbox's timing rules, pure (no Django): the retry backoff, when a claim counts as stuck, and
how a day's notifications are grouped into one digest per person. Held to the no-Django contract."""

import datetime as dt
from collections.abc import Iterable

# After the first failure wait a minute, then twice as long each time, at most six hours; a row that has
# failed MAX_ATTEMPTS times is given up (status failed) and shows on /healthz as neither pending nor stuck.
BASE_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 6 * 60 * 60
MAX_ATTEMPTS = 8
# A row claimed longer ago than this without being finished belongs to a worker that died: it may be claimed again.
CLAIM_TIMEOUT_SECONDS = 10 * 60


def backoff_seconds(attempts: int, jitter: float = 0.0) -> float:
    """How long to wait before the next try after `attempts` failed tries (1 = the first failure).

    `jitter` in [0, 1) adds up to that fraction of the delay, so workers retrying many rows after an
    outage of the mail server do not all come back in the same second."""
    if attempts < 1:
        return 0.0
    if not 0.0 <= jitter < 1.0:
        raise ValueError("jitter must be in [0, 1)")
    delay = min(BASE_DELAY_SECONDS * 2 ** (attempts - 1), MAX_DELAY_SECONDS)
    return delay * (1.0 + jitter)


def gives_up(attempts: int) -> bool:
    """After this many failed tries, stop trying."""
    return attempts >= MAX_ATTEMPTS


def is_stuck(claimed_at: dt.datetime | None, now: dt.datetime, timeout: float = CLAIM_TIMEOUT_SECONDS) -> bool:
    return claimed_at is not None and (now - claimed_at).total_seconds() > timeout


def next_digest_at(now: dt.datetime, hour: int) -> dt.datetime:
    """The next time the daily digest goes out: today at `hour` if that is still ahead, else tomorrow."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today > now else today + dt.timedelta(days=1)


def group_for_digest(items: Iterable[tuple[int, int | None, int]]) -> dict[int, dict[int | None, list[int]]]:
    """(user id, case id, notification id) triples as {user: {case: [notification ids]}}, in the order given:
    one digest per person, its lines grouped by case (None: not about a case)."""
    grouped: dict[int, dict[int | None, list[int]]] = {}
    for user_id, case_id, notification_id in items:
        grouped.setdefault(user_id, {}).setdefault(case_id, []).append(notification_id)
    return grouped
