"""Login rate limiting: 5 failures per username, 30 per address, in a sliding 15-minute window."""

import datetime as dt

from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from fasthold.accounts import lockout, services
from fasthold.accounts.models import LoginAttempt
from fasthold.audit.models import AuditAction, AuditEntry
from tests.accounts.base import SecurityTestCase


def age_attempts(minutes: int) -> None:
    LoginAttempt.objects.update(occurred_at=timezone.now() - dt.timedelta(minutes=minutes))


class UsernameLimitTest(SecurityTestCase):
    def fail_login(self, username="koordinator", times=1, **extra):
        return [self.password_step(username, "wrong-password", **extra) for _ in range(times)][-1]

    def test_five_wrong_passwords_lock_the_username_with_429_and_when_to_try_again(self):
        response = self.fail_login(times=4)
        assert response.status_code == 200
        self.assertContains(response, "Please enter a correct username and password")
        response = self.fail_login()
        assert response.status_code == 429
        until = timezone.localtime(LoginAttempt.objects.order_by("occurred_at").first().occurred_at + lockout.WINDOW)
        self.assertContains(response, f"You can try again at {until:%H:%M}.", status_code=429)
        assert 0 < int(response["Retry-After"]) <= 15 * 60
        # The right password is refused too, without being checked, until the window passes.
        response = self.password_step("koordinator")
        assert response.status_code == 429
        assert self.logged_in_as() is None
        assert LoginAttempt.objects.count() == 5
        assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor=self.users["koordinator"]).count() == 5
        locked = AuditEntry.objects.get(action=AuditAction.LOGIN_LOCKED)
        assert locked.actor == self.users["koordinator"] and locked.fields == ["password"]

        age_attempts(16)
        self.assertRedirects(self.password_step("koordinator"), reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_as() == "koordinator"
        # A complete login forgets the user's own failures.
        assert not LoginAttempt.objects.filter(username_key=services.username_key("koordinator")).exists()

    def test_lock_message_in_danish(self):
        self.client.cookies.pop("django_language")
        response = self.fail_login(times=5)
        self.assertContains(response, "Du kan prøve igen kl.", status_code=429)

    def test_usernames_count_casefolded_and_are_not_stored(self):
        self.fail_login("KOORDINATOR", times=2)
        self.fail_login("Koordinator", times=2)
        self.fail_login(" koordinator", times=1)
        assert self.password_step("koordinator").status_code == 429
        values = list(LoginAttempt.objects.values_list("username_key", "kind", "ip"))
        assert len(values) == 5
        assert all("koordinator" not in str(row).lower() and "wrong-password" not in str(row) for row in values)

    def test_an_unknown_username_behaves_like_a_known_one(self):
        known = [self.password_step("koordinator", "wrong-password").status_code for _ in range(5)]
        unknown = [self.password_step("nobody-here", "wrong-password").status_code for _ in range(5)]
        assert known == unknown == [200, 200, 200, 200, 429]
        assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor=None).count() == 5
        assert AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED, actor=None).count() == 1

    def test_empty_fields_are_not_counted(self):
        for _ in range(6):
            response = self.client.post(reverse("login"), {"username": "koordinator", "password": ""})
            assert response.status_code == 200
        assert not LoginAttempt.objects.exists()

    def test_wrong_two_factor_codes_lock_the_same_way(self):
        self.give_device("koordinator")
        self.password_step("koordinator")
        right = {self.code(steps=s) for s in (-1, 0, 1)}
        wrong = next(c for c in ("123456", "654321", "111111") if c not in right)
        statuses = [self.code_step(wrong).status_code for _ in range(5)]
        assert statuses == [400, 400, 400, 400, 429]
        response = self.code_step(self.code())
        self.assertContains(response, "You can try again at", status_code=429)
        assert self.logged_in_as() is None
        assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).count() == 5
        assert AuditEntry.objects.get(action=AuditAction.LOGIN_LOCKED).fields == ["code"]
        age_attempts(16)
        self.assertRedirects(self.code_step(self.code()), reverse("home"), fetch_redirect_response=False)

    def test_wrong_codes_when_turning_off_count_too(self):
        self.give_device("laeser")
        self.client.force_login(self.users["laeser"])
        right = {self.code(steps=s) for s in (-1, 0, 1)}
        wrong = next(c for c in ("123456", "654321", "111111") if c not in right)
        statuses = [self.client.post(reverse("accounts:turn_off"), {"code": wrong}).status_code for _ in range(6)]
        assert statuses == [400, 400, 400, 400, 429, 429]


class AddressLimitTest(SecurityTestCase):
    def test_thirty_failures_from_one_address_lock_it_for_every_username(self):
        for i in range(29):
            assert self.password_step(f"guess{i}", "wrong-password").status_code == 200
        assert self.password_step("guess29", "wrong-password").status_code == 429
        assert self.password_step("koordinator").status_code == 429
        # Another address is not affected.
        self.assertRedirects(self.password_step("leder", REMOTE_ADDR="192.0.2.7"), reverse("home"),
                             fetch_redirect_response=False)
        age_attempts(16)
        self.client.post(reverse("logout"))
        self.assertRedirects(self.password_step("laeser"), reverse("home"), fetch_redirect_response=False)


class ClientAddressTest(SecurityTestCase):
    def request(self, **meta):
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)

    def test_forwarded_for_is_used_only_behind_trusted_proxies(self):
        forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.5"}
        with override_settings(FASTHOLD_TRUSTED_PROXIES=0):
            assert services.client_ip(self.request(**forwarded)) == "10.0.0.1"
        with override_settings(FASTHOLD_TRUSTED_PROXIES=1):
            assert services.client_ip(self.request(**forwarded)) == "203.0.113.5"
            assert services.client_ip(self.request()) == "10.0.0.1"
            assert services.client_ip(self.request(HTTP_X_FORWARDED_FOR="not an address")) is None
        with override_settings(FASTHOLD_TRUSTED_PROXIES=2):
            assert services.client_ip(self.request(**forwarded)) == "198.51.100.9"

    def test_old_attempts_are_pruned(self):
        services.login_failure_record(username="a", ip="10.0.0.1", kind="password")
        age_attempts(60 * 25)
        services.login_failure_record(username="b", ip="10.0.0.1", kind="password")
        assert LoginAttempt.objects.count() == 1

    def test_a_lock_from_the_service_lifts_after_the_window(self):
        for _ in range(5):
            services.login_failure_record(username="x", ip=None, kind="code")
        until = services.login_locked_until(username="X", ip=None)
        assert until is not None and timezone.now() < until <= timezone.now() + lockout.WINDOW
        assert services.login_locked_until(username="x", ip=None, now=until + dt.timedelta(seconds=1)) is None
