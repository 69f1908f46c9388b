"""Enrolment, the code step at login, replay, recovery codes, turning off, and who must use it."""

import time

from django.test import RequestFactory, override_settings
from django.urls import reverse

from fasthold.accounts import services, totp
from fasthold.accounts.middleware import TWO_FACTOR_OK, TwoFactorRequiredMiddleware
from fasthold.accounts.models import RecoveryCode, TwoFactorDevice, User
from fasthold.accounts.views import PENDING, PENDING_SECONDS
from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.organisations.models import Membership, Organisation, OrganisationKind, OrgRole
from tests.accounts.base import SECRET, SecurityTestCase


class WhoMustUseTwoFactorTest(SecurityTestCase):
    def test_coordinators_admins_and_health_professionals_must_others_may(self):
        required = {name: services.two_factor_required(user) for name, user in self.users.items()}
        assert required == {
            "koordinator": True,
            "kollega": True,
            "admin": True,
            "anden": True,
            "psykolog": True,
            "laeser": False,
            "leder": False,
            "chef": False,
            "kurt": False,
            "bodil": False,
        }

    def test_a_health_professional_membership_requires_it_before_the_first_case(self):
        user = User.objects.create_user("fysio", password="x")
        assert services.two_factor_required(user) is False
        practice = Organisation.objects.create(kind=OrganisationKind.HEALTH_PRACTICE, name="Fysio Nord")
        Membership.objects.create(user=user, organisation=practice, role=OrgRole.HEALTH_PROFESSIONAL)
        assert services.two_factor_required(user) is True


class EnrolmentTest(SecurityTestCase):
    def test_required_user_enrols_with_a_code_and_sees_ten_recovery_codes_once(self):
        koordinator = self.users["koordinator"]
        self.client.force_login(koordinator)
        response = self.client.get(reverse("cases:list"))
        self.assertRedirects(response, reverse("accounts:enrol"))

        response = self.client.get(reverse("accounts:enrol"))
        assert response.status_code == 200
        device = TwoFactorDevice.objects.get(user=koordinator)
        assert device.confirmed_at is None
        self.assertContains(response, "<svg")
        self.assertContains(response, totp.group(device.secret))
        self.assertContains(response, "health information about other people")
        # A reload shows the same secret: the app may already hold it.
        self.client.get(reverse("accounts:enrol"))
        assert TwoFactorDevice.objects.get(user=koordinator).secret == device.secret

        response = self.client.post(
            reverse("accounts:enrol"), {"code": "000000" if self.code(device.secret) != "000000" else "111111"}
        )
        assert response.status_code == 400
        self.assertContains(response, "That code is not right", status_code=400)
        assert TwoFactorDevice.objects.get(user=koordinator).confirmed_at is None

        response = self.client.post(reverse("accounts:enrol"), {"code": self.code(device.secret)})
        self.assertRedirects(response, reverse("accounts:recovery_codes_show"), fetch_redirect_response=False)
        device.refresh_from_db()
        assert device.confirmed_at is not None
        assert device.last_used_step is not None

        response = self.client.get(reverse("accounts:recovery_codes_show"))
        codes = response.context["codes"]
        assert len(codes) == 10
        stored = set(RecoveryCode.objects.filter(user=koordinator).values_list("code_hash", flat=True))
        assert stored == {totp.hash_recovery_code(c) for c in codes}
        assert not stored & set(codes)
        assert response["Cache-Control"] == "no-store"
        # Shown once.
        self.assertRedirects(self.client.get(reverse("accounts:recovery_codes_show")), reverse("accounts:security"))
        assert self.client.get(reverse("cases:list")).status_code == 200

        entry = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_ENABLED)
        assert entry.actor == koordinator
        assert entry.organisation == self.world.orgs["jobcentre"]

    def test_malformed_code_is_a_clear_400_and_nothing_changes(self):
        self.client.force_login(self.users["laeser"])
        self.client.get(reverse("accounts:enrol"))
        for typed, message in [("", "Enter the six digits"), ("12ab56", "six digits, for example")]:
            response = self.client.post(reverse("accounts:enrol"), {"code": typed})
            self.assertContains(response, message, status_code=400)
        assert not TwoFactorDevice.objects.filter(confirmed_at__isnull=False).exists()

    def test_enrolled_user_is_sent_from_enrolment_to_the_security_page(self):
        self.give_device("laeser")
        self.client.force_login(self.users["laeser"])
        self.assertRedirects(self.client.get(reverse("accounts:enrol")), reverse("accounts:security"))

    def test_security_page_is_in_the_navigation_and_says_whether_it_is_required(self):
        self.client.force_login(self.users["laeser"])
        response = self.client.get(reverse("accounts:security"))
        self.assertContains(response, f'href="{reverse("accounts:security")}"')
        self.assertContains(response, "Two-factor login is off.")
        self.assertContains(response, "It is your choice")
        self.give_device("psykolog")
        self.client.force_login(self.users["psykolog"])
        response = self.client.get(reverse("accounts:security"))
        self.assertContains(response, "Two-factor login is on.")
        self.assertContains(response, "It is required for you")
        self.assertNotContains(response, reverse("accounts:turn_off"))


