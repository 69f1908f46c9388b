"""Single sign-on against a real OpenID Connect provider (tests/sso/op.mjs, running on 127.0.0.1): the
whole authorisation-code flow with PKCE, driven by Django's test client on our side and real HTTP on the
provider's. Personas from the demo world: Kurt (employee), Karen Holm (koordinator, two-factor)."""

import logging
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.test import override_settings
from django.urls import reverse

from fasthold.accounts import sso
from fasthold.accounts.middleware import TWO_FACTOR_OK
from fasthold.accounts.models import ExternalIdentity, User
from fasthold.audit.models import AuditAction, AuditEntry
from tests.accounts.base import SecurityTestCase
from tests.sso import oidc_op

UNKNOWN = "Your login is not linked to a user in Fasthold. Use the link in your invitation"
NOT_VERIFIED = "The answer from the identity provider could not be verified"
STATE = "This login has already been used, or it took too long."


class SSOTestCase(SecurityTestCase):
    """The demo world with two-factor required, and the local provider configured (as `local`,
    `wrong-audience` and `expired`)."""

    @classmethod
    def setUpClass(cls):
        cls.issuer = oidc_op.running(oidc_op.TEST_CLIENT_CALLBACK)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ExternalIdentity.objects.create(user=cls.users["kurt"], provider="local", subject="sub-kurt")
        ExternalIdentity.objects.create(user=cls.users["koordinator"], provider="local", subject="sub-karen")

    def setUp(self):
        super().setUp()
        sso.discovery_forget()
        self.configure()

    def configure(self, **changes):
        override = override_settings(FASTHOLD_OIDC_PROVIDERS=oidc_op.providers(self.issuer, **changes))
        override.enable()
        self.addCleanup(override.disable)

    def start(self, slug="local", next_url=""):
        response = self.client.get(sso.start_url(slug, next_url))
        self.assertEqual(response.status_code, 302)
        return response["Location"]

    def sso_login(self, username, slug="local", next_url="", password=None):
        """Start at Fasthold, log in at the provider, and come back: the callback's response, and the
        callback URL (to replay)."""
        callback = oidc_op.log_in_at_provider(
            self.start(slug, next_url), username, password, stop_at=oidc_op.TEST_CLIENT_CALLBACK
        )
        return self.client.get(callback), callback

    def assertRefused(self, response, status, text, reason):
        self.assertEqual(response.status_code, status)
        self.assertContains(response, text, status_code=status)
        self.assertIsNone(self.logged_in_as())
        entry = AuditEntry.objects.order_by("-id").first()
        self.assertEqual(entry.action, AuditAction.LOGIN_FAILED)
        self.assertIn(reason, entry.fields)


class LoginTests(SSOTestCase):
    def test_the_authorisation_request_uses_pkce_state_and_nonce(self):
        query = parse_qs(urlsplit(self.start()).query)
        self.assertEqual(query["code_challenge_method"], ["S256"])
        self.assertEqual(query["client_id"], ["fasthold"])
        self.assertEqual(query["redirect_uri"], [oidc_op.TEST_CLIENT_CALLBACK])
        self.assertEqual(query["scope"], ["openid profile"])
        for name in ("code_challenge", "state", "nonce"):
            self.assertGreaterEqual(len(query[name][0]), 32, name)

    def test_an_employee_logs_in_end_to_end_and_lands_where_asked(self):
        response, _ = self.sso_login("kurt", next_url="/me/")
        self.assertRedirects(response, "/me/", fetch_redirect_response=False)
        self.assertEqual(self.logged_in_as(), "kurt")
        identity = ExternalIdentity.objects.get(user=self.users["kurt"])
        self.assertIsNotNone(identity.last_login_at)
        self.assertEqual(self.client.get("/me/").status_code, 200)

    def test_an_unsafe_next_is_ignored(self):
        response, _ = self.sso_login("kurt", next_url="https://evil.example/")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_staff_with_a_device_still_give_a_code_after_a_provider_without_mfa(self):
        self.give_device("koordinator")
        response, _ = self.sso_login("karen", next_url="/cases/")
        self.assertRedirects(response, reverse("accounts:login_code"), fetch_redirect_response=False)
        self.assertIsNone(self.logged_in_as())
        page = self.client.get(reverse("accounts:login_code"))
        self.assertContains(page, "You have logged in with Test-IdP.")
        response = self.code_step(self.code())
        self.assertRedirects(response, "/cases/", fetch_redirect_response=False)
        self.assertEqual(self.logged_in_as(), "koordinator")

    def test_a_provider_with_mfa_is_not_followed_by_our_code_step(self):
        self.configure(mfa=True)
        self.give_device("koordinator")
        response, _ = self.sso_login("karen")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.logged_in_as(), "koordinator")
        self.assertTrue(self.client.session[TWO_FACTOR_OK])
        self.assertEqual(self.client.get("/cases/").status_code, 200)

    def test_staff_without_a_device_are_sent_to_enrol_after_a_provider_without_mfa(self):
        response, _ = self.sso_login("karen")
        self.assertEqual(self.logged_in_as(), "koordinator")
        self.assertRedirects(self.client.get("/cases/"), reverse("accounts:enrol"), fetch_redirect_response=False)

    def test_the_login_never_logs_the_subject_or_a_token(self):
        with self.assertLogs("fasthold.accounts", level=logging.DEBUG) as logs:
            logging.getLogger("fasthold.accounts").debug("start")
            self.sso_login("kurt")
            self.client.logout()
            self.sso_login("stranger")
        text = "\n".join(logs.output)
        self.assertIn(f"sso login user={self.users['kurt'].pk} provider=local", text)
        self.assertIn("sso login refused provider=local reason=unknown_subject", text)
        for secret in ("sub-kurt", "sub-stranger", "eyJ", "Kurt Jensen", "Stranger"):
            self.assertNotIn(secret, text)


