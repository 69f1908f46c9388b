"""Single sign-on with OpenID Connect: the configured identity providers, the link between a login at a
provider and a Fasthold user, and the record of each SSO login and refusal.

Staff log in through their organisation's identity provider, employees and managers through a MitID
broker; both speak OpenID Connect (the flow itself: fasthold/accounts/backends.py and the SSO views).

A login is matched to a user by (provider, subject) alone, never by name or e-mail address, and never
creates a user. A subject no user is linked to is offered to the registered identity claimers (the
invitations app accepts an invitation held in the session and links the subject with link_identity);
if none claims it, the login is refused and nothing is created.

Nothing here logs or audits a token, a claim or a subject: only the user's id, the provider's slug and
the reason for a refusal.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.accounts import services
from fasthold.accounts.models import ExternalIdentity, User
from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record

log = logging.getLogger("fasthold.accounts")

# A provider's discovery document is fetched once and kept this long (its endpoints rarely move; its
# signing keys are fetched at every login, so a key rotation takes effect at once).
DISCOVERY_SECONDS = 3600
# How long a started login may take at the provider before its state is refused.
STATE_SECONDS = 10 * 60
# Clock difference tolerated between the provider and us when checking a token's times.
LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Provider:
    """An identity provider, from FASTHOLD_OIDC_PROVIDERS and FASTHOLD_OIDC_<SLUG>_* (fasthold/settings.py)."""

    slug: str
    label: str  # on the button: "Log ind med <label>"
    audience: Literal["staff", "public"]  # staff: an organisation's IdP; public: a MitID broker
    issuer: str
    client_id: str
    client_secret: str = ""  # empty: a public client (PKCE only)
    # The provider itself does multi-factor authentication (MitID): our code step is not asked again.
    # Otherwise a user with a two-factor device still gives a code after the provider's login.
    mfa: bool = False
    scopes: str = "openid"
    sign_algo: str = "RS256"
    # Asked for at the provider and required of the ID token's acr claim (e.g. a MitID level).
    acr_values: str = ""


class Unavailable(Exception):
    """The provider could not be reached, or its discovery document is unusable."""


class Refused(Exception):
    """An SSO login refused; `reason` is a short code for the audit row and the message shown
    (never a token, claim or subject)."""

    def __init__(self, reason: str, *, user=None):
        super().__init__(reason)
        self.reason = reason
        self.user = user


class IdentityConflict(Exception):
    """The subject is linked to another user, or the user already has another subject at the provider."""


# --- configuration -----------------------------------------------------------------------------


def providers(audience: str | None = None) -> list[Provider]:
    """The configured providers, in the configured order; only those for `audience` if given."""
    return [
        Provider(slug=slug, **config)
        for slug, config in settings.FASTHOLD_OIDC_PROVIDERS.items()
        if audience is None or config["audience"] == audience
    ]


def provider(slug: str) -> Provider | None:
    config = settings.FASTHOLD_OIDC_PROVIDERS.get(slug)
    return Provider(slug=slug, **config) if config is not None else None


def start_url(slug: str, next_url: str = "") -> str:
    """Where a login with this provider begins; `next_url` is checked there like the login page's."""
    url = reverse("accounts:sso_start", args=[slug])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


_discovery: dict[str, tuple[float, dict]] = {}
_REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def endpoints(provider: Provider) -> dict:
    """The provider's discovery document (<issuer>/.well-known/openid-configuration), cached for
    DISCOVERY_SECONDS. Its issuer must be the configured one exactly (OpenID Connect Discovery 4.3)."""
    cached = _discovery.get(provider.issuer)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        log.warning("sso discovery failed provider=%s error=%s", provider.slug, type(error).__name__)
        raise Unavailable(provider.slug) from None
    if not isinstance(document, dict) or document.get("issuer") != provider.issuer:
        log.warning("sso discovery document names another issuer provider=%s", provider.slug)
        raise Unavailable(provider.slug)
    if not all(isinstance(document.get(name), str) for name in _REQUIRED_ENDPOINTS):
        log.warning("sso discovery document lacks an endpoint provider=%s", provider.slug)
        raise Unavailable(provider.slug)
    _discovery[provider.issuer] = (time.monotonic(), document)
    return document


