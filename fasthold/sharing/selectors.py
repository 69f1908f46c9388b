"""Reads for the consent and colleague pages, in a fixed number of queries however many consents exist."""

from django.utils.translation import gettext_lazy as _

from fasthold.screening.catalog import text
from fasthold.screening.models import QuestionnaireResponse
from fasthold.sharing.forms import GiveConsentForm
from fasthold.sharing.models import ALLOWED, Category, ColleagueMessage, Consent

EXPLANATIONS = {
    Category.ILLNESS: _(
        "Your workplace does not know why you are ill unless you tell them. If you like, you can "
        "describe it in general terms, in your own words."
    ),
    Category.TREATMENT: _(
        "For example that you see a psychologist or a physiotherapist, and how often. It can "
        "explain why you are away at certain times."
    ),
    Category.QUESTIONNAIRES: _(
        "Your scores from the questionnaires you answer, for example about well-being, with "
        "their short meaning. Your answer to each question is never shown."
    ),
    Category.MESSAGE: _("Something you would like your manager to know, written by you."),
}

ALWAYS_SEEN = (
    _("What you can and cannot do at work right now"),
    _("Your graded return schedule and working hours"),
    _("Accommodations at work and the tasks you do"),
    _("Agreements, and the work-related goals and activities of your plan"),
    _("Meetings: when, who takes part and what was agreed"),
)
NEVER_SEEN = _(
    "They never see your diagnosis, your health information, what you tell your doctor or "
    "psychologist, or your answers to questionnaires – unless you choose to share something below."
)


def instrument_choices(case) -> list[tuple[str, str]]:
    """The questionnaires this case has answers to, as (id, name). One query."""

    seen: dict[str, str] = {}
    for instrument_id, name in QuestionnaireResponse.objects.filter(case=case).values_list(
        "instrument_id", "instrument_name"
    ):
        seen.setdefault(instrument_id, text(name) or instrument_id)
    return sorted(seen.items(), key=lambda kv: kv[1])


def consent_page(case, *, on_behalf: bool, can_give: bool, bound: dict | None = None) -> dict:
    """Context of the consent page. `bound` maps a category to a bound form to show (an error re-render)."""
    consents = list(Consent.objects.filter(case=case).select_related("given_by", "withdrawn_by"))
    instruments = instrument_choices(case)
    names = dict(instruments)
    for c in consents:
        c.instrument_names = [names.get(i, i) for i in c.instruments]
    categories = []
    for category in Category:
        active = [c for c in consents if c.is_active and c.category == category]
        form = None
        if can_give:
            form = (bound or {}).get(category) or GiveConsentForm(
                category=category, on_behalf=on_behalf, instruments=instruments
            )
        categories.append(
            {
                "key": category.value,
                "label": category.label,
                "explanation": EXPLANATIONS[category],
                "active": active,
                "recipients": [r.label for r in ALLOWED[category]],
                "form": form,
                "no_answers": category == Category.QUESTIONNAIRES and not instruments,
            }
        )
    return {
        "categories": categories,
        "history": [c for c in consents if not c.is_active],
        "active_count": sum(1 for c in consents if c.is_active),
        "always_seen": ALWAYS_SEEN,
        "never_seen": NEVER_SEEN,
        "message": ColleagueMessage.objects.filter(case=case).first(),
    }


def consent_summary(case) -> dict[str, list[Consent]]:
    """Consents in force, grouped by recipient, for the case page's short summary. One query."""
    out: dict[str, list[Consent]] = {}
    for c in Consent.objects.active().filter(case=case):
        out.setdefault(c.recipient, []).append(c)
    return out
