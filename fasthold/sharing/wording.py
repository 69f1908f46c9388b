"""Sentences for the consent and colleague-information timeline events. Params hold keys only."""

from django.utils.translation import gettext as _

from fasthold.cases.models import EventKind
from fasthold.sharing.models import Category, Recipient

KINDS = (EventKind.CONSENT_CHANGED, EventKind.COLLEAGUE_MESSAGE)


def describe_event(kind: str, params: dict) -> str:
    """For example "Consent given: My treatment – My manager"."""
    if kind == EventKind.CONSENT_CHANGED:
        category = Category(params["category"]).label if params.get("category") in Category.values else ""
        recipient = Recipient(params["recipient"]).label if params.get("recipient") in Recipient.values else ""
        texts = {
            "given": _("Consent given: %(category)s – %(recipient)s"),
            "replaced": _("Consent given with new wording: %(category)s – %(recipient)s"),
            "withdrawn": _("Consent withdrawn: %(category)s – %(recipient)s"),
        }
        text = texts.get(params.get("change"), _("Consent changed: %(category)s – %(recipient)s"))
        return text % {"category": category, "recipient": recipient}
    steps = {
        "drafted": _("Colleague information drafted"),
        "changed": _("Colleague information changed"),
        "approved": _("Colleague information approved by the employee"),
        "approval_withdrawn": _("The employee withdrew the approval of the colleague information"),
        "shared": _("Colleague information passed on to colleagues"),
    }
    return str(steps.get(params.get("step"), EventKind.COLLEAGUE_MESSAGE.label))
