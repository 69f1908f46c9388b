"""The e-mails of invitations, each in its recipient's language.

They name the inviting organisation and the role, never anything about a case's health or the
employee's situation: an e-mail can be forwarded and read by anyone.
"""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from fasthold.people.models import Purpose


def _send(template: str, email: str, language: str, context: dict) -> None:
    with translation.override(language):
        subject = " ".join(render_to_string(f"people/email/{template}_subject.txt", context).split())
        body = render_to_string(f"people/email/{template}.txt", context)
    EmailMessage(subject, body, to=[email]).send()


def _inviting_organisation(invitation) -> str:
    if invitation.case_id:
        return invitation.case.organisation.name
    return invitation.organisation.name if invitation.organisation_id else ""


def send_invitation(invitation, *, token: str, base_url: str) -> None:
    context = {
        "invitation": invitation,
        "organisation": _inviting_organisation(invitation),
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "",
        "for_case": invitation.purpose == Purpose.CASE,
        "url": base_url.rstrip("/") + reverse("people:invitation", args=[token]),
        "expires_at": invitation.expires_at,
    }
    _send("invitation", invitation.email, invitation.language, context)


def send_added(*, user, case, inviter, base_url: str) -> None:
    """An existing account was given a case or a role: say so, and where to log in."""
    context = {
        "name": user.first_name or user.display_name,
        "organisation": case.organisation.name if case is not None else "",
        "inviter": inviter.display_name,
        "for_case": case is not None,
        "url": base_url.rstrip("/") + reverse("login"),
    }
    _send("added", user.email, user.preferred_language, context)


def send_renewal_request(invitation, *, base_url: str) -> None:
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active or not inviter.email:
        return
    if invitation.case_id:
        url = reverse("cases:detail", args=[invitation.case.public_id])
    else:
        url = (
            reverse("people:staff")
            if invitation.purpose == Purpose.STAFF
            else reverse("people:employer", args=[invitation.organisation.public_id])
        )
    context = {"invitation": invitation, "inviter": inviter.display_name, "url": base_url.rstrip("/") + url}
    _send("renewal", inviter.email, inviter.preferred_language, context)
