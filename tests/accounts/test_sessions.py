"""Session expiry: idle timeout and the absolute limit, with a calm word on the login page."""

from django.test import override_settings
from django.urls import reverse

from fasthold.accounts.middleware import LOGIN_AT, SEEN_AT, SEEN_RESOLUTION
from tests.accounts.base import SecurityTestCase


class SessionExpiryTest(SecurityTestCase):
    def shift(self, key, seconds):
        session = self.client.session
        session[key] -= seconds
        session.save()

    def test_idle_for_30_minutes_logs_out_and_the_login_page_says_why_once(self):
        self.client.force_login(self.users["laeser"])
        assert self.client.get(reverse("cases:list")).status_code == 200
        self.shift(SEEN_AT, 30 * 60 + 5)
        response = self.client.get(reverse("cases:list"))
        self.assertRedirects(response, f"{reverse('login')}?next=/cases/", fetch_redirect_response=False)
        assert self.logged_in_as() is None
        response = self.client.get(response["Location"])
        self.assertContains(response, "Nothing happened for 30 minutes, so we logged you out")
        self.assertNotContains(self.client.get(reverse("login")), "logged you out")

    def test_activity_keeps_the_session_and_moves_the_idle_clock(self):
        self.client.force_login(self.users["laeser"])
        self.shift(SEEN_AT, 29 * 60)
        before = self.client.session[SEEN_AT]
        assert self.client.get(reverse("cases:list")).status_code == 200
        assert self.client.session[SEEN_AT] >= before + 29 * 60
        # Within SEEN_RESOLUTION the session is not written again.
        self.shift(SEEN_AT, SEEN_RESOLUTION // 2)
        stamp = self.client.session[SEEN_AT]
        self.client.get(reverse("cases:list"))
        assert self.client.session[SEEN_AT] == stamp

    def test_eight_hours_after_login_however_active(self):
        self.client.force_login(self.users["laeser"])
        self.shift(LOGIN_AT, 8 * 3600 + 5)
        response = self.client.get(reverse("cases:list"), follow=True)
        self.assertRedirects(response, f"{reverse('login')}?next=/cases/")
        self.assertContains(response, "You had been logged in for 8 hours")
        assert self.logged_in_as() is None

    @override_settings(FASTHOLD_SESSION_IDLE_SECONDS=120)
    def test_idle_limit_is_a_setting(self):
        self.client.force_login(self.users["laeser"])
        self.shift(SEEN_AT, 121)
        response = self.client.get(reverse("cases:list"), follow=True)
        self.assertContains(response, "Nothing happened for 2 minutes")

    def test_htmx_request_after_expiry_redirects_the_whole_page(self):
        self.client.force_login(self.users["laeser"])
        self.shift(SEEN_AT, 31 * 60)
        response = self.client.get(reverse("cases:list"), headers={"HX-Request": "true"})
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"{reverse('login')}?next=%2Fcases%2F"

    def test_login_with_code_starts_the_clocks(self):
        self.give_device("koordinator")
        self.password_step("koordinator")
        self.code_step(self.code())
        session = self.client.session
        assert session[LOGIN_AT] == session[SEEN_AT]
        assert self.client.get(reverse("cases:list")).status_code == 200

    def test_security_page_states_the_limits(self):
        self.client.force_login(self.users["laeser"])
        response = self.client.get(reverse("accounts:security"))
        self.assertContains(response, "After 30 minutes without activity.")
        self.assertContains(response, "And always 8 hours after you logged in.")
