"""Fasthold settings, read from the environment. SQLite is the embedded default.

Production: set FASTHOLD_HTTPS=1, FASTHOLD_SECRET_KEY, FASTHOLD_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL).
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FASTHOLD_DEBUG")
SECRET_KEY = os.environ.get("FASTHOLD_SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("FASTHOLD_HTTPS"):
        raise RuntimeError("FASTHOLD_SECRET_KEY must be set in production.")
    # Development and tests only; `fasthold check --deploy` flags it.
    SECRET_KEY = "django-insecure-fasthold-development-key-not-for-production"
# Fernet keys encrypting two-factor secrets at rest, comma-separated, newest first (`fasthold rotate_keys`
# re-encrypts with the first). Unset: a development key derived from SECRET_KEY (fasthold/accounts/fields.py),
# not for production; `fasthold check --deploy` warns.
FASTHOLD_FIELD_KEYS = [k.strip() for k in os.environ.get("FASTHOLD_FIELD_KEYS", "").split(",") if k.strip()]
if not FASTHOLD_FIELD_KEYS and env_bool("FASTHOLD_HTTPS"):
    raise RuntimeError("FASTHOLD_FIELD_KEYS must be set in production.")

ALLOWED_HOSTS = [h for h in os.environ.get("FASTHOLD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FASTHOLD_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "fasthold.accounts",
    "fasthold.notifications",
    "fasthold.organisations",
    "fasthold.cases",
    "fasthold.audit",
    "fasthold.deadlines",
    "fasthold.schedules",
    "fasthold.screening",
    "fasthold.guidance",
    "fasthold.plans",
    "fasthold.coordination",
    "fasthold.meetings",
    "fasthold.requests",
    "fasthold.sharing",
    "fasthold.portals",
    "fasthold.privacy",
    "fasthold.people",
    "fasthold.evaluation",
    "fasthold.worklist",
    "fasthold.api",
    # django-ninja: its Swagger UI page and assets from the installed package (static files, no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache; everything else gets CSP and no-store.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "fasthold.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fasthold.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fasthold.accounts.middleware.SessionExpiryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "fasthold.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # One read-log row per page (fasthold.audit.readlog): collects the view's log_read calls.
    "fasthold.audit.readlog.ReadLogMiddleware",
]

ROOT_URLCONF = "fasthold.urls"
WSGI_APPLICATION = "fasthold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fasthold.accounts.context_processors.navigation",
                "fasthold.accounts.context_processors.theme",
                "fasthold.notifications.context_processors.unread",
            ],
        },
    },
]

FORM_RENDERER = "fasthold.forms.FastholdFormRenderer"

# The cache holds computed results that are slow to make (an evaluation's statistics, keyed by the
# version of its data). It lives in the database, so every web process shares it and a restart keeps
# it; the table is made by a migration (fasthold/evaluation/migrations/0002_cache_table.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fasthold_cache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'fasthold.sqlite3'}",
        conn_max_age=int(os.environ.get("FASTHOLD_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the reminder worker and the web server share the file.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FASTHOLD_TEST_SQLITE")}

# A PostgreSQL streaming replica for the evaluation's reads (fasthold.dbrouter), for a large installation.
if replica_url := os.environ.get("FASTHOLD_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url, conn_max_age=int(os.environ.get("FASTHOLD_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    # In tests the replica is the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["fasthold.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Passwords (ModelBackend), and single sign-on with OpenID Connect (fasthold/accounts/sso.py, README
# "Single sign-on"): a login at a configured identity provider, matched to a user by its stored subject.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "fasthold.accounts.backends.SSOBackend",
]


def _oidc_providers(environ) -> dict[str, dict]:
    """FASTHOLD_OIDC_PROVIDERS=mitid,kommune names the providers, in the order of the login page's buttons;
    each is set by FASTHOLD_OIDC_<SLUG>_* (the slug in capitals, "-" as "_"). Empty: no single sign-on."""
    providers = {}
    for slug in [s.strip().lower() for s in environ.get("FASTHOLD_OIDC_PROVIDERS", "").split(",") if s.strip()]:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", slug):
            raise RuntimeError(f"FASTHOLD_OIDC_PROVIDERS: {slug!r} is not a slug (a-z, 0-9 and -, at most 40).")
        prefix = "FASTHOLD_OIDC_" + slug.upper().replace("-", "_") + "_"
        config = {
            "label": environ.get(prefix + "LABEL", slug),
            "audience": environ.get(prefix + "AUDIENCE", ""),
            "issuer": environ.get(prefix + "ISSUER", ""),
            "client_id": environ.get(prefix + "CLIENT_ID", ""),
            "client_secret": environ.get(prefix + "CLIENT_SECRET", ""),
            "mfa": environ.get(prefix + "MFA", "0").lower() in {"1", "true", "yes", "on"},
            "scopes": environ.get(prefix + "SCOPES", "openid"),
            "sign_algo": environ.get(prefix + "SIGN_ALGO", "RS256"),
            "acr_values": environ.get(prefix + "ACR_VALUES", ""),
        }
        for name in ("issuer", "client_id"):
            if not config[name]:
                raise RuntimeError(f"{prefix}{name.upper()} must be set for the provider {slug!r}.")
        if config["audience"] not in {"staff", "public"}:
            raise RuntimeError(f"{prefix}AUDIENCE must be 'staff' or 'public'.")
        if "openid" not in config["scopes"].split():
            raise RuntimeError(f"{prefix}SCOPES must include openid.")
        if env_bool("FASTHOLD_HTTPS") and not config["issuer"].startswith("https://"):
            raise RuntimeError(f"{prefix}ISSUER must be an https:// address in production.")
        providers[slug] = config
    return providers


FASTHOLD_OIDC_PROVIDERS = _oidc_providers(os.environ)
# mozilla-django-oidc's own settings, for what is the same for every provider (the per-provider ones come
# from FASTHOLD_OIDC_PROVIDERS, fasthold/accounts/backends.py). Always PKCE (S256), state and nonce; tokens
# are checked and forgotten, never kept in the session; a login never creates a user.
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_MAX_STATES = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_ALLOW_UNSECURED_JWT = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "fasthold" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "fasthold" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("FASTHOLD_MANIFEST_STATIC")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_AGE = int(os.environ.get("FASTHOLD_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Security (fasthold/accounts): log out after FASTHOLD_SESSION_IDLE_SECONDS without a request, and
# FASTHOLD_SESSION_SECONDS after login in any case (SessionExpiryMiddleware); two-factor codes required
# for coordinators, administrators and health professionals; FASTHOLD_DEMO shows the demo users' code
# at login; FASTHOLD_TRUSTED_PROXIES proxies in front (X-Forwarded-For) give the client address that
# login rate limiting counts (1 behind the README's proxy, else every user would share its address).
# How many invitations one person may send in an hour (fasthold/people): a typing mistake in a loop,
# or a taken-over account, cannot turn Fasthold into a mail cannon.
FASTHOLD_INVITATIONS_PER_HOUR = int(os.environ.get("FASTHOLD_INVITATIONS_PER_HOUR", "30"))
# Requests a minute per API client (fasthold.api); more get 429 with Retry-After.
FASTHOLD_API_RATE_PER_MINUTE = int(os.environ.get("FASTHOLD_API_RATE_PER_MINUTE", "120"))
# How long the record of each API call (api.ApiCall) is kept: half a year, as an access log commonly is.
FASTHOLD_API_CALL_DAYS = int(os.environ.get("FASTHOLD_API_CALL_DAYS", "180"))
FASTHOLD_SESSION_IDLE_SECONDS = int(os.environ.get("FASTHOLD_SESSION_IDLE_SECONDS", str(30 * 60)))
FASTHOLD_2FA_REQUIRED = env_bool("FASTHOLD_2FA_REQUIRED", True)
# DKFDS theme: "borgerdk" (the citizens' colours, the default: most users are employees and their
# managers), "virkdk" (the business portal's) or "base" (the design system's neutral theme).
FASTHOLD_THEME = os.environ.get("FASTHOLD_THEME", "borgerdk")
if FASTHOLD_THEME not in ("borgerdk", "virkdk", "base"):
    raise RuntimeError("FASTHOLD_THEME must be borgerdk, virkdk or base.")
FASTHOLD_DEMO = env_bool("FASTHOLD_DEMO")
if FASTHOLD_DEMO and env_bool("FASTHOLD_HTTPS"):
    # The demo hint shows a valid second factor on the login page: never where real people log in.
    raise RuntimeError("FASTHOLD_DEMO must not be set in production (FASTHOLD_HTTPS=1).")
FASTHOLD_TRUSTED_PROXIES = int(os.environ.get("FASTHOLD_TRUSTED_PROXIES", "1" if env_bool("FASTHOLD_HTTPS") else "0"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (fasthold/headers.py adds Permissions-Policy and no-store). QR codes
# are inline SVG; htmx is told not to inject its indicator <style> (templates/base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Production behind HTTPS (README): secure cookies, HSTS, redirect to https.
if env_bool("FASTHOLD_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("FASTHOLD_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("FASTHOLD_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Django 6.1 mailers. Production: FASTHOLD_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with FASTHOLD_EMAIL_HOST / _PORT / _USER / _PASSWORD; the demo prints mail to the console.
_email_options = {
    key: value
    for key, value in {
        "host": os.environ.get("FASTHOLD_EMAIL_HOST"),
        "port": int(os.environ["FASTHOLD_EMAIL_PORT"]) if os.environ.get("FASTHOLD_EMAIL_PORT") else None,
        "username": os.environ.get("FASTHOLD_EMAIL_USER"),
        "password": os.environ.get("FASTHOLD_EMAIL_PASSWORD"),
        "use_tls": env_bool("FASTHOLD_EMAIL_TLS") or None,
    }.items()
    if value is not None
}
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("FASTHOLD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": _email_options,
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("FASTHOLD_FROM_EMAIL", "fasthold@localhost")

# Background work on Django's Tasks API, stored in the database (django-tasks-db); `fasthold worker`
# runs it (the notification outbox, the daily digests, the reminder digests). No extra server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Channels a notification goes out on (fasthold/notifications/channels.py); Digital Post or SMS is one more class here.
FASTHOLD_NOTIFICATION_CHANNELS = [
    "fasthold.notifications.channels.InAppChannel",
    "fasthold.notifications.channels.EmailChannel",
]
# Where links in e-mails sent by the worker (no request to take the host from) point.
FASTHOLD_SITE_URL = os.environ.get("FASTHOLD_SITE_URL", "http://127.0.0.1:8000")

# Logs carry ids and actions only: never CPR numbers, diagnoses or health text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FASTHOLD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO", "propagate": True}},
}
