"""The pure timing rules of fasthold.accounts.lockout: the address slow-down and device cookies."""

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from fasthold.accounts import lockout

T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
offsets = st.lists(st.floats(min_value=0, max_value=3600, allow_nan=False), max_size=400)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_an_address_is_slowed_from_the_thirtieth_failure():
    assert not lockout.address_slowed(lockout.ADDRESS_LIMIT - 1)
    assert lockout.address_slowed(lockout.ADDRESS_LIMIT)


def test_a_slot_is_free_when_due_and_taken_until_the_interval_has_passed():
    assert lockout.slot_wait(None, now=T0) is None
    next_free = lockout.slot_after_check(T0)
    assert next_free == T0 + lockout.ADDRESS_INTERVAL
    assert lockout.slot_wait(next_free, now=at(1)) == next_free
    assert lockout.slot_wait(next_free, now=next_free) is None


def test_a_burst_of_parallel_requests_gets_one_check():
    assert lockout.checks_granted([T0] * 50) == [T0]


@given(offsets)
def test_spraying_from_one_address_is_bounded_per_minute(times):
    granted = lockout.checks_granted([at(s) for s in times])
    per_minute = math.floor(dt.timedelta(minutes=1) / lockout.ADDRESS_INTERVAL) + 1
    for start in granted:
        in_minute = [g for g in granted if start <= g <= start + dt.timedelta(minutes=1)]
        assert len(in_minute) <= per_minute
    assert all(b - a >= lockout.ADDRESS_INTERVAL for a, b in zip(granted, granted[1:], strict=False))


@given(offsets, st.floats(min_value=0, max_value=3600, allow_nan=False))
def test_someone_who_waits_the_interval_after_the_last_check_gets_in(times, mine):
    """Nobody is locked out: a request at least one interval after every earlier check is granted."""
    requests = sorted(at(s) for s in times)
    me = at(mine)
    earlier = lockout.checks_granted([r for r in requests if r < me])
    if not earlier or me - earlier[-1] >= lockout.ADDRESS_INTERVAL:
        assert me in lockout.checks_granted([*[r for r in requests if r < me], me])


def test_a_device_cookie_is_trusted_for_fewer_than_five_failures():
    assert lockout.device_trusted(lockout.DEVICE_LIMIT - 1)
    assert not lockout.device_trusted(lockout.DEVICE_LIMIT)


def test_a_device_cookie_entry_lasts_180_days():
    assert lockout.device_entry_fresh(T0, now=T0 + dt.timedelta(days=180))
    assert not lockout.device_entry_fresh(T0, now=T0 + dt.timedelta(days=180, seconds=1))
    assert not lockout.device_entry_fresh(T0 + dt.timedelta(days=1), now=T0)


def test_ipv6_addresses_count_by_their_64_network():
    assert (
        lockout.address_bucket("2001:db8:1:2:aaaa::1")
        == lockout.address_bucket("2001:db8:1:2:ffff::9")
        == "2001:db8:1:2::"
    )
    assert lockout.address_bucket("2001:db8:1:3::1") != lockout.address_bucket("2001:db8:1:2::1")
    assert lockout.address_bucket("192.0.2.7") == "192.0.2.7"
    assert lockout.address_bucket("::ffff:192.0.2.7") == "192.0.2.7"
    assert lockout.address_bucket(None) is None
