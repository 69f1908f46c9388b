"""Questionnaire instruments as data, and the pure engine that scores them (no Django)."""

from .engine import (
    Algorithm,
    AlgorithmResult,
    Band,
    Instrument,
    InstrumentError,
    Item,
    Result,
    available_instruments,
    custom_scale,
    instrument_from_dict,
    instrument_from_json,
    load_instrument,
    score,
)

__all__ = [
    "Algorithm",
    "AlgorithmResult",
    "Band",
    "Instrument",
    "InstrumentError",
    "Item",
    "Result",
    "available_instruments",
    "custom_scale",
    "instrument_from_dict",
    "instrument_from_json",
    "load_instrument",
    "score",
]
