"""Encryption of stored secrets (two-factor secrets) with Fernet keys, newest first. No Django.

MultiFernet encrypts with the first key and decrypts with any, so a new key is put in front, the stored
tokens are re-encrypted (`fasthold rotate_keys`), and only then is the old key removed.
"""

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["InvalidToken", "decrypt", "development_key", "encrypt", "invalid_keys", "rotate"]


def development_key(secret_key: str) -> str:
    """A fixed Fernet key derived from Django's SECRET_KEY, for development and tests only: anyone who
    knows the secret key (the development one is published) can derive it."""
    digest = hashlib.sha256(b"fasthold field key, development only\x00" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def invalid_keys(keys: list[str] | tuple[str, ...]) -> list[int]:
    """The positions (from 1) of the keys that are not Fernet keys."""
    bad = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            bad.append(position)
    return bad


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ValueError("no keys")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(keys: tuple[str, ...], text: str) -> str:
    return _fernet(tuple(keys)).encrypt(text.encode()).decode()


def decrypt(keys: tuple[str, ...], token: str) -> str:
    """The text, or InvalidToken if no key opens the token (or it was altered)."""
    return _fernet(tuple(keys)).decrypt(token.encode()).decode()


def rotate(keys: tuple[str, ...], token: str) -> str:
    """The same text encrypted with the newest key; InvalidToken if no key opens it."""
    return _fernet(tuple(keys)).rotate(token.encode()).decode()
