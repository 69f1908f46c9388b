"""Login (password, then a two-factor code when the user has a device) and the account's security page.

Until the code step succeeds the user is not logged in: the session only holds who is pending, for
PENDING_SECONDS. Every failed password or code counts (services.login_failure_record); an attempt the
limits refuse (services.login_gate: a locked username, or a slowed-down address's next check not due
yet) is answered 429 without checking anything. A complete login marks the browser as trusted with a
device cookie, which exempts it from those limits for that user (fasthold.accounts.lockout).
"""

import math
import time
from urllib.parse import parse_qs, urlsplit

import segno
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from fasthold.accounts import forms, lockout, services, sso, totp
from fasthold.accounts.demo import DEMO_SECRET
from fasthold.accounts.middleware import LOGOUT_REASON, TWO_FACTOR_OK
from fasthold.accounts.models import AttemptKind, User
from fasthold.cases.models import Case
from fasthold.kernel import NotAllowed
from fasthold.organisations.models import EMPLOYER_ROLES, STAFF_ROLES, Membership

PENDING = "fasthold_2fa_pending"  # {"user": id, "backend": path, "at": unix time, "next": checked url}
PENDING_SECONDS = 5 * 60
SHOW_CODES = "fasthold_recovery_codes"  # new recovery codes, shown once and then removed


def home(request):
    """Send each persona where their work is: staff to the case list, employer-side users and
    employees to their portal."""

    roles = set(Membership.objects.filter(user=request.user).values_list("role", flat=True))
    if roles & set(STAFF_ROLES):
        return redirect("cases:list")
    if roles & set(EMPLOYER_ROLES):
        return redirect("portals:employer")
    if Case.objects.filter(person__user=request.user).exists():
        return redirect("portals:employee")
    return redirect("cases:list")


