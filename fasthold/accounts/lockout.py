"""When failed logins hold up further attempts, and until when. Pure: no Django.

Three limits, chosen so that nobody can use them to keep someone else out:

- A trusted browser (one where the user logged in completely before; it carries a signed device
  cookie for that username) is exempt from the other two. Its failures count against that browser
  only: after DEVICE_LIMIT of them within DEVICE_WINDOW it is no longer trusted.
- Per username, from untrusted browsers: USERNAME_LIMIT failures inside WINDOW refuse further
  untrusted attempts until the oldest of them leaves the window (a sliding window, so the lock lifts
  by itself). Password and code failures share this count.
- Per address, from untrusted browsers: ADDRESS_LIMIT failures inside WINDOW do not lock; they slow
  the address down to one password check every ADDRESS_INTERVAL. Everyone behind one NAT address
  (a municipality) still gets in a few seconds later, while a password sprayer gets a trickle.
"""

import datetime as dt
import ipaddress

USERNAME_LIMIT = 5
ADDRESS_LIMIT = 30
WINDOW = dt.timedelta(minutes=15)
ADDRESS_INTERVAL = dt.timedelta(seconds=10)
DEVICE_LIMIT = 5
DEVICE_WINDOW = dt.timedelta(days=1)
DEVICE_COOKIE_AGE = dt.timedelta(days=180)


def locked_until(
    newest_failures: list[dt.datetime], *, now: dt.datetime, limit: int, window: dt.timedelta = WINDOW
) -> dt.datetime | None:
    """Given up to `limit` of the newest failure times, when attempts may resume, or None if they may now."""
    recent = sorted(t for t in newest_failures if t > now - window)
    if len(recent) < limit:
        return None
    return recent[-limit] + window


def address_bucket(ip: str | None) -> str | None:
    """The address the per-address limit counts: an IPv4 address as it is, an IPv6 address as its /64
    network (one subscriber usually holds a whole /64 and could otherwise change address every attempt)."""
    if not ip:
        return None
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)


def address_slowed(recent_failures: int) -> bool:
    """Whether an address with this many untrusted failures inside WINDOW is slowed down."""
    return recent_failures >= ADDRESS_LIMIT


def slot_wait(next_free: dt.datetime | None, *, now: dt.datetime) -> dt.datetime | None:
    """For a slowed address whose next password check is allowed from `next_free` (None: never
    checked yet): None if a check may run now, else when it may."""
    if next_free is None or next_free <= now:
        return None
    return next_free


def slot_after_check(now: dt.datetime, interval: dt.timedelta = ADDRESS_INTERVAL) -> dt.datetime:
    """When a slowed address may have its next password check, after one at `now`."""
    return now + interval


def device_trusted(recent_device_failures: int) -> bool:
    """Whether a device cookie with this many failures inside DEVICE_WINDOW still exempts its browser."""
    return recent_device_failures < DEVICE_LIMIT


def device_entry_fresh(issued_at: dt.datetime, *, now: dt.datetime) -> bool:
    """A device cookie entry is trusted for DEVICE_COOKIE_AGE after the login that issued it."""
    return now - DEVICE_COOKIE_AGE <= issued_at <= now + dt.timedelta(minutes=5)


def checks_granted(request_times: list[dt.datetime], interval: dt.timedelta = ADDRESS_INTERVAL) -> list[dt.datetime]:
    """Which of these requests from one slowed address get a password check: the gate above, replayed.
    Used by the tests to bound spraying; the service applies the same two functions one request at a time."""
    granted, next_free = [], None
    for now in sorted(request_times):
        if slot_wait(next_free, now=now) is None:
            granted.append(now)
            next_free = slot_after_check(now, interval)
    return granted
