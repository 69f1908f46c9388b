import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url

from fasthold.accounts import services

log = logging.getLogger("fasthold.accounts")

# Session keys of the security piece (fasthold/accounts).
LOGIN_AT = "fasthold_login_at"  # Unix time of the login: the absolute limit counts from here
SEEN_AT = "fasthold_seen_at"  # Unix time of the last request, to SEEN_RESOLUTION: the idle limit
LOGOUT_REASON = "fasthold_logout_reason"  # "idle" or "absolute", shown once on the login page
TWO_FACTOR_OK = "fasthold_2fa_ok"  # this session's user has a device or does not need one
# The last request time is written at most this often, so a busy session is not saved on every request.
SEEN_RESOLUTION = 60

# What a user who must set up two-factor may still reach.
ENROLMENT_VIEWS = {"accounts:enrol", "accounts:recovery_codes_show", "accounts:security", "logout", "set_language"}


class UserLanguageMiddleware:
    """A logged-in user's preferred language wins over the browser's, unless they chose one
    explicitly this session (the language cookie set by the language switch)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = getattr(request.session, "get", lambda *_: None)("preferred_language")
            if language:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
        return self.get_response(request)


def session_stamp_login(sender, request, user, **kwargs):
    """user_logged_in receiver: the idle and absolute limits start at login."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionExpiryMiddleware:
    """Log out after FASTHOLD_SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE after login
    however active the session (Django's own expiry moves forward whenever the session is saved).
    The login page then says why. Sits between AuthenticationMiddleware and LoginRequiredMiddleware,
    which sends the now anonymous request to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            reason = None
            if login_at is None:
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - login_at > settings.SESSION_COOKIE_AGE:
                reason = "absolute"
            elif seen_at is not None and now - seen_at > settings.FASTHOLD_SESSION_IDLE_SECONDS:
                reason = "idle"
            elif seen_at is None or now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
            if reason:
                log.info("session expired (%s) user=%s", reason, request.user.pk)
                logout(request)
                request.session[LOGOUT_REASON] = reason
                if request.headers.get("HX-Request"):
                    # An htmx request would otherwise swap the login page into a fragment.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = _login_url(request)
                    return response
        return self.get_response(request)


def _login_url(request) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"


class TwoFactorRequiredMiddleware:
    """With FASTHOLD_2FA_REQUIRED, a user who must use two-factor login but has no confirmed device
    reaches only the enrolment, logout and the language switch until they set it up.

    The answer is kept in the session once it is "fine" (a device, or not required), so a normal
    request costs no query; a membership gained mid-session is checked at the next login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.FASTHOLD_2FA_REQUIRED or not request.user.is_authenticated:
            return None
        if request.session.get(TWO_FACTOR_OK):
            return None

        if services.confirmed_device(request.user) or not services.two_factor_required(request.user):
            request.session[TWO_FACTOR_OK] = True
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ENROLMENT_VIEWS:
            return None
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url("accounts:enrol")
            return response
        return redirect("accounts:enrol")