def _locked(request, template, context, until):
    """429, with when to try again in the user's own time and language."""
    seconds = max(1, math.ceil((until - services.current_time()).total_seconds()))
    response = render(request, template, {**context, "locked_until": until}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _refused(request, template, context, refusal: services.Refusal):
    """429 for an attempt the limits refuse: a locked username gives the time to try again; a slowed
    address, the few seconds to wait."""
    if not refusal.address:
        return _locked(request, template, context, refusal.until)
    seconds = max(1, math.ceil((refusal.until - services.current_time()).total_seconds()))
    response = render(request, template, {**context, "slowed_seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _device(request, username: str) -> str | None:
    return services.trusted_device(cookie=request.COOKIES.get(services.DEVICE_COOKIE), username=username)


def _trust_browser(request, response, user):
    """From now on this browser is trusted for this user (the device cookie): done after a complete
    login, that is with the second factor wherever it is required."""
    response.set_cookie(
        services.DEVICE_COOKIE,
        services.device_cookie_issue(cookie=request.COOKIES.get(services.DEVICE_COOKIE), username=user.username),
        max_age=int(lockout.DEVICE_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )
    return response


def _complete_login(request, user, backend: str, redirect_to: str, *, trust: bool = True):
    """The user is who they say: log in (a new session key), apply their language, forget their
    mistypes, and (trust=True) trust this browser for them."""
    auth_login(request, user, backend)
    request.session["preferred_language"] = user.preferred_language
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(user.preferred_language)
    services.login_failures_clear(username=user.username, device=_device(request, user.username))
    response = HttpResponseRedirect(redirect_to)
    return _trust_browser(request, response, user) if trust else response


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            context["logout_reason"] = self.request.session.pop(LOGOUT_REASON, None)
            context["idle_minutes"] = settings.FASTHOLD_SESSION_IDLE_SECONDS // 60
            context["session_hours"] = settings.SESSION_COOKIE_AGE // 3600
        # One button per configured identity provider; none configured, none shown.
        context["sso_providers"] = [
            {"label": p.label, "url": sso.start_url(p.slug, next_url=context.get("next", ""))} for p in sso.providers()
        ]
        return context

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        self.device = _device(request, username)
        # Only an attempt that will check a password takes a slowed address's slot.
        refusal = services.login_gate(
            username=username,
            ip=services.client_ip(request),
            device=self.device,
            password=bool(username.strip() and request.POST.get("password")),
        )
        if refusal is not None:
            # An unbound form: rendering a bound one would validate it, checking the password after all
            # (and showing whether it was wrong).
            form = self.get_form_class()(request, initial={"username": username})
            return _refused(request, self.template_name, self.get_context_data(form=form), refusal)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            username = form.data.get("username", "")
            until = services.login_failure_record(
                username=username,
                ip=services.client_ip(self.request),
                kind=AttemptKind.PASSWORD,
                user=User.objects.filter(username=username).first(),
                device=self.device,
            )
            if until is not None:
                return _locked(self.request, self.template_name, self.get_context_data(form=form), until)
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        if services.confirmed_device(user) is None:
            # No device: logged in now; TwoFactorRequiredMiddleware sends those who need one to enrol,
            # and their browser is trusted once they have (enrol below), not on the password alone.
            return _complete_login(self.request, user, user.backend, self.get_success_url(), trust=not _required(user))
        # Right password, device on: not logged in yet. A new session key, then the code step.
        # get_success_url() has already checked `next`, so the code step can simply go there.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


def _pending_user(request):
    """The user who gave the right password and must now give a code, or None (then the caller
    sends them back to the password step, with a message if the wait was too long)."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        messages.info(request, _("The login took too long, so for your security it was stopped. Please start again."))
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        del request.session[PENDING]
    return user


def _code_step(request, *, form_class, kind, template, check):
    user = _pending_user(request)
    if user is None:
        return redirect("login")
    pending = request.session[PENDING]
    context = {"pending_user": user, "sso_label": pending.get("sso")}
    if kind == AttemptKind.CODE and settings.FASTHOLD_DEMO:
        device = services.confirmed_device(user)
        if device is not None and device.secret == DEMO_SECRET:
            context["demo_code"] = totp.group(totp.code_at(device.secret, time.time()), 3)
            context["demo_key"] = totp.group(DEMO_SECRET)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = services.client_ip(request)
        device = _device(request, user.username)
        refusal = services.login_gate(username=user.username, ip=ip, device=device, password=False)
        if refusal is not None:
            return _refused(request, template, {**context, "form": form}, refusal)
        if form.is_valid():
            try:
                check(user=user, code=form.cleaned_data["code"])
            except services.InvalidCode as error:
                until = services.login_failure_record(
                    username=user.username, ip=ip, kind=kind, user=user, device=device
                )
                if until is not None:
                    return _locked(request, template, {**context, "form": form}, until)
                if error.replayed:
                    form.add_error(
                        "code",
                        _("This code has already been used. Wait for the next code in your app and enter that one."),
                    )
                elif kind == AttemptKind.CODE:
                    form.add_error(
                        "code",
                        _(
                            "That code is not right. Check that you use the Fasthold entry in your app and enter the code it shows now."
                        ),
                    )
                else:
                    form.add_error("code", _("That recovery code is not right, or it has been used before."))
            else:
                del request.session[PENDING]
                response = _complete_login(request, user, pending["backend"], pending["next"])
                request.session[TWO_FACTOR_OK] = True
                if kind == AttemptKind.RECOVERY:
                    left = services.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _("You logged in with a recovery code. It cannot be used again; you have %(left)d left.")
                        % {"left": left},
                    )
                return response
        status = 400
    return render(request, template, {**context, "form": form}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def login_code(request):
    return _code_step(
        request,
        form_class=forms.CodeForm,
        kind=AttemptKind.CODE,
        template="registration/login_code.html",
        check=services.login_code_check,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def login_recovery(request):
    return _code_step(
        request,
        form_class=forms.RecoveryCodeForm,
        kind=AttemptKind.RECOVERY,
        template="registration/login_recovery.html",
        check=services.login_recovery_code_use,
    )


# --- single sign-on (OpenID Connect; fasthold/accounts/sso.py and backends.py) ---------------------


def _sso_refused(request, reason: str, *, provider_slug: str, status: int = 403, user=None, record: bool = True):
    """The refusal page, in the user's language. A refusal of the person or their token is audited; a
    provider that is down or a login cancelled there is only logged."""
    if record:
        sso.sso_refusal_record(provider_slug=provider_slug, reason=reason, user=user)
    else:
        sso.log.info("sso login not completed provider=%s reason=%s", provider_slug, reason)
    context = {"message": sso.refusal_message(reason), "login_url": resolve_url(settings.LOGIN_URL)}
    return render(request, "registration/sso_refused.html", context, status=status)


class SSOStartView(OIDCAuthenticationRequestView):
    """To the provider's login page: the library makes the state, the nonce and the PKCE pair and keeps
    them in the session under the state; the provider and the checked `next` are kept with them."""

    def __init__(self, **kwargs):
        # Not the library's __init__: it reads a single provider from settings.
        self.provider = None
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_settings(self, attr, *args):
        if attr == "OIDC_RP_SCOPES" and self.provider is not None:
            return self.provider.scopes
        return super().get_settings(attr, *args)

    def get_extra_params(self, request):
        return {"acr_values": self.provider.acr_values} if self.provider.acr_values else {}

    def get(self, request, slug):
        self.provider = sso.provider(slug)
        if self.provider is None:
            raise Http404
        try:
            endpoints = sso.endpoints(self.provider)
        except sso.Unavailable:
            return _sso_refused(request, "unavailable", provider_slug=slug, status=502, record=False)
        self.OIDC_OP_AUTH_ENDPOINT = endpoints["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        entry = request.session["oidc_states"][state]
        entry["provider"] = slug
        entry["next"] = request.session.pop("oidc_login_next", None) or ""
        request.session.modified = True
        return response


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider with a code. The state must be one this browser started, not used before
    and not older than sso.STATE_SECONDS; it is removed before anything else. Then the backend trades
    the code (with the PKCE verifier) for tokens and checks the ID token. A provider that does
    multi-factor logs the user in; otherwise a user with a two-factor device still gives a code."""

    def get(self, request):
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if isinstance(states, dict) and state else None
        if entry is not None:
            # Saved at once, so a replay of this answer finds the state gone even if this request fails.
            request.session.modified = True
            request.session.save()
        provider = sso.provider(entry.get("provider", "")) if entry else None
        if provider is None:
            # Not a login this browser started, or one already answered: logged, not audited, so that
            # requests made up by anyone cannot fill the audit log.
            return _sso_refused(request, "state", provider_slug="-", status=400, record=False)
        if time.time() - entry.get("added_on", 0) > sso.STATE_SECONDS:
            return _sso_refused(request, "state", provider_slug=provider.slug, status=400)
        if request.GET.get("error"):
            return _sso_refused(request, "cancelled", provider_slug=provider.slug, status=400, record=False)
        # RFC 9207: a provider that names itself in its answer must be the one this login went to.
        if "iss" in request.GET and request.GET["iss"] != provider.issuer:
            return _sso_refused(request, "issuer", provider_slug=provider.slug)
        if not request.GET.get("code"):
            return _sso_refused(request, "state", provider_slug=provider.slug, status=400)
        try:
            user = auth.authenticate(
                request, provider=provider, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except sso.Refused as refusal:
            return _sso_refused(request, refusal.reason, provider_slug=provider.slug, user=refusal.user)
        except sso.Unavailable:
            return _sso_refused(request, "unavailable", provider_slug=provider.slug, status=502, record=False)
        if user is None:
            return _sso_refused(request, "token", provider_slug=provider.slug)
        self.user, self.provider = user, provider
        self.next_url = entry.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
        return self.login_success()

    def login_success(self):
        request, user, provider = self.request, self.user, self.provider
        sso.sso_login_record(user=user, provider_slug=provider.slug)
        if not provider.mfa and services.confirmed_device(user) is not None:
            # As after a right password: a new session key, then the code step.
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.next_url,
                "sso": provider.label,
            }
            return redirect("accounts:login_code")
        response = _complete_login(
            request, user, user.backend, self.next_url, trust=provider.mfa or not _required(user)
        )
        if provider.mfa:
            # The provider's login was multi-factor: no enrolment of our own is asked for.
            request.session[TWO_FACTOR_OK] = True
        return response


# --- the account's security page ---------------------------------------------------------------


def _required(user) -> bool:
    return settings.FASTHOLD_2FA_REQUIRED and services.two_factor_required(user)


@require_GET
def security(request):
    device = services.confirmed_device(request.user)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "required": _required(request.user),
            "codes_left": services.recovery_codes_left(request.user) if device else 0,
            "idle_minutes": settings.FASTHOLD_SESSION_IDLE_SECONDS // 60,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )


def _qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code (segno: pure Python, no image files)."""
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff"))


@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if services.confirmed_device(user):
        return redirect("accounts:security")
    device = services.device_start(user=user)
    form = forms.CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = services.device_confirm(user=user, code=form.cleaned_data["code"])
            except NotAllowed:
                return redirect("accounts:security")
            except services.InvalidCode:
                form.add_error(
                    "code",
                    _(
                        "That code is not right. Check that the app shows a Fasthold entry and enter the code it shows now; if the code changes while you type, use the new one."
                    ),
                )
            else:
                request.session[SHOW_CODES] = codes
                request.session[TWO_FACTOR_OK] = True
                messages.success(
                    request,
                    _("Two-factor login is on. From now on you log in with your password and a code from your app."),
                )
                return _trust_browser(request, redirect("accounts:recovery_codes_show"), user)
        status = 400
    uri = totp.provisioning_uri(device.secret, user.username)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": _qr_svg(uri),
            "secret": totp.group(device.secret),
            "required": _required(user),
        },
        status=status,
    )


@require_GET
def recovery_codes_show(request):
    """The new recovery codes, once: they are taken out of the session as they are shown."""
    codes = request.session.pop(SHOW_CODES, None)
    if not codes:
        return redirect("accounts:security")
    response = render(request, "accounts/recovery_codes_show.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


def _code_confirmed_action(request, *, template, action, context):
    """A change to two-factor confirmed with a current code: wrong codes count towards the lock,
    so a left-open session cannot be used to guess one."""
    user = request.user
    form = forms.CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = services.client_ip(request)
        device = _device(request, user.username)
        refusal = services.login_gate(username=user.username, ip=ip, device=device, password=False)
        if refusal is not None:
            return _refused(request, template, {**context, "form": form}, refusal)
        if form.is_valid():
            try:
                return action(form.cleaned_data["code"])
            except NotAllowed:
                return redirect("accounts:security")
            except services.InvalidCode as error:
                until = services.login_failure_record(
                    username=user.username, ip=ip, kind=AttemptKind.CODE, user=user, device=device
                )
                if until is not None:
                    return _locked(request, template, {**context, "form": form}, until)
                form.add_error(
                    "code",
                    _("This code has already been used. Wait for the next code in your app and enter that one.")
                    if error.replayed
                    else _("That code is not right. Enter the code your app shows now."),
                )
        status = 400
    return render(request, template, {**context, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    if services.confirmed_device(request.user) is None:
        return redirect("accounts:security")

    def renew(code):
        request.session[SHOW_CODES] = services.recovery_codes_renew(user=request.user, code=code)
        return redirect("accounts:recovery_codes_show")

    return _code_confirmed_action(
        request,
        template="accounts/recovery_codes.html",
        action=renew,
        context={"codes_left": services.recovery_codes_left(request.user)},
    )


@require_http_methods(["GET", "POST"])
def turn_off(request):
    if services.confirmed_device(request.user) is None:
        return redirect("accounts:security")
    if _required(request.user):
        return render(request, "accounts/turn_off.html", {"required": True}, status=403)

    def disable(code):
        services.device_disable(user=request.user, code=code)
        messages.success(request, _("Two-factor login is off. You now log in with your password only."))
        return redirect("accounts:security")

    return _code_confirmed_action(request, template="accounts/turn_off.html", action=disable, context={})
