"""Nothing secret reaches the logs, the audit log or the attempt table; the demo's devices and hint."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from fasthold.accounts import demo, services, totp
from fasthold.accounts.models import LoginAttempt, TwoFactorDevice
from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.demo import DEMO_PASSWORD
from tests.accounts.base import SecurityTestCase


class CapturingHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


class NoSecretsTest(SecurityTestCase):
    def test_no_secret_code_password_or_typed_username_in_logs_audit_or_attempts(self):
        handler = CapturingHandler()
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        typed_secrets = {DEMO_PASSWORD, "wrong-password-123", "koordinator"}
        try:
            # Failed logins, a lock, enrolment, login with a code, a recovery code, renewal.
            for _ in range(5):
                self.password_step("koordinator", "wrong-password-123")
            LoginAttempt.objects.all().delete()
            user = self.users["koordinator"]
            self.client.force_login(user)
            self.client.get(reverse("accounts:enrol"))
            device = TwoFactorDevice.objects.get(user=user)
            first = totp.code_at(device.secret, time.time())
            self.client.post(reverse("accounts:enrol"), {"code": first})
            recovery = self.client.get(reverse("accounts:recovery_codes_show")).context["codes"]
            self.client.post(reverse("logout"))
            self.password_step("koordinator")
            self.code_step(first)  # a replay: refused
            self.client.post(reverse("accounts:login_recovery"), {"code": recovery[0]})
            typed_secrets |= {device.secret, first, *recovery}
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        assert self.logged_in_as() == "koordinator"
        assert handler.lines, "the flows log something"
        logs = "\n".join(handler.lines)
        audit = repr(list(AuditEntry.objects.values_list("action", "fields")))
        attempts = repr(list(LoginAttempt.objects.values_list("username_key", "ip", "kind")))
        for secret in typed_secrets:
            for where, text in (("logs", logs), ("audit", audit), ("attempts", attempts)):
                assert secret.lower() not in text.lower(), f"{secret!r} in {where}"
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {
            AuditAction.LOGIN_FAILED,
            AuditAction.LOGIN_LOCKED,
            AuditAction.TWO_FACTOR_ENABLED,
            AuditAction.TWO_FACTOR_FAILED,
        } <= actions

    def test_security_events_reach_the_organisation_admins_audit_log(self):
        for _ in range(5):
            self.password_step("kollega", "wrong")
        self.give_device("admin")
        self.client.force_login(self.users["admin"])
        response = self.client.get(reverse("audit"), {"action": AuditAction.LOGIN_LOCKED})
        assert len(response.context["page"].object_list) == 1


class DemoTest(SecurityTestCase):
    def test_demo_enrols_the_users_who_must_use_two_factor(self):
        demo.load_demo(self.world)
        enrolled = set(
            TwoFactorDevice.objects.filter(confirmed_at__isnull=False).values_list("user__username", flat=True)
        )
        assert enrolled == {name for name, user in self.users.items() if services.two_factor_required(user)}
        assert set(TwoFactorDevice.objects.values_list("secret", flat=True)) == {demo.DEMO_SECRET}

    def test_the_code_is_shown_only_in_the_demo_and_only_for_the_demo_secret(self):
        demo.load_demo(self.world)
        self.password_step("koordinator")
        response = self.client.get(reverse("accounts:login_code"))
        self.assertNotContains(response, "Demo only")
        with override_settings(FASTHOLD_DEMO=True):
            response = self.client.get(reverse("accounts:login_code"))
            self.assertContains(response, "Demo only")
            self.assertContains(response, totp.group(demo.DEMO_SECRET))
            shown = response.context["demo_code"].replace(" ", "")
            assert totp.match_step(demo.DEMO_SECRET, shown, at=time.time()) is not None
            self.assertRedirects(self.code_step(shown), reverse("home"), fetch_redirect_response=False)
            # Another secret never gets a hint, demo or not.
            self.client.post(reverse("logout"))
            self.give_device("laeser")
            self.password_step("laeser")
            self.assertNotContains(self.client.get(reverse("accounts:login_code")), "Demo only")


def test_the_demo_hint_cannot_be_turned_on_in_production():
    env = {
        **os.environ,
        "FASTHOLD_HTTPS": "1",
        "FASTHOLD_SECRET_KEY": "x" * 50,
        "FASTHOLD_DEMO": "1",
        "FASTHOLD_FIELD_KEYS": "dGhpcnR5LXR3by1ieXRlcy1vZi1hLWZlcm5ldC1rZXk=",
    }
    run = subprocess.run(
        [sys.executable, "-c", "import fasthold.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "FASTHOLD_DEMO must not be set in production" in run.stderr
    env["FASTHOLD_DEMO"] = "0"
    run = subprocess.run(
        [sys.executable, "-c", "import fasthold.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
