"""Two-factor secrets encrypted at rest with FASTHOLD_FIELD_KEYS (MultiFernet), and key rotation."""

import importlib
import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from fasthold.accounts import crypto, demo
from fasthold.accounts.fields import UndecryptableValue, field_keys
from fasthold.accounts.models import TwoFactorDevice
from tests.accounts.base import SECRET, SecurityTestCase

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
migration = importlib.import_module("fasthold.accounts.migrations.0004_encrypt_two_factor_secrets")


def stored_secrets() -> dict[int, str]:
    """The secret column as the database holds it, read with raw SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM accounts_twofactordevice")
        return dict(cursor.fetchall())


def whole_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_twofactordevice")
        return repr(cursor.fetchall())


class EncryptedAtRestTest(SecurityTestCase):
    def test_the_raw_secret_never_reaches_the_database(self):
        device = self.give_device("koordinator")
        stored = stored_secrets()[device.pk]
        assert SECRET not in whole_rows()
        assert stored.startswith("gAAAAA") and crypto.decrypt(field_keys(), stored) == SECRET
        # Python code still sees the secret, however it reads it.
        assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
        assert list(TwoFactorDevice.objects.values_list("secret", flat=True)) == [SECRET]
        # Each save is a new token (a fresh IV): equal secrets cannot be spotted in the table.
        device.save()
        assert stored_secrets()[device.pk] != stored

    def test_enrolment_and_the_demo_store_tokens(self):
        self.client.force_login(self.users["laeser"])
        self.client.get(reverse("accounts:enrol"))
        enrolling = TwoFactorDevice.objects.get(user=self.users["laeser"])
        demo.load_demo(self.world)
        raw = whole_rows()
        assert enrolling.secret not in raw and demo.DEMO_SECRET not in raw
        assert set(TwoFactorDevice.objects.values_list("secret", flat=True)) == {enrolling.secret, demo.DEMO_SECRET}

    def test_login_works_with_the_encrypted_secret(self):
        self.give_device("koordinator")
        self.password_step("koordinator")
        self.assertRedirects(self.code_step(self.code()), reverse("home"), fetch_redirect_response=False)

    def test_serialised_copies_carry_the_token(self):
        self.give_device("koordinator")
        out = io.StringIO()
        call_command("dumpdata", "accounts.TwoFactorDevice", stdout=out)
        assert SECRET not in out.getvalue() and "gAAAAA" in out.getvalue()

    def test_an_altered_token_is_a_clear_error_without_the_secret(self):
        device = self.give_device("koordinator")
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_twofactordevice SET secret = %s WHERE id = %s",
                [stored_secrets()[device.pk][:-4] + "AAAA", device.pk],
            )
        with pytest.raises(UndecryptableValue) as error:
            TwoFactorDevice.objects.get(pk=device.pk)
        assert "rotate_keys" in str(error.value) and SECRET not in str(error.value)


class DataMigrationTest(SecurityTestCase):
    def test_existing_secrets_are_encrypted_and_going_back_decrypts_them(self):
        device = self.give_device("koordinator")
        with connection.cursor() as cursor:  # a row as 0002 left it: the secret in clear
            cursor.execute("UPDATE accounts_twofactordevice SET secret = %s WHERE id = %s", [SECRET, device.pk])
        editor = SimpleNamespace(connection=connection)
        migration.encrypt_secrets(apps, editor)
        assert SECRET not in whole_rows()
        assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
        token = stored_secrets()[device.pk]
        migration.encrypt_secrets(apps, editor)  # running it again changes nothing
        assert stored_secrets()[device.pk] == token
        migration.decrypt_secrets(apps, editor)
        assert stored_secrets()[device.pk] == SECRET


class RotationTest(SecurityTestCase):
    def rotate(self) -> str:
        out = io.StringIO()
        call_command("rotate_keys", stdout=out)
        return out.getvalue()

    def test_after_rotating_the_old_key_can_be_removed(self):
        with override_settings(FASTHOLD_FIELD_KEYS=[OLD_KEY]):
            device = self.give_device("koordinator")
            self.give_device("kollega", secret=demo.DEMO_SECRET)
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY, OLD_KEY]):
            assert "Re-encrypted 2 " in self.rotate()
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY]):
            assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
            self.password_step("koordinator")
            self.assertRedirects(self.code_step(self.code()), reverse("home"), fetch_redirect_response=False)
        with override_settings(FASTHOLD_FIELD_KEYS=[OLD_KEY]), pytest.raises(UndecryptableValue):
            TwoFactorDevice.objects.get(pk=device.pk)

    def test_without_the_old_key_rotation_changes_nothing_and_says_so(self):
        with override_settings(FASTHOLD_FIELD_KEYS=[OLD_KEY]):
            self.give_device("koordinator")
        before = stored_secrets()
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY]), pytest.raises(CommandError) as error:
            self.rotate()
        assert error.value.returncode == 2 and "FASTHOLD_FIELD_KEYS" in str(error.value)
        assert stored_secrets() == before

    def test_leaving_the_development_key_for_a_key_of_ones_own(self):
        with override_settings(FASTHOLD_FIELD_KEYS=[]):
            device = self.give_device("koordinator")
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY]):
            with pytest.raises(CommandError):
                self.rotate()
            call_command("rotate_keys", "--from-development-key", stdout=io.StringIO())
            assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
        with override_settings(FASTHOLD_FIELD_KEYS=[]), pytest.raises(UndecryptableValue):
            TwoFactorDevice.objects.get(pk=device.pk)


class KeySettingTest(SecurityTestCase):
    def deploy_ids(self):
        return {m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])}

    def test_check_deploy_warns_about_the_development_key(self):
        with override_settings(FASTHOLD_FIELD_KEYS=[]):
            assert "fasthold.accounts.W001" in self.deploy_ids()
            assert field_keys() == (crypto.development_key(self.settings_secret()),)
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY]):
            assert "fasthold.accounts.W001" not in self.deploy_ids()

    def test_a_key_that_is_not_a_fernet_key_is_an_error(self):
        with override_settings(FASTHOLD_FIELD_KEYS=[NEW_KEY, "not-a-key"]):
            errors = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.id == "fasthold.accounts.E001"]
        assert len(errors) == 1 and "Key number 2" in errors[0].msg and "not-a-key" not in errors[0].msg

    @staticmethod
    def settings_secret():
        from django.conf import settings

        return settings.SECRET_KEY


def test_production_refuses_to_start_without_field_keys():
    env = {**os.environ, "FASTHOLD_HTTPS": "1", "FASTHOLD_SECRET_KEY": "x" * 50}
    env.pop("FASTHOLD_FIELD_KEYS", None)
    run = subprocess.run(
        [sys.executable, "-c", "import fasthold.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "FASTHOLD_FIELD_KEYS must be set in production" in run.stderr
    env["FASTHOLD_FIELD_KEYS"] = f" {NEW_KEY} , {OLD_KEY} "
    run = subprocess.run(
        [sys.executable, "-c", "from fasthold import settings; print(settings.FASTHOLD_FIELD_KEYS)"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stdout.strip() == repr([NEW_KEY, OLD_KEY])
