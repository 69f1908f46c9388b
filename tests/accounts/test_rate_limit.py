"""Login rate limiting: 5 untrusted failures per username in a sliding 15-minute window; 30 failures
from one address slow it down without locking anyone out; a trusted browser (device cookie) is exempt.
The slow-down and device tests run on a controllable clock (services.current_time), never sleeping."""

import datetime as dt
from unittest import mock

from django.core import signing
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from fasthold.accounts import lockout, services
from fasthold.accounts.models import LoginAttempt, TwoFactorDevice
from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.demo import DEMO_PASSWORD
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
        until = services.login_locked_until(username="X")
        assert until is not None and timezone.now() < until <= timezone.now() + lockout.WINDOW
        assert services.login_locked_until(username="x", now=until + dt.timedelta(seconds=1)) is None


class Clock:
    """services.current_time, moved by hand."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class ClockTestCase(SecurityTestCase):
    def setUp(self):
        super().setUp()
        self.clock = Clock()
        patcher = mock.patch.object(services, "current_time", self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.attacker = Client()  # another browser, behind the same address (the test client's 127.0.0.1)
        self.attacker.cookies["django_language"] = "en"
        self.sprayed = 0

    def spray(self, times: int, client=None, **extra) -> list[int]:
        """Wrong passwords for ever new usernames, as a password sprayer sends them."""
        statuses = []
        for _ in range(times):
            self.sprayed += 1
            response = (client or self.attacker).post(
                reverse("login"), {"username": f"guess{self.sprayed}", "password": "Summer2026!"}, **extra
            )
            statuses.append(response.status_code)
        return statuses

    def log_in_fully(self, username="koordinator", steps=0, client=None):
        """Password and code; returns the code step's response (a redirect home when it worked).

        `steps` picks the code of now or of the next step, never of the step before: a code computed
        just before a step boundary and checked just after it is then still inside the window. (The
        previous step's code failed when the boundary fell between the two, about once in fifty runs
        on a loaded machine.) A second login in the same test takes steps=1, so its code is not a replay."""
        client = client or self.client
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        self.assertRedirects(response, reverse("accounts:login_code"), fetch_redirect_response=False)
        return client.post(reverse("accounts:login_code"), {"code": self.code(steps=steps)})


class AddressSlowDownTest(ClockTestCase):
    """A municipality behind one NAT address: one person spraying passwords must not keep a colleague out."""

    def setUp(self):
        super().setUp()
        self.give_device("koordinator")

    def test_thirty_failures_slow_the_address_down_instead_of_locking_it(self):
        # The 31st attempt still gets a check: it takes the address's first slot.
        assert self.spray(31) == [200] * 31
        assert self.spray(1) == [429]
        # A colleague with the right password, no device cookie: asked to wait a few seconds, unchecked.
        with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
            response = self.password_step("koordinator")
        authenticate.assert_not_called()
        self.assertContains(response, "Wait 10 seconds and try again.", status_code=429)
        assert response["Retry-After"] == "10"
        assert self.logged_in_as() is None
        # After the interval the colleague gets in, second factor included.
        self.clock.advance(10)
        self.assertRedirects(
            self.password_step("koordinator"), reverse("accounts:login_code"), fetch_redirect_response=False
        )
        self.assertRedirects(self.code_step(self.code()), reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_as() == "koordinator"
        # Only the sprayer's 31 checks were failures; the colleague's wait was not counted.
        assert LoginAttempt.objects.count() == 31
        assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED).exists()

    def test_a_trusted_browser_gets_in_at_once_behind_a_sprayed_address(self):
        self.assertRedirects(self.log_in_fully(steps=0), reverse("home"), fetch_redirect_response=False)
        self.client.post(reverse("logout"))
        assert self.spray(40)[-1] == 429
        # No clock movement: the device cookie exempts this browser from the address's slow-down.
        self.assertRedirects(self.log_in_fully(steps=1), reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_as() == "koordinator"

    def test_password_checks_per_minute_from_one_address_are_bounded(self):
        self.spray(30)
        checks = []
        for second in range(180):  # a sprayer trying every second for three minutes
            if self.spray(1) != [429]:
                checks.append(second)
            self.clock.advance(1)
        per_minute = 60 // int(lockout.ADDRESS_INTERVAL.total_seconds()) + 1
        assert all(len([c for c in checks if start <= c < start + 60]) <= per_minute for start in range(120))
        assert 15 <= len(checks) <= 19  # slowed to one check in ten seconds, not locked
        assert LoginAttempt.objects.count() == 30 + len(checks)

    def test_parallel_requests_at_one_moment_get_one_check(self):
        self.spray(30)
        assert self.spray(20).count(200) == 1

    def test_empty_submissions_do_not_use_up_the_slot(self):
        self.spray(31)
        self.clock.advance(10)
        for _ in range(3):
            self.client.post(reverse("login"), {"username": "koordinator", "password": ""})
        self.assertRedirects(
            self.password_step("koordinator"), reverse("accounts:login_code"), fetch_redirect_response=False
        )

    def test_a_sprayer_hopping_addresses_within_an_ipv6_64_is_slowed_all_the_same(self):
        statuses = [self.spray(1, REMOTE_ADDR=f"2001:db8:5:6::{i:x}")[0] for i in range(1, 33)]
        assert statuses == [200] * 31 + [429]
        assert self.spray(1, REMOTE_ADDR="2001:db8:5:7::1") == [200]

    def test_other_addresses_and_the_end_of_the_window_are_not_slowed(self):
        self.spray(32)
        self.assertRedirects(
            self.password_step("leder", REMOTE_ADDR="192.0.2.7"), reverse("home"), fetch_redirect_response=False
        )
        self.client.post(reverse("logout"))
        self.clock.advance(16 * 60)
        assert self.spray(5) == [200] * 5


class TrustedBrowserTest(ClockTestCase):
    """Five wrong passwords on someone's name lock untrusted browsers only, never the user's own."""

    ELSEWHERE = {"REMOTE_ADDR": "198.51.100.23"}

    def setUp(self):
        super().setUp()
        self.give_device("koordinator")
        self.assertRedirects(self.log_in_fully(steps=0), reverse("home"), fetch_redirect_response=False)
        self.client.post(reverse("logout"))

    def lock_out(self):
        """Someone else types wrong passwords for koordinator until the name is locked."""
        statuses = [
            self.attacker.post(
                reverse("login"), {"username": "koordinator", "password": "guess"}, **self.ELSEWHERE
            ).status_code
            for _ in range(6)
        ]
        assert statuses == [200, 200, 200, 200, 429, 429]

    def test_the_device_cookie_is_signed_httponly_lax_and_lasts_180_days(self):
        cookie = self.client.cookies[services.DEVICE_COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
        assert int(cookie["max-age"]) == 180 * 24 * 3600
        assert "koordinator" not in cookie.value and services.username_key("koordinator") not in cookie.value

    def test_the_password_alone_does_not_trust_a_browser_where_a_second_factor_is_required(self):
        browser = Client()
        self.assertRedirects(
            browser.post(reverse("login"), {"username": "kollega", "password": DEMO_PASSWORD}),
            reverse("home"),
            fetch_redirect_response=False,
        )
        assert services.DEVICE_COOKIE not in browser.cookies
        browser.get(reverse("accounts:enrol"))
        secret = TwoFactorDevice.objects.get(user=self.users["kollega"]).secret
        response = browser.post(reverse("accounts:enrol"), {"code": self.code(secret)})
        self.assertRedirects(response, reverse("accounts:recovery_codes_show"), fetch_redirect_response=False)
        cookie = browser.cookies[services.DEVICE_COOKIE].value
        assert services.trusted_device(cookie=cookie, username="kollega") is not None

    def test_the_device_cookie_is_secure_over_https(self):
        self.client.post(reverse("login"), {"username": "leder", "password": DEMO_PASSWORD}, secure=True)
        assert self.client.cookies[services.DEVICE_COOKIE]["secure"]

    def test_a_named_user_lock_out_does_not_reach_their_trusted_browser(self):
        self.lock_out()
        self.assertRedirects(self.log_in_fully(steps=1), reverse("home"), fetch_redirect_response=False)
        assert self.logged_in_as() == "koordinator"

    def test_failures_from_a_trusted_browser_count_against_it_only_and_five_end_its_trust(self):
        self.lock_out()
        for _ in range(5):
            assert self.password_step("koordinator", "mistyped").status_code == 200
        assert LoginAttempt.objects.exclude(device_key="").count() == 5
        assert services.login_locked_until(username="koordinator") is not None
        # Five failures: the cookie no longer exempts this browser, and the name is locked for others.
        self.assertContains(self.password_step("koordinator"), "You can try again at", status_code=429)
        locks = [e.fields for e in AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED)]
        assert locks.count(["device", "password"]) == 1

    def test_wrong_codes_from_a_trusted_browser_count_against_it(self):
        self.lock_out()
        self.assertRedirects(
            self.password_step("koordinator"), reverse("accounts:login_code"), fetch_redirect_response=False
        )
        right = {self.code(steps=s) for s in (-1, 0, 1)}
        wrong = next(c for c in ("123456", "654321", "111111") if c not in right)
        assert [self.code_step(wrong).status_code for _ in range(6)] == [400] * 5 + [429]

    def test_a_tampered_or_forged_device_cookie_is_ignored(self):
        self.lock_out()
        genuine = self.client.cookies[services.DEVICE_COOKIE].value
        tampered = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
        entries = [["a-made-up-id", services.username_key("koordinator"), int(self.clock.now.timestamp())]]
        forged = signing.dumps(entries, key="not-our-secret-key", salt="fasthold.accounts.device_cookie")
        unsigned = signing.dumps(entries, salt="another-purpose")
        for value in (tampered, forged, unsigned, "", "garbage"):
            self.client.cookies[services.DEVICE_COOKIE] = value
            self.assertContains(self.password_step("koordinator"), "You can try again at", status_code=429)

    def test_another_users_cookie_or_an_old_one_does_not_count(self):
        self.lock_out()
        leder_browser = Client()
        leder_browser.post(reverse("login"), {"username": "leder", "password": DEMO_PASSWORD})
        self.client.cookies[services.DEVICE_COOKIE] = leder_browser.cookies[services.DEVICE_COOKIE].value
        assert self.password_step("koordinator").status_code == 429
        # A genuine cookie of koordinator's, 181 days on (the lock itself has long lifted by then).
        self.clock.advance(181 * 24 * 3600)
        key = services.trusted_device(cookie=self.client.cookies[services.DEVICE_COOKIE].value, username="koordinator")
        assert key is None

    def test_a_shared_browser_keeps_trust_for_each_of_its_users(self):
        self.client.post(reverse("login"), {"username": "leder", "password": DEMO_PASSWORD})
        cookie = self.client.cookies[services.DEVICE_COOKIE].value
        assert services.trusted_device(cookie=cookie, username="leder") is not None
        assert services.trusted_device(cookie=cookie, username="Koordinator") is not None
        assert services.trusted_device(cookie=cookie, username="laeser") is None


class RefusedAttemptsAreNotCheckedTest(SecurityTestCase):
    def test_a_locked_username_answers_429_without_checking_the_password(self):
        for _ in range(5):
            self.password_step("koordinator", "wrong-password")
        with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
            right = self.password_step("koordinator")
            wrong = self.password_step("koordinator", "wrong-password")
        authenticate.assert_not_called()
        for response in (right, wrong):
            assert response.status_code == 429
            self.assertNotContains(response, "Please enter a correct username", status_code=429)