class RequiredWithoutDeviceTest(SecurityTestCase):
    def test_required_user_without_device_reaches_only_enrolment_logout_and_language(self):
        self.client.force_login(self.users["psykolog"])
        bodil = self.world.bodil
        for url in [
            reverse("home"),
            reverse("cases:list"),
            reverse("cases:detail", args=[bodil.public_id]),
            reverse("deadlines:dashboard"),
            reverse("audit"),
            reverse("guidance:index"),
            reverse("accounts:turn_off"),
            reverse("accounts:recovery_codes"),
        ]:
            self.assertRedirects(
                self.client.get(url), reverse("accounts:enrol"), fetch_redirect_response=False, msg_prefix=url
            )
        response = self.client.post(reverse("cases:list"))
        self.assertRedirects(response, reverse("accounts:enrol"), fetch_redirect_response=False)
        response = self.client.get(reverse("cases:list"), headers={"HX-Request": "true"})
        assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:enrol")
        assert self.client.get(reverse("accounts:enrol")).status_code == 200
        assert self.client.get(reverse("accounts:security")).status_code == 200
        response = self.client.post(reverse("set_language"), {"language": "da", "next": "/account/security/enrol/"})
        self.assertRedirects(response, "/account/security/enrol/", fetch_redirect_response=False)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"))
        assert self.logged_in_as() is None

    def test_optional_user_and_the_setting_off_are_not_redirected(self):
        self.client.force_login(self.users["laeser"])
        assert self.client.get(reverse("cases:list")).status_code == 200
        with override_settings(FASTHOLD_2FA_REQUIRED=False):
            self.client.force_login(self.users["koordinator"])
            assert self.client.get(reverse("cases:list")).status_code == 200

    def test_the_check_costs_no_query_once_settled(self):
        self.give_device("koordinator")
        self.client.force_login(self.users["koordinator"])
        self.client.get(reverse("cases:list"))
        request = RequestFactory().get("/cases/")
        request.user = self.users["koordinator"]
        request.session = self.client.session
        assert request.session[TWO_FACTOR_OK] is True
        with self.assertNumQueries(0):
            assert TwoFactorRequiredMiddleware(lambda r: None).process_view(request, None, (), {}) is None


