"""The pure TOTP module against RFC 4226 and RFC 6238's published test values."""

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fasthold.accounts import lockout, totp

RFC_KEY_SHA1 = b"12345678901234567890"
RFC_KEY_SHA256 = b"12345678901234567890123456789012"
RFC_KEY_SHA512 = RFC_KEY_SHA1 * 3 + b"1234"

# RFC 6238, appendix B: time, code (8 digits) for SHA-1, SHA-256, SHA-512.
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
# RFC 4226, appendix D: HOTP values for counters 0..9.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


def b32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@pytest.mark.parametrize("counter,expected", list(enumerate(RFC4226)))
def test_hotp_rfc4226_vectors(counter, expected):
    assert totp.hotp(RFC_KEY_SHA1, counter) == expected


@pytest.mark.parametrize("at,sha1,sha256,sha512", RFC6238)
def test_totp_rfc6238_vectors(at, sha1, sha256, sha512):
    assert totp.code_at(b32(RFC_KEY_SHA1), at, digits=8) == sha1
    assert totp.code_at(b32(RFC_KEY_SHA256), at, digits=8, algorithm="sha256") == sha256
    assert totp.code_at(b32(RFC_KEY_SHA512), at, digits=8, algorithm="sha512") == sha512


def test_six_digit_codes_are_the_last_six_of_the_eight_digit_ones():
    for at, sha1, *_ in RFC6238:
        assert totp.code_at(b32(RFC_KEY_SHA1), at) == sha1[-6:]


def test_accepts_one_step_either_side_and_no_further():
    secret = b32(RFC_KEY_SHA1)
    at = 1111111111.0
    step = totp.time_step(at)
    for offset in (-1, 0, 1):
        code = totp.code_at(secret, at + offset * 30)
        assert totp.match_step(secret, code, at=at) == step + offset
    for offset in (-2, 2):
        assert totp.match_step(secret, totp.code_at(secret, at + offset * 30), at=at) is None


def test_a_used_step_or_an_earlier_one_is_refused():
    secret = b32(RFC_KEY_SHA1)
    at = 1234567890.0
    code = totp.code_at(secret, at)
    step = totp.verify(secret, code, at=at)
    assert step == totp.time_step(at)
    assert totp.verify(secret, code, at=at, last_used_step=step) is None
    assert totp.verify(secret, code, at=at + 30, last_used_step=step) is None
    earlier = totp.code_at(secret, at - 30)
    assert totp.verify(secret, earlier, at=at, last_used_step=step) is None
    later = totp.code_at(secret, at + 30)
    assert totp.verify(secret, later, at=at, last_used_step=step) == step + 1


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
def test_malformed_codes_never_match(typed):
    assert totp.match_step(b32(RFC_KEY_SHA1), typed, at=59) is None


def test_spaces_in_a_typed_code_are_forgiven():
    secret = b32(RFC_KEY_SHA1)
    code = totp.code_at(secret, 59)
    assert totp.match_step(secret, f"{code[:3]} {code[3:]}", at=59) == 1


def test_new_secrets_are_160_bit_base32_and_differ():
    secrets = {totp.generate_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert len(totp.decode_secret(secret)) == 20
        assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_decode_forgives_spaces_case_and_missing_padding():
    assert totp.decode_secret(totp.group(b32(b"abcde12345").lower())) == b"abcde12345"


def test_provisioning_uri():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "karen holm")
    assert uri == "otpauth://totp/Fasthold:karen%20holm?secret=JBSWY3DPEHPK3PXP&issuer=Fasthold"


def test_secret_grouped_for_typing():
    assert totp.group("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_recovery_codes_are_distinct_unambiguous_and_hash_regardless_of_how_typed():
    codes = totp.generate_recovery_codes()
    assert len(set(codes)) == totp.RECOVERY_COUNT
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert not set(code.replace("-", "")) & set("01OIL")
        assert totp.hash_recovery_code(code) == totp.hash_recovery_code(f" {code.lower().replace('-', ' ')} ")
        assert code not in totp.hash_recovery_code(code)


@given(st.binary(min_size=10, max_size=40), st.integers(min_value=0, max_value=2**40))
def test_any_code_verifies_at_its_own_time_and_not_twice(key, at):
    secret = b32(key)
    code = totp.code_at(secret, at)
    step = totp.verify(secret, code, at=at)
    assert step is not None and abs(step - totp.time_step(at)) <= 1
    assert totp.verify(secret, code, at=at, last_used_step=totp.time_step(at) + 1) is None


# --- the lock window -----------------------------------------------------------------------------


def test_lock_starts_at_the_limit_and_lifts_when_the_oldest_failure_leaves_the_window():
    import datetime as dt

    now = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    failures = [now - dt.timedelta(minutes=m) for m in (10, 8, 6, 4)]
    assert lockout.locked_until(failures, now=now, limit=5) is None
    failures.append(now)
    assert lockout.locked_until(failures, now=now, limit=5) == now + dt.timedelta(minutes=5)
    later = now + dt.timedelta(minutes=5, seconds=1)
    assert lockout.locked_until(failures, now=later, limit=5) is None
    # Failures older than the window never count.
    old = [now - dt.timedelta(minutes=20)] * 10
    assert lockout.locked_until(old, now=now, limit=5) is None
