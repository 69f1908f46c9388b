"""Time-based one-time passwords (RFC 6238 over RFC 4226), recovery codes and secrets. Pure: no Django.

Fasthold uses SHA-1, 6 digits and 30-second steps, the settings every phone authenticator app
understands. A code is accepted one step either side of now (clock drift), and never for a step at
or before the last one already used (a code seen over someone's shoulder cannot be used again).
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps accepted either side of now
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommended key length for SHA-1
ISSUER = "Fasthold"

# Recovery codes: no 0/O or 1/I/L to misread; 10 symbols of 31 are about 49 bits.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 10
RECOVERY_COUNT = 10


def generate_secret(nbytes: int = SECRET_BYTES) -> str:
    """A new random secret, base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, case and missing padding are forgiven."""
    cleaned = "".join(secret.split()).upper()
    cleaned += "=" * (-len(cleaned) % 8)
    return base64.b32decode(cleaned)


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """RFC 4226: the HMAC of the 8-byte counter, dynamically truncated to `digits` decimal digits."""
    if counter < 0:
        raise ValueError("counter must not be negative")
    digest = hmac.new(key, struct.pack(">Q", counter), algorithm).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float, *, step: int = STEP_SECONDS) -> int:
    """The RFC 6238 counter T for Unix time `at` (T0 = 0)."""
    return int(at // step)


def code_at(secret: str, at: float, *, step: int = STEP_SECONDS, digits: int = DIGITS, algorithm: str = "sha1") -> str:
    """The code an authenticator app shows at Unix time `at`."""
    return hotp(decode_secret(secret), time_step(at, step=step), digits=digits, algorithm=algorithm)


def normalise_code(code: str) -> str:
    """What the user typed, without spaces or dashes ("123 456" is how many apps show it)."""
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def match_step(
    secret: str, code: str, *, at: float, window: int = WINDOW, step: int = STEP_SECONDS, digits: int = DIGITS
) -> int | None:
    """The time step within `window` of `at` whose code is `code`, or None. Compared in constant time."""
    code = normalise_code(code)
    if len(code) != digits or not code.isascii() or not code.isdigit():
        return None
    key = decode_secret(secret)
    now = time_step(at, step=step)
    found = None
    # Every candidate is computed and compared, so the time taken does not tell which one matched.
    for candidate in range(now + window, now - window - 1, -1):
        if candidate >= 0 and hmac.compare_digest(hotp(key, candidate, digits=digits), code) and found is None:
            found = candidate
    return found


def verify(secret: str, code: str, *, at: float, last_used_step: int | None = None, window: int = WINDOW) -> int | None:
    """The step to record as used if `code` is valid and not a replay, else None."""
    found = match_step(secret, code, at=at, window=window)
    if found is None or is_replay(found, last_used_step):
        return None
    return found


def is_replay(step: int, last_used_step: int | None) -> bool:
    return last_used_step is not None and step <= last_used_step


def provisioning_uri(secret: str, username: str, *, issuer: str = ISSUER) -> str:
    """The otpauth:// URI that a QR code carries (Google Authenticator's Key Uri Format)."""
    label = quote(f"{issuer}:{username}", safe=":@")
    query = urlencode({"secret": secret, "issuer": issuer})
    return f"otpauth://totp/{label}?{query}"


def group(text: str, size: int = 4) -> str:
    """A secret in groups of four for typing by hand: "ABCD EFGH IJKL"."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def generate_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    """New one-time recovery codes, shown as XXXXX-XXXXX."""
    codes = []
    while len(codes) < count:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        if code not in codes:
            codes.append(code)
    return codes


def normalise_recovery_code(code: str) -> str:
    """Case, spaces and dashes do not matter when a recovery code is typed."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    """What is stored for a recovery code. The codes are random with ~49 bits and attempts are rate
    limited, so one SHA-256 (unsalted, so a typed code can be found by an indexed lookup) suffices."""
    return hashlib.sha256(normalise_recovery_code(code).encode("ascii", "replace")).hexdigest()
