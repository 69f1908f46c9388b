from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "fasthold.people"
    label = "people"
    verbose_name = _("People and invitations")

    def ready(self):
        # An SSO login that matches no account may be an invitation being accepted; the login (accounts)
        # sits below this app, so the claim is offered to it here.
        from fasthold.people import sso_claim

        sso_claim.register()