def discovery_forget() -> None:
    """Forget every cached discovery document (tests; a provider that moved its endpoints)."""
    _discovery.clear()


# --- linking subjects to users -----------------------------------------------------------------

Claimer = Callable[..., User | None]
_claimers: list[Claimer] = []


def register_identity_claimer(fn: Claimer) -> Claimer:
    """Register fn(request, provider_slug, subject, claims) -> User | None, asked when a login's subject
    is linked to no user (in registration order, until one returns a user). A claimer links the subject
    with link_identity; whatever it wrote is rolled back if no claimer returns a user. Call it from an
    AppConfig.ready(); returns fn, so it can be used as a decorator."""
    if fn not in _claimers:
        _claimers.append(fn)
    return fn


def identity_user(provider_slug: str, subject: str) -> User | None:
    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider_slug, subject=subject).first()
    return identity.user if identity is not None else None


@transaction.atomic
def link_identity(user, provider_slug: str, subject: str) -> ExternalIdentity:
    """Link the provider's subject to the user (idempotent). Raises IdentityConflict if the subject is
    another user's, or the user already has another subject at this provider."""
    if not subject or len(subject) > 255:
        raise ValueError("a subject is 1 to 255 characters")
    existing = ExternalIdentity.objects.filter(provider=provider_slug, subject=subject).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise IdentityConflict(provider_slug)
        return existing
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(user=user, provider=provider_slug, subject=subject)
    except IntegrityError:
        raise IdentityConflict(provider_slug) from None
    log.info("sso identity linked user=%s provider=%s", user.pk, provider_slug)
    return identity


def identity_claim(request, provider: Provider, subject: str, claims: dict) -> User:
    """The user a claimer links an unknown subject to, or Refused("unknown_subject"): nothing created."""
    with transaction.atomic():
        for claimer in list(_claimers):
            user = claimer(request, provider.slug, subject, claims)
            if user is None:
                continue
            if not user.is_active:
                transaction.set_rollback(True)
                raise Refused("inactive", user=user)
            try:
                link_identity(user, provider.slug, subject)
            except IdentityConflict:
                transaction.set_rollback(True)
                raise Refused("conflict", user=user) from None
            return user
        transaction.set_rollback(True)
    raise Refused("unknown_subject")


# --- the record of SSO logins ------------------------------------------------------------------

# What the person is told, per refusal reason; "state" covers a replayed, unknown or stale login.
MESSAGES = {
    "unknown_subject": _(
        "Your login is not linked to a user in Fasthold. Use the link in your invitation to log in the first "
        "time, or ask the person who invited you to send a new invitation."
    ),
    "inactive": _(
        "Your user in Fasthold has been closed, so you cannot log in. Ask your administrator if this is a mistake."
    ),
    "conflict": _(
        "Your user in Fasthold is already linked to another login at this provider. Log in with that one, or ask "
        "your administrator to remove the old link."
    ),
    "state": _(
        "This login has already been used, or it took too long. For your security it was stopped. Please start again."
    ),
    "cancelled": _("The login was cancelled or refused at the identity provider. You have not been logged in."),
    "unavailable": _("The identity provider did not answer as expected. Please try again in a little while."),
}
TOKEN_MESSAGE = _(
    "The answer from the identity provider could not be verified, so you have not been logged in. Please start "
    "again; if it happens again, tell your administrator."
)


def refusal_message(reason: str):
    return MESSAGES.get(reason, TOKEN_MESSAGE)


@transaction.atomic
def sso_refusal_record(*, provider_slug: str, reason: str, user=None) -> None:
    """A refused SSO login, audited like a failed password (the provider and the reason as its fields)."""
    audit_record(
        actor=user,
        action=AuditAction.LOGIN_FAILED,
        organisation=services.audit_organisation(user),
        fields=[f"sso:{provider_slug}", reason],
    )
    log.info("sso login refused provider=%s reason=%s user=%s", provider_slug, reason, user.pk if user else "-")


def sso_login_record(*, user, provider_slug: str) -> None:
    """A verified SSO login of a linked user (before any code step): when the link was last used."""
    ExternalIdentity.objects.filter(user=user, provider=provider_slug).update(last_login_at=timezone.now())
    log.info("sso login user=%s provider=%s", user.pk, provider_slug)