class LoginWithCodeTest(SecurityTestCase):
    def test_password_then_code_and_only_then_logged_in(self):
        self.give_device("koordinator")
        response = self.password_step("koordinator", next_url="/calendar/")
        self.assertRedirects(response, reverse("accounts:login_code"))
        assert self.logged_in_as() is None
        self.assertRedirects(self.client.get(reverse("cases:list")), f"{reverse('login')}?next=/cases/")
        response = self.client.get(reverse("accounts:login_code"))
        self.assertContains(response, "Enter the code from your app")
        self.assertNotContains(response, "Demo only")
        response = self.code_step(self.code())
        self.assertRedirects(response, "/calendar/", fetch_redirect_response=False)
        assert self.logged_in_as() == "koordinator"
        assert PENDING not in self.client.session
        assert self.client.get(reverse("cases:list")).status_code == 200

    def test_a_user_without_device_logs_in_with_the_password_alone(self):
        response = self.password_step("leder")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_as() == "leder"

    def test_unsafe_next_falls_back_to_home(self):
        self.give_device("koordinator")
        self.password_step("koordinator", next_url="https://evil.example/")
        response = self.code_step(self.code())
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_wrong_code_is_refused_and_audited(self):
        self.give_device("koordinator")
        self.password_step("koordinator")
        right = {self.code(steps=s) for s in (-1, 0, 1)}
        wrong = next(c for c in ("123456", "654321", "111111", "222222") if c not in right)
        response = self.code_step(wrong)
        self.assertContains(response, "That code is not right", status_code=400)
        assert self.logged_in_as() is None
        entry = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_FAILED)
        assert entry.actor == self.users["koordinator"] and entry.fields == ["code"]
        # A malformed code is a 400 too, and does not count as a guess.
        self.assertContains(self.code_step("12"), "six digits", status_code=400)
        assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).count() == 1

    def test_a_code_is_never_accepted_twice(self):
        device = self.give_device("koordinator")
        self.password_step("koordinator")
        code = self.code()
        self.assertRedirects(self.code_step(code), reverse("home"), fetch_redirect_response=False)
        self.client.post(reverse("logout"))
        self.password_step("koordinator")
        response = self.code_step(code)
        self.assertContains(response, "already been used", status_code=400)
        assert self.logged_in_as() is None
        # The next code is fine.
        device.refresh_from_db()
        next_code = totp.code_at(SECRET, (device.last_used_step + 1) * totp.STEP_SECONDS)
        self.assertRedirects(self.code_step(next_code), reverse("home"), fetch_redirect_response=False)

    def test_a_code_older_than_the_last_used_one_is_refused(self):
        step = totp.time_step(time.time())
        self.give_device("koordinator", last_used_step=step)
        self.password_step("koordinator")
        self.assertContains(self.code_step(self.code(steps=-1)), "already been used", status_code=400)

    def test_code_step_without_or_after_the_pending_login_sends_back_to_the_password(self):
        self.assertRedirects(self.client.get(reverse("accounts:login_code")), reverse("login"))
        self.give_device("koordinator")
        self.password_step("koordinator")
        session = self.client.session
        session[PENDING]["at"] -= PENDING_SECONDS + 1
        session.save()
        response = self.code_step(self.code(), follow=True)
        self.assertRedirects(response, reverse("login"))
        self.assertContains(response, "took too long")
        assert self.logged_in_as() is None

    def test_session_key_changes_at_both_steps(self):
        self.give_device("koordinator")
        self.client.get(reverse("login"))
        first = self.client.session.session_key
        self.password_step("koordinator")
        second = self.client.session.session_key
        self.code_step(self.code())
        assert len({first, second, self.client.session.session_key}) == 3

    def test_a_device_on_means_a_code_even_with_the_requirement_off(self):
        self.give_device("laeser")
        with override_settings(FASTHOLD_2FA_REQUIRED=False):
            self.assertRedirects(self.password_step("laeser"), reverse("accounts:login_code"))
            assert self.logged_in_as() is None


class RecoveryCodeTest(SecurityTestCase):
    def enrol(self, username):
        user = self.users[username]
        device = services.device_start(user=user)
        return device, services.device_confirm(user=user, code=totp.code_at(device.secret, time.time()))

    def test_each_recovery_code_logs_in_once(self):
        _, codes = self.enrol("koordinator")
        self.password_step("koordinator")
        response = self.client.post(
            reverse("accounts:login_recovery"), {"code": codes[3].lower().replace("-", " ")}, follow=True
        )
        assert self.logged_in_as() == "koordinator"
        self.assertContains(response, "you have 9 left")
        self.client.post(reverse("logout"))
        self.password_step("koordinator")
        response = self.client.post(reverse("accounts:login_recovery"), {"code": codes[3]})
        self.assertContains(response, "used before", status_code=400)
        assert self.logged_in_as() is None
        response = self.client.post(reverse("accounts:login_recovery"), {"code": "ABC"})
        self.assertContains(response, "ten letters and digits", status_code=400)

    def test_new_recovery_codes_need_a_code_and_replace_the_old(self):
        device, old = self.enrol("laeser")
        self.client.force_login(self.users["laeser"])
        response = self.client.get(reverse("accounts:recovery_codes"))
        self.assertContains(response, "You have 10 unused recovery codes.")
        response = self.client.post(reverse("accounts:recovery_codes"), {"code": "12345"})
        assert response.status_code == 400
        device.refresh_from_db()
        code = totp.code_at(device.secret, (device.last_used_step + 1) * totp.STEP_SECONDS)
        response = self.client.post(reverse("accounts:recovery_codes"), {"code": code})
        self.assertRedirects(response, reverse("accounts:recovery_codes_show"), fetch_redirect_response=False)
        new = self.client.get(reverse("accounts:recovery_codes_show")).context["codes"]
        hashes = set(RecoveryCode.objects.filter(user=self.users["laeser"]).values_list("code_hash", flat=True))
        assert hashes == {totp.hash_recovery_code(c) for c in new}
        assert not hashes & {totp.hash_recovery_code(c) for c in old}
        assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, fields=["recovery_codes"]).count() == 1


