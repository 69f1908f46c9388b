"""Which instruments an organisation can use: the built-ins, its licensed files and its custom scales."""

from collections.abc import Mapping

from django.utils.translation import get_language

from fasthold.screening.instruments import (
    Instrument,
    InstrumentError,
    available_instruments,
    custom_scale,
    instrument_from_dict,
    load_instrument,
)
from fasthold.screening.models import CustomScale, LicensedInstrument


def instruments_for(organisation_id: int) -> dict[str, Instrument]:
    """Two queries whatever the number of responses: licensed files and custom scales."""
    instruments = {iid: load_instrument(iid) for iid in available_instruments()}
    for licensed in LicensedInstrument.objects.filter(organisation_id=organisation_id):
        try:
            instrument = instrument_from_dict(licensed.content)
        except InstrumentError:
            continue  # validated on upload; a later engine change must not break the page
        instruments[instrument.id] = instrument
    for scale in CustomScale.objects.filter(organisation_id=organisation_id):
        try:
            instrument = custom_scale(scale.definition)
        except InstrumentError:
            continue
        instruments[instrument.id] = instrument
    return instruments


def self_fillable(instrument: Instrument) -> bool:
    """The employee can fill in only what has item texts we may show: shipped, licensed or custom."""
    return not instrument.needs_licensed_file


def text(labels: Mapping[str, str] | None, language: str | None = None) -> str:
    if not labels:
        return ""
    language = (language or get_language() or "da")[:2]
    return labels.get(language) or labels.get("da") or labels.get("en") or next(iter(labels.values()), "")
