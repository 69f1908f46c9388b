import time

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fasthold.accounts import totp
from fasthold.accounts.models import TwoFactorDevice
from fasthold.cases.demo import DEMO_PASSWORD
from tests.base import DemoWorldTestCase

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@override_settings(FASTHOLD_2FA_REQUIRED=True, FASTHOLD_DEMO=False)
class SecurityTestCase(DemoWorldTestCase):
    """The personas of fasthold.cases.demo, with the two-factor requirement on (tests/settings.py
    turns it off for the rest of the suite)."""

    def setUp(self):
        # The assertions quote the English messages; Danish is the default.
        self.client.cookies["django_language"] = "en"

    def give_device(self, username, secret=SECRET, last_used_step=None) -> TwoFactorDevice:
        return TwoFactorDevice.objects.create(
            user=self.users[username], secret=secret, confirmed_at=timezone.now(), last_used_step=last_used_step
        )

    @staticmethod
    def code(secret=SECRET, steps=0) -> str:
        return totp.code_at(secret, time.time() + steps * totp.STEP_SECONDS)

    def password_step(self, username, password=DEMO_PASSWORD, next_url=None, **extra):
        data = {"username": username, "password": password}
        if next_url:
            data["next"] = next_url
        return self.client.post(reverse("login"), data, **extra)

    def code_step(self, code, **extra):
        return self.client.post(reverse("accounts:login_code"), {"code": code}, **extra)

    def logged_in_as(self):
        from django.contrib.auth import get_user

        user = get_user(self.client)
        return user.username if user.is_authenticated else None
