from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fasthold.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from fasthold.accounts import checks  # noqa: F401  (registers the field-key checks)
        from fasthold.accounts.middleware import session_stamp_login

        user_logged_in.connect(session_stamp_login, dispatch_uid="fasthold.accounts.session_stamp_login")