class TurnOffTest(SecurityTestCase):
    def test_optional_user_turns_it_off_with_a_current_code(self):
        self.give_device("laeser")
        RecoveryCode.objects.create(user=self.users["laeser"], code_hash="x" * 64)
        self.client.force_login(self.users["laeser"])
        response = self.client.get(reverse("accounts:security"))
        self.assertContains(response, reverse("accounts:turn_off"))
        assert self.client.get(reverse("accounts:turn_off")).status_code == 200
        right = {self.code(steps=s) for s in (-1, 0, 1)}
        wrong = next(c for c in ("123456", "654321", "111111") if c not in right)
        self.assertContains(
            self.client.post(reverse("accounts:turn_off"), {"code": wrong}), "not right", status_code=400
        )
        assert TwoFactorDevice.objects.filter(user=self.users["laeser"]).exists()
        response = self.client.post(reverse("accounts:turn_off"), {"code": self.code()}, follow=True)
        self.assertRedirects(response, reverse("accounts:security"))
        self.assertContains(response, "Two-factor login is off. You now log in with your password only.")
        assert not TwoFactorDevice.objects.filter(user=self.users["laeser"]).exists()
        assert not RecoveryCode.objects.filter(user=self.users["laeser"]).exists()
        entry = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_DISABLED)
        assert entry.actor == self.users["laeser"] and entry.organisation == self.world.orgs["jobcentre"]
        # And the next login needs the password only.
        self.client.post(reverse("logout"))
        self.password_step("laeser")
        assert self.logged_in_as() == "laeser"

    def test_required_user_cannot_turn_it_off(self):
        self.give_device("koordinator")
        self.client.force_login(self.users["koordinator"])
        self.assertContains(self.client.get(reverse("accounts:turn_off")), "cannot be turned off", status_code=403)
        response = self.client.post(reverse("accounts:turn_off"), {"code": self.code()})
        assert response.status_code == 403
        assert TwoFactorDevice.objects.filter(user=self.users["koordinator"]).exists()
        assert not AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_DISABLED).exists()

    def test_without_a_device_the_turn_off_page_leads_to_the_security_page(self):
        self.client.force_login(self.users["laeser"])
        self.assertRedirects(self.client.get(reverse("accounts:turn_off")), reverse("accounts:security"))


class ResetCommandTest(SecurityTestCase):
    def test_operator_resets_a_lost_device(self):
        from io import StringIO

        from django.core.management import CommandError, call_command

        self.give_device("koordinator")
        RecoveryCode.objects.create(user=self.users["koordinator"], code_hash="x" * 64)
        out = StringIO()
        call_command("two_factor_reset", "koordinator", stdout=out)
        assert "reset" in out.getvalue()
        assert not TwoFactorDevice.objects.filter(user=self.users["koordinator"]).exists()
        assert not RecoveryCode.objects.filter(user=self.users["koordinator"]).exists()
        entry = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_DISABLED)
        assert entry.actor is None and entry.fields == ["reset"] and entry.organisation == self.world.orgs["jobcentre"]
        call_command("two_factor_reset", "koordinator", stdout=out)
        assert "nothing to reset" in out.getvalue()
        with self.assertRaises(CommandError):
            call_command("two_factor_reset", "nobody")
