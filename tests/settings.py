"""Test settings: the real settings, with a fast password hasher and in-memory mail."""

import os

from fasthold.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_AUTOREFRESH = True
# Most tests log in with force_login as coordinators; tests/accounts turns two-factor on where it matters.
FASTHOLD_2FA_REQUIRED = False

# A file, not shared-cache memory: concurrent-worker tests need SQLite's WAL and busy timeout,
# as a real installation has.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
