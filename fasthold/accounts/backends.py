"""The single sign-on backend: mozilla-django-oidc's authorisation-code flow, for several providers.

The library reads one provider from global settings; here the provider comes with each call
(authenticate(request, provider=...), from the state the login started with), and the library's
settings lookups answer with that provider's values. What the library leaves out is checked here:
the ID token's audience (aud must contain our client id; azp must be it when there are several
audiences), its issuer, its required claims, and an expiry that gives a clear refusal instead of an
error. A login is matched to a user by (provider, subject) only (fasthold.accounts.sso).
"""

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from fasthold.accounts import sso


def verify_id_token(token: str, key, *, provider: sso.Provider, nonce: str | None) -> dict:
    """The ID token's claims, or sso.Refused with the reason. Signature and algorithm, issuer, audience
    and authorised party, expiry and issue time (with sso.LEEWAY_SECONDS), nonce, subject, and the acr
    asked for."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[provider.sign_algo],
            audience=provider.client_id,
            issuer=provider.issuer,
            leeway=sso.LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError:
        raise sso.Refused("expired") from None
    except jwt.InvalidAudienceError:
        raise sso.Refused("audience") from None
    except jwt.InvalidIssuerError:
        raise sso.Refused("issuer") from None
    except jwt.InvalidTokenError:
        raise sso.Refused("token") from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # OpenID Connect Core 3.1.3.7: with several audiences the token must name us as its authorised party.
    if ("azp" in claims or len(audiences) > 1) and claims.get("azp") != provider.client_id:
        raise sso.Refused("audience")
    if not nonce or not constant_time_compare(str(claims.get("nonce", "")), nonce):
        raise sso.Refused("nonce")
    subject = claims["sub"]
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise sso.Refused("token")
    if provider.acr_values and claims.get("acr") not in provider.acr_values.split():
        raise sso.Refused("acr")
    return claims


class SSOBackend(OIDCAuthenticationBackend):
    """Authenticates a returning SSO login; never creates a user, and answers None to anything else
    (passwords go to ModelBackend)."""

    def __init__(self, *args, **kwargs):
        # The library reads a single provider's endpoints here; ours are set per login (_use).
        self.UserModel = get_user_model()
        self.provider = None

    def get_settings(self, attr, *args):
        """The library's settings, with the current provider's own values where it has them."""
        if self.provider is not None:
            if attr == "OIDC_RP_SCOPES":
                return self.provider.scopes
            if attr == "OIDC_TOKEN_USE_BASIC_AUTH":
                # Basic is the default client authentication of OAuth 2.0 (and so of every provider);
                # a provider that allows only client_secret_post says so in its discovery document.
                methods = self._endpoints.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
                return bool(self.provider.client_secret) and "client_secret_basic" in methods
        return import_from_settings(attr, *args)

    def _use(self, provider: sso.Provider) -> None:
        self.provider = provider
        self._endpoints = sso.endpoints(provider)
        self.OIDC_OP_TOKEN_ENDPOINT = self._endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = self._endpoints.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = self._endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, provider: sso.Provider | None = None, **kwargs):
        """The user of a returning login (the callback's code and state in request.GET), with the nonce
        and PKCE verifier the login started with. Raises sso.Refused or sso.Unavailable."""
        if provider is None or request is None:
            return None
        self._use(provider)
        return super().authenticate(request, nonce=kwargs.get("nonce"), code_verifier=kwargs.get("code_verifier"))

    def get_token(self, payload):
        if not self.provider.client_secret:
            payload.pop("client_secret", None)  # a public client: PKCE is its proof
        try:
            return super().get_token(payload)
        except requests.HTTPError:
            # The provider refused the code (used, expired, or not ours); its answer is not logged.
            raise sso.Refused("code") from None
        except (requests.RequestException, ValueError):
            raise sso.Unavailable(self.provider.slug) from None

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or not token:
            raise sso.Refused("token")
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            raise sso.Refused("token") from None
        if algorithm != self.provider.sign_algo:
            raise sso.Refused("token")
        if algorithm.startswith("HS"):
            key = self.provider.client_secret
        else:
            try:
                key = self.retrieve_matching_jwk(token)
            except (SuspiciousOperation, KeyError, jwt.InvalidTokenError):
                raise sso.Refused("token") from None
            except (requests.RequestException, ValueError):
                raise sso.Unavailable(self.provider.slug) from None
        return verify_id_token(token, key, provider=self.provider, nonce=kwargs.get("nonce"))

    def get_or_create_user(self, access_token, id_token, payload):
        """The user linked to (provider, subject); for an unknown subject, the one a claimer links it to."""
        subject = payload["sub"]
        user = sso.identity_user(self.provider.slug, subject)
        if user is None:
            user = sso.identity_claim(self.request, self.provider, subject, self._claims(access_token, payload))
        if not user.is_active:
            raise sso.Refused("inactive", user=user)
        return user

    def _claims(self, access_token, payload) -> dict:
        """The ID token's claims, with the userinfo endpoint's when it answers for the same subject
        (a broker may give the name only there). For the claimers; never logged."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            try:
                userinfo = self.get_userinfo(access_token, None, payload)
            except (requests.RequestException, ValueError, SuspiciousOperation, sso.Refused):
                return claims
            if isinstance(userinfo, dict) and userinfo.get("sub") == payload["sub"]:
                claims = {**userinfo, **payload}
        return claims

    def get_user(self, user_id):
        # The library's get_user ignores is_active; a deactivated user's session must end like a password user's.
        return ModelBackend.get_user(self, user_id)

    def user_can_authenticate(self, user):
        return getattr(user, "is_active", True)
