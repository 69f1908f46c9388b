"""When a run of failed logins locks further attempts, and until when. Pure: no Django.

A sliding window: with `limit` failures inside the last `window`, attempts are refused until the
oldest of those failures leaves the window, so the lock lifts by itself.
"""

import datetime as dt

USERNAME_LIMIT = 5
IP_LIMIT = 30
WINDOW = dt.timedelta(minutes=15)


def locked_until(newest_failures: list[dt.datetime], *, now: dt.datetime, limit: int,
                 window: dt.timedelta = WINDOW) -> dt.datetime | None:
    """Given up to `limit` of the newest failure times, when attempts may resume, or None if they may now."""
    recent = sorted(t for t in newest_failures if t > now - window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window
