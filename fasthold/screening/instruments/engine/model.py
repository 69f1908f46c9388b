"""An instrument as data: items, scales, units, bands, algorithms, licence, and a scored result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ITEM_TEXTS_INCLUDED",
    "ITEM_TEXTS_LICENSED",
    "SCHEMA_VERSION",
    "Algorithm",
    "AlgorithmResult",
    "Band",
    "Condition",
    "Instrument",
    "InstrumentError",
    "Item",
    "Labels",
    "Level",
    "Licence",
    "ResponseScale",
    "Result",
    "Subscale",
    "Symptom",
    "Unit",
]

SCHEMA_VERSION = 1

ITEM_TEXTS_INCLUDED = "included"
ITEM_TEXTS_LICENSED = "licensed_file_required"
# "total" is the count of all present symptoms; a group may not shadow it.
_TOTAL = "total"

Labels = Mapping[str, str]


class InstrumentError(ValueError):
    """An invalid instrument definition or invalid answers; the message is one clear line."""


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class ResponseScale:
    min: int
    max: int
    # value -> label per language; only where the labels may be shipped or a licensed file has them.
    labels: Mapping[str, Mapping[int, str]]
    # Our own description of the coding, so a paper form can be entered without shipping its text.
    coding: Labels | None


@dataclass(frozen=True)
class Item:
    id: str
    scale: ResponseScale
    reverse: bool
    # A short topic in our own words; never the licensed wording.
    topic: Labels
    # The item wording: only when the file may ship it (see Instrument.item_texts).
    text: Labels | None
    note: Labels | None

    @property
    def min(self) -> int:
        return self.scale.min

    @property
    def max(self) -> int:
        return self.scale.max


@dataclass(frozen=True)
class Unit:
    """A scored unit: one item, or the higher of several (the MDI's 8a/8b and 10a/10b)."""

    id: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    key: str
    min: int
    max: int
    label: Labels
    interpretation: Labels

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "min": self.min,
            "max": self.max,
            "label": dict(self.label),
            "interpretation": dict(self.interpretation),
        }


@dataclass(frozen=True)
class Subscale:
    id: str
    units: tuple[str, ...]
    label: Labels


@dataclass(frozen=True)
class Symptom:
    """A symptom counted by a diagnostic algorithm: present when max(units) >= threshold."""

    id: str
    units: tuple[str, ...]
    threshold: int
    group: str


@dataclass(frozen=True)
class Level:
    key: str
    # group name (or "total") -> minimum number of present symptoms
    minimum: Mapping[str, int]


@dataclass(frozen=True)
class Condition:
    on: str  # "raw", "score" or "answer" (any of `items`, as answered, before reversal)
    items: tuple[str, ...]
    at_most: int | None
    at_least: int | None

    def holds(self, value: int) -> bool:
        if self.at_most is not None and value > self.at_most:
            return False
        if self.at_least is not None and value < self.at_least:
            return False
        return True


@dataclass(frozen=True)
class Algorithm:
    id: str
    type: str  # "symptom_count" or "any_condition"
    label: Labels
    results: Mapping[str, Labels]
    symptoms: tuple[Symptom, ...] = ()
    levels: tuple[Level, ...] = ()
    default: str = "none"
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Licence:
    holder: str
    commercial_use: str
    note: Labels
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    id: str
    name: Labels
    version: str
    languages: tuple[str, ...]
    direction: str
    item_texts: str
    items: tuple[Item, ...]
    units: tuple[Unit, ...]
    multiply: int
    add: int
    subscales: tuple[Subscale, ...]
    bands: tuple[Band, ...]
    algorithms: tuple[Algorithm, ...]
    licence: Licence
    important_change: int | None
    notes: Labels | None
    # The validated source dict, for storing alongside scores and for showing to administrators.
    data: Mapping[str, Any]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    @property
    def needs_licensed_file(self) -> bool:
        return self.item_texts == ITEM_TEXTS_LICENSED

    @property
    def raw_range(self) -> tuple[int, int]:
        by_id = {item.id: item for item in self.items}
        low = sum(max(by_id[i].min for i in unit.items) for unit in self.units)
        high = sum(max(by_id[i].max for i in unit.items) for unit in self.units)
        return low, high

    @property
    def score_range(self) -> tuple[int, int]:
        low, high = (raw * self.multiply + self.add for raw in self.raw_range)
        return (low, high) if low <= high else (high, low)

    def band_for(self, score: int) -> Band | None:
        for band in self.bands:
            if band.min <= score <= band.max:
                return band
        return None


@dataclass(frozen=True)
class AlgorithmResult:
    result: str
    met: bool
    counts: Mapping[str, int]
    label: Labels

    def as_dict(self) -> dict[str, Any]:
        return {"result": self.result, "met": self.met, "counts": dict(self.counts)}


@dataclass(frozen=True)
class Result:
    instrument: str
    version: str
    answers: tuple[int, ...]
    raw: int
    score: int
    band: Band | None
    subscores: Mapping[str, int]
    algorithms: Mapping[str, AlgorithmResult]

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON: instrument, raw, score, band (key), then subscores and algorithms if any."""
        out: dict[str, Any] = {
            "instrument": self.instrument,
            "raw": self.raw,
            "score": self.score,
            "band": self.band.key if self.band else None,
        }
        if self.subscores:
            out["subscores"] = dict(self.subscores)
        if self.algorithms:
            out["algorithms"] = {key: res.as_dict() for key, res in self.algorithms.items()}
        return out
