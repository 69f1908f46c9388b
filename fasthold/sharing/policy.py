"""What an employer-side user may see beyond functional information: one policy, read fresh per request.

`shared_with` is the only way employer pages get anything the employee shared. It reads the consents in
force at the moment of the call (no caching), so a withdrawal takes effect on the next page load, and it
logs each read of shared items as a read of health data (a SHARED_VIEWED row) through the one read
log (fasthold.audit.readlog); pages use `shared_for`, so the read is one row with the page's other reads.
"""

import datetime as dt
from dataclasses import dataclass, field

from fasthold.audit.readlog import log_read
from fasthold.cases.access import case_access
from fasthold.screening.catalog import text
from fasthold.screening.models import QuestionnaireResponse
from fasthold.sharing.models import EMPLOYER_LABELS, RECIPIENT_OF_ROLE, Category, Consent, Recipient

_ORDER = {c: i for i, c in enumerate(Category.values)}


@dataclass(frozen=True)
class SharedScore:
    instrument_id: str
    name_labels: dict
    band_labels: dict
    score: int
    answered_on: dt.date
    previous: int | None = None

    @property
    def name(self) -> str:
        return text(self.name_labels)

    @property
    def band(self) -> str:
        return text(self.band_labels)


@dataclass(frozen=True)
class SharedItem:
    category: str
    recipient: str
    text: str
    given_at: dt.datetime
    scores: tuple[SharedScore, ...] = ()

    @property
    def category_label(self):
        return EMPLOYER_LABELS[Category(self.category)]

    @property
    def recipient_label(self):
        return Recipient(self.recipient).label


@dataclass(frozen=True)
class SharedView:
    """The consented items one employer-side user may see now, ready to render."""

    employee_name: str
    recipients: frozenset[str] = frozenset()
    items: tuple[SharedItem, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.items)

    def get(self, category: str) -> SharedItem | None:
        return next((i for i in self.items if i.category == category), None)

    @property
    def categories(self) -> list[str]:
        return [i.category for i in self.items]


def recipients_for(user, case, access=None) -> frozenset[str]:
    """The recipients this user reads as on this case: their employer-side participant roles."""
    access = access if access is not None else case_access(user, case)
    if not access.is_employer_side:
        return frozenset()
    roles = case.participants.filter(user=user, role__in=tuple(RECIPIENT_OF_ROLE)).values_list("role", flat=True)
    return frozenset(RECIPIENT_OF_ROLE[r] for r in roles)


def _scores(case, instruments: set[str] | None) -> tuple[SharedScore, ...]:
    responses = QuestionnaireResponse.objects.filter(case=case).order_by("answered_on", "id")
    if instruments:
        responses = responses.filter(instrument_id__in=instruments)
    latest: dict[str, tuple] = {}
    for r in responses.only("instrument_id", "instrument_name", "band_label", "score", "answered_on"):
        previous = latest.get(r.instrument_id)
        latest[r.instrument_id] = (r, previous[0].score if previous else None)
    return tuple(
        SharedScore(
            instrument_id=key,
            name_labels=dict(r.instrument_name),
            band_labels=dict(r.band_label or {}),
            score=r.score,
            answered_on=r.answered_on,
            previous=prev,
        )
        for key, (r, prev) in sorted(latest.items())
    )


def shared_with(user, case, *, access=None, log: bool = True) -> SharedView:
    """The items the employee shares with `user` on `case` right now. Empty for anyone who is not
    employer-side on the case (they see the consents themselves on the consent page).

    Manager and HR consents are separate: a manager sees only what was shared with "my manager". If the
    user is both, they see both, each item once (the manager's consent first). Logs SHARED_VIEWED when
    anything is returned and `log` is true. `access` (the case_access of user and case) saves two queries."""
    name = case.person.name
    recipients = recipients_for(user, case, access)
    if not recipients:
        return SharedView(employee_name=name)
    consents = list(
        Consent.objects.active().filter(case=case, recipient__in=recipients).order_by("recipient", "-given_at")
    )
    by_category: dict[str, Consent] = {}
    for consent in sorted(consents, key=lambda c: c.recipient != Recipient.MANAGER):
        by_category.setdefault(consent.category, consent)
    items = []
    for category in sorted(by_category, key=_ORDER.get):
        consent = by_category[category]
        scores = ()
        if category == Category.QUESTIONNAIRES:
            scores = _scores(case, set(consent.instruments))
            if not scores:
                continue
        items.append(
            SharedItem(
                category=category,
                recipient=consent.recipient,
                text=consent.text,
                given_at=consent.given_at,
                scores=scores,
            )
        )
    view = SharedView(employee_name=name, recipients=recipients, items=tuple(items))
    if view and log:
        log_read(user, case, fields=view.categories, shared=True)
    return view


def shared_for(request, case, *, access=None) -> SharedView:
    """`shared_with` for a page: the read of what it returns is logged through the request."""
    view = shared_with(request.user, case, access=access, log=False)
    if view:
        log_read(request, case, fields=view.categories, shared=True)
    return view
