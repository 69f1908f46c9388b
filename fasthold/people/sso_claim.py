"""Accepting an invitation with single sign-on.

The invitee chose a login provider on the invitation page; when the provider sends them back and no
account is linked to that login yet, this claim makes the account from the invitation held in the
session and links the provider's subject to it. Without a valid invitation in the session nothing is
made: single sign-on never creates an account on its own.
"""

from fasthold.accounts import sso
from fasthold.people import services
from fasthold.people.models import Invitation, State

# The invitation being accepted, by primary key: the link's token is read once and not kept in the
# address bar, where it could leak into history or a Referer header.
SESSION_KEY = "people_invitation"
# The language chosen on the invitation page before going to the provider.
LANGUAGE_KEY = "people_invitation_language"


def claim(request, provider_slug: str, subject: str, claims: dict):
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None or invitation.state() != State.PENDING:
        return None
    if not any(p.slug == provider_slug for p in sso.providers(invitation.sso_audience)):
        return None
    language = request.session.pop(LANGUAGE_KEY, None) or invitation.language
    try:
        user = services.accept(
            invitation=invitation,
            language=language,
            link=lambda user: sso.link_identity(user, provider_slug, subject),
        )
    except services.Refused:
        return None
    request.session.pop(SESSION_KEY, None)
    return user


def register() -> None:
    sso.register_identity_claimer(claim)
