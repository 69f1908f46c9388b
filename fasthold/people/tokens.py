"""The invitation link's token: a random nonce, signed with a timestamp.

The signature lets a tampered or stale link be told apart without a database read; the nonce's hash
finds the invitation, and only the hash is stored. Nothing about the person is in the link.
"""

import datetime as dt
import enum
import hashlib
import secrets

from django.core import signing

LIFETIME = dt.timedelta(days=7)
_SALT = "fasthold.people.invitation"


class Problem(enum.StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"


def new() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    nonce = secrets.token_urlsafe(32)
    return signing.TimestampSigner(salt=_SALT).sign(nonce), digest(nonce)


def digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def read(token: str) -> tuple[str | None, Problem | None]:
    """(hash of the nonce, None) for a good token; (None, problem) otherwise.

    An expired signature still yields the hash, so the page can offer to ask for a new link."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        return digest(signer.unsign(token, max_age=LIFETIME)), None
    except signing.SignatureExpired:
        return digest(signer.unsign(token)), Problem.EXPIRED
    except signing.BadSignature:
        return None, Problem.INVALID