class RefusalTests(SSOTestCase):
    def test_an_unknown_subject_is_refused_and_nothing_is_created(self):
        users, identities = User.objects.count(), ExternalIdentity.objects.count()
        response, _ = self.sso_login("stranger")
        self.assertRefused(response, 403, UNKNOWN, "unknown_subject")
        self.assertEqual(User.objects.count(), users)
        self.assertEqual(ExternalIdentity.objects.count(), identities)
        self.assertEqual(AuditEntry.objects.order_by("-id").first().fields, ["sso:local", "unknown_subject"])

    def test_the_refusal_is_in_danish_by_default(self):
        del self.client.cookies["django_language"]
        response, _ = self.sso_login("stranger")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, '<html lang="da">', status_code=403)

    def test_a_wrong_audience_is_refused(self):
        ExternalIdentity.objects.create(user=self.users["bodil"], provider="wrong-audience", subject="sub-kurt")
        response, _ = self.sso_login("kurt", slug="wrong-audience")
        self.assertRefused(response, 403, NOT_VERIFIED, "audience")

    def test_an_expired_token_is_refused(self):
        ExternalIdentity.objects.create(user=self.users["bodil"], provider="expired", subject="sub-kurt")
        response, _ = self.sso_login("kurt", slug="expired")
        self.assertRefused(response, 403, NOT_VERIFIED, "expired")

    def test_a_replayed_state_is_refused_in_the_same_browser_and_in_another(self):
        response, callback = self.sso_login("kurt")
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.client.cookies["django_language"] = "en"  # logging out cleared the cookies
        audit_rows = AuditEntry.objects.count()
        with self.assertLogs("fasthold.accounts", level=logging.INFO) as logs:
            response = self.client.get(callback)
        self.assertContains(response, STATE, status_code=400)
        self.assertIsNone(self.logged_in_as())
        self.assertIn("sso login not completed provider=- reason=state", logs.output[0])
        other = self.client_class()
        other.cookies["django_language"] = "en"
        response = other.get(callback)
        self.assertContains(response, STATE, status_code=400)
        # Made-up or replayed answers are logged, not audited: anyone can send them.
        self.assertEqual(AuditEntry.objects.count(), audit_rows)

    def test_a_login_that_took_too_long_is_refused(self):
        authorize = self.start()
        session = self.client.session
        for entry in session["oidc_states"].values():
            entry["added_on"] -= sso.STATE_SECONDS + 1
        session.save()
        callback = oidc_op.log_in_at_provider(authorize, "kurt", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        self.assertRefused(self.client.get(callback), 400, STATE, "state")

    def test_an_answer_naming_another_issuer_is_refused(self):
        callback = oidc_op.log_in_at_provider(self.start(), "kurt", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        parts = urlsplit(callback)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.assertEqual(query["iss"], self.issuer)
        query["iss"] = "https://evil.example"
        response = self.client.get(urlunsplit(parts._replace(query=urlencode(query))))
        self.assertRefused(response, 403, NOT_VERIFIED, "issuer")

    def test_a_code_not_from_the_provider_is_refused(self):
        callback = oidc_op.log_in_at_provider(self.start(), "kurt", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        parts = urlsplit(callback)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["code"] = "made-up"
        response = self.client.get(urlunsplit(parts._replace(query=urlencode(query))))
        self.assertRefused(response, 403, NOT_VERIFIED, "code")

    def test_a_deactivated_user_is_refused(self):
        User.objects.filter(username="kurt").update(is_active=False)
        response, _ = self.sso_login("kurt")
        self.assertRefused(response, 403, "Your user in Fasthold has been closed", "inactive")

    def test_a_login_cancelled_at_the_provider_logs_nobody_in(self):
        state = parse_qs(urlsplit(self.start()).query)["state"][0]
        response = self.client.get(reverse("accounts:sso_callback"), {"error": "access_denied", "state": state})
        self.assertContains(response, "The login was cancelled", status_code=400)
        self.assertIsNone(self.logged_in_as())

    def test_a_callback_without_a_state_is_refused(self):
        response = self.client.get(reverse("accounts:sso_callback"), {"code": "x"})
        self.assertContains(response, STATE, status_code=400)

    def test_an_unknown_provider_is_404(self):
        self.assertEqual(self.client.get(sso.start_url("nobody")).status_code, 404)

    def test_a_provider_that_does_not_answer_gives_a_clear_502(self):
        self.configure(issuer="http://127.0.0.1:9")
        response = self.client.get(sso.start_url("local"))
        self.assertContains(response, "The identity provider did not answer", status_code=502)


class ClaimerTests(SSOTestCase):
    def register(self, claimer):
        sso.register_identity_claimer(claimer)
        self.addCleanup(sso._claimers.remove, claimer)

    def test_a_claimer_links_an_unknown_subject_once(self):
        calls = []

        def claim(request, provider_slug, subject, claims):
            calls.append((provider_slug, subject, claims.get("name")))
            return self.users["bodil"]

        self.register(claim)
        response, _ = self.sso_login("stranger")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.logged_in_as(), "bodil")
        self.assertEqual(calls, [("local", "sub-stranger", "Stranger Danger")])
        identity = ExternalIdentity.objects.get(provider="local", subject="sub-stranger")
        self.assertEqual(identity.user, self.users["bodil"])
        self.client.logout()
        self.sso_login("stranger")
        self.assertEqual(self.logged_in_as(), "bodil")
        self.assertEqual(len(calls), 1)

    def test_what_a_claimer_wrote_is_undone_when_none_claims(self):
        def half_claim(request, provider_slug, subject, claims):
            sso.link_identity(self.users["bodil"], provider_slug, subject)
            return None

        self.register(half_claim)
        response, _ = self.sso_login("stranger")
        self.assertRefused(response, 403, UNKNOWN, "unknown_subject")
        self.assertFalse(ExternalIdentity.objects.filter(subject="sub-stranger").exists())

    def test_a_claimed_user_already_linked_to_another_subject_is_refused(self):
        self.register(lambda request, provider_slug, subject, claims: self.users["kurt"])
        response, _ = self.sso_login("stranger")
        self.assertRefused(response, 403, "already linked to another login", "conflict")
        self.assertFalse(ExternalIdentity.objects.filter(subject="sub-stranger").exists())

    def test_a_claimed_user_who_is_deactivated_is_refused(self):
        User.objects.filter(username="bodil").update(is_active=False)
        self.register(lambda request, provider_slug, subject, claims: User.objects.get(username="bodil"))
        response, _ = self.sso_login("stranger")
        self.assertRefused(response, 403, "Your user in Fasthold has been closed", "inactive")
        self.assertFalse(ExternalIdentity.objects.filter(subject="sub-stranger").exists())


class LoginPageTests(SSOTestCase):
    def test_one_button_per_provider_carrying_next(self):
        response = self.client.get(reverse("login"), {"next": "/cases/"})
        self.assertContains(response, "Log in with Test-IdP")
        self.assertContains(response, 'href="/account/sso/local/start/?next=%2Fcases%2F"')
        self.assertContains(response, "Log in with Test-IdP (wrong audience)")

    def test_no_providers_no_buttons(self):
        with override_settings(FASTHOLD_OIDC_PROVIDERS={}):
            response = self.client.get(reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Log in with")
        self.assertNotContains(response, "/account/sso/")

    def test_passwords_still_work_beside_sso(self):
        response = self.password_step("kurt")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.logged_in_as(), "kurt")


class LinkIdentityTests(SSOTestCase):
    def test_linking_is_idempotent_and_one_subject_per_user_and_provider(self):
        kurt, bodil = self.users["kurt"], self.users["bodil"]
        self.assertEqual(sso.link_identity(kurt, "local", "sub-kurt").user, kurt)
        with self.assertRaises(sso.IdentityConflict):
            sso.link_identity(bodil, "local", "sub-kurt")
        with self.assertRaises(sso.IdentityConflict):
            sso.link_identity(kurt, "local", "another-subject")
        self.assertEqual(sso.link_identity(kurt, "other", "sub-kurt").provider, "other")
