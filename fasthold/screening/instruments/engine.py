"""The questionnaire engine: an instrument is data, and a score is computed from raw answers.

Pure Python (stdlib only) on purpose: scoring is health data whose correctness is checked
against published vectors, so it must be testable and reusable without Django or a database.

Scoring pipeline, in the order the published rules apply it:
1. validate the answers (count, whole numbers, each within its item's response range; no
   imputation of missing items, because none of the shipped instruments publishes a rule);
2. reverse-score items marked `reverse` (min + max - answer);
3. collapse item groups into scored units (the MDI's higher of 8a/8b and of 10a/10b);
4. raw = sum of the units; score = raw * multiply + add (WHO-5: x4);
5. band = the band whose [min, max] holds the score; subscores = sums of named units;
6. algorithms (e.g. MDI ICD-10 / DSM-IV) are evaluated on the units and reported separately,
   never derived from the band: the research file shows the two can disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

DATA_DIR = Path(__file__).resolve().parent / "data"

ITEM_TEXTS_INCLUDED = "included"
ITEM_TEXTS_LICENSED = "licensed_file_required"
_ITEM_TEXTS = (ITEM_TEXTS_INCLUDED, ITEM_TEXTS_LICENSED)
_DIRECTIONS = ("higher_is_better", "higher_is_worse")
_COMMERCIAL_USE = ("free", "permission_required", "ask_author", "unclear")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9_]{1,16}$")
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


# --------------------------------------------------------------------------- loading


def available_instruments() -> tuple[str, ...]:
    """Ids of the built-in instruments, sorted."""
    return tuple(sorted(path.stem for path in DATA_DIR.glob("*.json")))


def load_instrument(instrument_id: str) -> Instrument:
    """A built-in instrument by id (e.g. "who5")."""
    if instrument_id not in available_instruments():
        known = ", ".join(available_instruments())
        raise InstrumentError(f"unknown instrument {instrument_id!r}; built-in instruments: {known}")
    return _build(_builtin_data(instrument_id))


@lru_cache(maxsize=None)
def _builtin_text(instrument_id: str) -> str:
    return (DATA_DIR / f"{instrument_id}.json").read_text(encoding="utf-8")


def _builtin_data(instrument_id: str) -> dict[str, Any]:
    # Parsed afresh each time so callers can never mutate a shared copy.
    return json.loads(_builtin_text(instrument_id))


def instrument_from_dict(data: Mapping[str, Any]) -> Instrument:
    """Validate and build an instrument from a dict in the built-in JSON schema.

    This is how an organisation loads its own licensed file (e.g. WHO-5 with the official
    Danish item texts). A file that reuses a built-in id must score exactly like the built-in:
    scores are to be computed as published, so a changed copy needs an id of its own.
    """
    instrument = _build(data)
    if instrument.id in available_instruments():
        builtin = _build(_builtin_data(instrument.id))
        if _scoring_signature(instrument) != _scoring_signature(builtin):
            raise InstrumentError(
                f"{instrument.id}: the file's items, scoring, bands or algorithms differ from the "
                f"built-in {instrument.id}; give a modified instrument an id of its own"
            )
    return instrument


def instrument_from_json(text: str) -> Instrument:
    """instrument_from_dict for a JSON document (an uploaded licensed file)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentError(f"the instrument file is not valid JSON: {exc}") from None
    return instrument_from_dict(data)


def custom_scale(spec: Mapping[str, Any]) -> Instrument:
    """A coordinator-defined single-item self-rating (default 0-10) from a small dict.

    spec keys: id (slug), name (text, or {"da": ..., "en": ...}); optional: question, min (0),
    max (10), low_anchor, high_anchor, direction ("higher_is_better"), bands (a list of
    {"key", "min", "max", "label"}). The instrument id is prefixed "custom_" so a custom scale
    can never be mistaken for, or collide with, a built-in instrument.
    """
    if not isinstance(spec, Mapping):
        raise InstrumentError("a custom scale must be a dict")
    allowed = {"id", "name", "question", "min", "max", "low_anchor", "high_anchor", "direction", "bands"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise InstrumentError(f"custom scale: unknown key(s) {', '.join(unknown)}")
    key = spec.get("id")
    if not isinstance(key, str) or not _ID.match(key):
        raise InstrumentError("custom scale: id must be a lower-case slug such as 'energy'")
    instrument_id = key if key.startswith("custom_") else f"custom_{key}"
    if not _ID.match(instrument_id):
        raise InstrumentError("custom scale: id is too long")
    if "name" not in spec:
        raise InstrumentError("custom scale: name is required")
    name = _custom_labels(spec["name"], "name")
    low = spec.get("min", 0)
    high = spec.get("max", 10)
    labels: dict[str, dict[str, str]] = {"da": {}, "en": {}}
    for anchor, value in (("low_anchor", low), ("high_anchor", high)):
        if spec.get(anchor) is not None and isinstance(value, int):
            for lang, text in _custom_labels(spec[anchor], anchor).items():
                labels[lang][str(value)] = text
    scale: dict[str, Any] = {"min": low, "max": high}
    if labels["da"]:
        scale["labels"] = labels
    question = _custom_labels(spec.get("question", spec["name"]), "question")
    bands = []
    for i, band in enumerate(spec.get("bands") or []):
        if not isinstance(band, Mapping) or "label" not in band:
            raise InstrumentError(f"custom scale: band {i + 1} needs key, min, max and label")
        label = _custom_labels(band["label"], f"band {i + 1} label")
        bands.append({"key": band.get("key"), "min": band.get("min"), "max": band.get("max"),
                      "label": label, "interpretation": label})
    data = {
        "schema": SCHEMA_VERSION,
        "id": instrument_id,
        "name": name,
        "version": "custom",
        "languages": ["da", "en"],
        "direction": spec.get("direction", "higher_is_better"),
        "item_texts": ITEM_TEXTS_INCLUDED,
        "response_scales": {"rating": scale},
        "items": [{"id": "1", "scale": "rating", "topic": name, "text": question}],
        "scoring": {},
        "bands": bands,
        "licence": {
            "holder": "the organisation",
            "commercial_use": "free",
            "note": {
                "da": "Egen skala defineret af koordinatoren; ikke et valideret instrument.",
                "en": "A scale defined by the coordinator; not a validated instrument.",
            },
        },
    }
    return _build(data)


def _custom_labels(value: Any, what: str) -> dict[str, str]:
    # A coordinator writes one text; it serves both languages unless both are given.
    if isinstance(value, str) and value.strip():
        return {"da": value, "en": value}
    if isinstance(value, Mapping) and all(
        isinstance(value.get(lang), str) and value[lang] for lang in ("da", "en")
    ):
        return {"da": value["da"], "en": value["en"]}
    raise InstrumentError(f"custom scale: {what} must be a non-empty text or {{'da': ..., 'en': ...}}")


# --------------------------------------------------------------------------- scoring


def score(instrument: Instrument | str, answers: Sequence[int] | Mapping[str, int]) -> Result:
    """Score raw answers: a list in item order, or a dict keyed by item id."""
    if isinstance(instrument, str):
        instrument = load_instrument(instrument)
    values = _validated_answers(instrument, answers)
    by_item = dict(zip(instrument.item_ids, values))
    scored = {
        item.id: (item.min + item.max - by_item[item.id]) if item.reverse else by_item[item.id]
        for item in instrument.items
    }
    units = {unit.id: max(scored[i] for i in unit.items) for unit in instrument.units}
    raw = sum(units.values())
    final = raw * instrument.multiply + instrument.add
    subscores = {sub.id: sum(units[u] for u in sub.units) for sub in instrument.subscales}
    algorithms = {
        algo.id: _run_algorithm(algo, units, by_item, raw, final) for algo in instrument.algorithms
    }
    return Result(
        instrument=instrument.id,
        version=instrument.version,
        answers=tuple(values),
        raw=raw,
        score=final,
        band=instrument.band_for(final),
        subscores=subscores,
        algorithms=algorithms,
    )


def _validated_answers(instrument: Instrument, answers: Sequence[int] | Mapping[str, int]) -> list[int]:
    ids = instrument.item_ids
    if isinstance(answers, Mapping):
        missing = [i for i in ids if i not in answers]
        extra = sorted(str(k) for k in answers if k not in ids)
        if extra:
            raise InstrumentError(
                f"{instrument.id}: unknown item(s) {', '.join(extra)}; items are {', '.join(ids)}"
            )
        if missing:
            raise InstrumentError(
                f"{instrument.id}: no answer for item(s) {', '.join(missing)}; "
                "missing items are not imputed"
            )
        values = [answers[i] for i in ids]
    elif isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise InstrumentError(f"{instrument.id}: answers must be a list of whole numbers")
    else:
        values = list(answers)
        if len(values) != len(ids):
            raise InstrumentError(
                f"{instrument.id} expects {len(ids)} answer{'s' if len(ids) != 1 else ''} "
                f"(items {', '.join(ids)}), got {len(values)}"
            )
    for item, value in zip(instrument.items, values):
        if value is None:
            raise InstrumentError(f"{instrument.id} item {item.id}: no answer; missing items are not imputed")
        # bool is an int subclass; True as an answer is a bug upstream, not a 1.
        if not isinstance(value, int) or isinstance(value, bool):
            raise InstrumentError(f"{instrument.id} item {item.id}: {value!r} is not a whole number")
        if not item.min <= value <= item.max:
            raise InstrumentError(
                f"{instrument.id} item {item.id}: {value} is out of range {item.min} to {item.max}"
            )
    return values


def _run_algorithm(
    algo: Algorithm, units: Mapping[str, int], answers: Mapping[str, int], raw: int, final: int
) -> AlgorithmResult:
    if algo.type == "symptom_count":
        counts: dict[str, int] = {}
        for symptom in algo.symptoms:
            counts.setdefault(symptom.group, 0)
            if max(units[u] for u in symptom.units) >= symptom.threshold:
                counts[symptom.group] += 1
        counts[_TOTAL] = sum(counts.values())
        # Levels are listed most severe first; the first one whose minimums all hold wins
        # ("at least" reading of the published counts, see the data file's notes).
        result = next(
            (
                level.key
                for level in algo.levels
                if all(counts.get(group, 0) >= n for group, n in level.minimum.items())
            ),
            algo.default,
        )
        return AlgorithmResult(result, result != algo.default, counts, algo.results[result])
    # any_condition
    met = False
    for cond in algo.conditions:
        if cond.on == "raw":
            met = cond.holds(raw)
        elif cond.on == "score":
            met = cond.holds(final)
        else:
            met = any(cond.holds(answers[i]) for i in cond.items)
        if met:
            break
    key = "met" if met else "not_met"
    return AlgorithmResult(key, met, {}, algo.results[key])


# --------------------------------------------------------------------------- validation


class _Reader:
    """Typed access to the instrument dict with error messages that say where the problem is."""

    def __init__(self, instrument_id: str, languages: tuple[str, ...] = ()):
        self.id = instrument_id
        self.languages = languages

    def fail(self, where: str, message: str) -> InstrumentError:
        return InstrumentError(f"{self.id}: {where}: {message}")

    def get(self, data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str,
            required: bool = True) -> Any:
        if key not in data or data[key] is None:
            if required:
                raise self.fail(where, f"'{key}' is required")
            return None
        value = data[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(where, f"'{key}' must be {_kind_name(kind)}")
        if not isinstance(value, kind):
            raise self.fail(where, f"'{key}' must be {_kind_name(kind)}")
        return value

    def integer(self, data: Mapping[str, Any], key: str, where: str, required: bool = True) -> int | None:
        return self.get(data, key, int, where, required)

    def labels(self, data: Mapping[str, Any], key: str, where: str, required: bool = True) -> Labels | None:
        value = self.get(data, key, dict, where, required)
        if value is None:
            return None
        return self.labels_value(value, f"{where} {key}")

    def labels_value(self, value: Any, where: str) -> Labels:
        if not isinstance(value, Mapping):
            raise self.fail(where, "must be a dict of language -> text")
        for lang in self.languages:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(where, f"needs a non-empty text for language '{lang}'")
        return {lang: text for lang, text in value.items() if isinstance(text, str)}

    def id_list(self, data: Mapping[str, Any], key: str, where: str, known: Sequence[str]) -> tuple[str, ...]:
        value = self.get(data, key, list, where)
        if not value:
            raise self.fail(where, f"'{key}' must not be empty")
        for ref in value:
            if ref not in known:
                raise self.fail(where, f"'{key}' refers to unknown {ref!r}")
        if len(set(value)) != len(value):
            raise self.fail(where, f"'{key}' lists an id twice")
        return tuple(value)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "a whole number", str: "a text", dict: "a dict", list: "a list", bool: "true or false"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _build(data: Mapping[str, Any]) -> Instrument:
    if not isinstance(data, Mapping):
        raise InstrumentError("an instrument must be a JSON object")
    instrument_id = data.get("id")
    if not isinstance(instrument_id, str) or not _ID.match(instrument_id):
        raise InstrumentError("instrument 'id' must be a lower-case slug (letters, digits, _; 2-40 chars)")
    r = _Reader(instrument_id)
    if data.get("schema") != SCHEMA_VERSION:
        raise r.fail("schema", f"'schema' must be {SCHEMA_VERSION}")
    languages = r.get(data, "languages", list, "languages")
    if not languages or not all(isinstance(lang, str) and lang for lang in languages):
        raise r.fail("languages", "must be a non-empty list of language codes")
    r.languages = tuple(languages)

    name = r.labels(data, "name", "name")
    version = r.get(data, "version", str, "version")
    direction = r.get(data, "direction", str, "direction")
    if direction not in _DIRECTIONS:
        raise r.fail("direction", f"must be one of {', '.join(_DIRECTIONS)}")
    item_texts = r.get(data, "item_texts", str, "item_texts")
    if item_texts not in _ITEM_TEXTS:
        raise r.fail("item_texts", f"must be one of {', '.join(_ITEM_TEXTS)}")

    scales = _build_scales(r, data, item_texts)
    items = _build_items(r, data, scales, item_texts)
    item_ids = [item.id for item in items]

    scoring = r.get(data, "scoring", dict, "scoring")
    units = _build_units(r, scoring, item_ids)
    unit_ids = [unit.id for unit in units]
    transform = r.get(scoring, "transform", dict, "scoring", required=False) or {}
    multiply = r.integer(transform, "multiply", "scoring transform", required=False)
    add = r.integer(transform, "add", "scoring transform", required=False)
    multiply = 1 if multiply is None else multiply
    add = 0 if add is None else add
    if multiply == 0:
        raise r.fail("scoring transform", "'multiply' must not be 0")

    subscales = []
    for i, sub in enumerate(r.get(scoring, "subscales", list, "scoring", required=False) or []):
        where = f"subscale {i + 1}"
        if not isinstance(sub, Mapping):
            raise r.fail(where, "must be a dict")
        sub_id = r.get(sub, "id", str, where)
        units_of = r.id_list(sub, "units", where, unit_ids)
        subscales.append(Subscale(sub_id, units_of, r.labels(sub, "label", where)))
    _unique(r, "subscales", [s.id for s in subscales])

    instrument = Instrument(
        id=instrument_id,
        name=name,
        version=version,
        languages=tuple(languages),
        direction=direction,
        item_texts=item_texts,
        items=tuple(items),
        units=tuple(units),
        multiply=multiply,
        add=add,
        subscales=tuple(subscales),
        bands=(),
        algorithms=tuple(_build_algorithms(r, data, unit_ids, item_ids)),
        licence=_build_licence(r, data),
        important_change=r.integer(data, "important_change", "important_change", required=False),
        notes=r.labels(data, "notes", "notes", required=False),
        data=data,
    )
    # Bands are checked against the score range, which needs the built units and transform.
    return replace(instrument, bands=tuple(_build_bands(r, data, instrument.score_range)))


def _unique(r: _Reader, where: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise r.fail(where, f"id {value!r} is used twice")
        seen.add(value)


def _build_scales(r: _Reader, data: Mapping[str, Any], item_texts: str) -> dict[str, ResponseScale]:
    raw_scales = r.get(data, "response_scales", dict, "response_scales")
    if not raw_scales:
        raise r.fail("response_scales", "must define at least one scale")
    scales = {}
    for key, spec in raw_scales.items():
        where = f"response scale {key!r}"
        if not isinstance(spec, Mapping):
            raise r.fail(where, "must be a dict")
        low = r.integer(spec, "min", where)
        high = r.integer(spec, "max", where)
        if low >= high:
            raise r.fail(where, "'min' must be below 'max'")
        labels: dict[str, dict[int, str]] = {}
        raw_labels = r.get(spec, "labels", dict, where, required=False) or {}
        for lang, mapping in raw_labels.items():
            if lang not in r.languages or not isinstance(mapping, Mapping):
                raise r.fail(where, f"labels for {lang!r}: language not listed in 'languages'")
            labels[lang] = {}
            for value, text in mapping.items():
                try:
                    number = int(value)
                except (TypeError, ValueError):
                    raise r.fail(where, f"label key {value!r} is not a whole number") from None
                if not low <= number <= high or not isinstance(text, str) or not text:
                    raise r.fail(where, f"label for {value!r} is outside {low} to {high} or empty")
                labels[lang][number] = text
        scales[key] = ResponseScale(low, high, labels, r.labels(spec, "coding", where, required=False))
    return scales


def _build_items(
    r: _Reader, data: Mapping[str, Any], scales: Mapping[str, ResponseScale], item_texts: str
) -> list[Item]:
    raw_items = r.get(data, "items", list, "items")
    if not raw_items:
        raise r.fail("items", "must not be empty")
    items = []
    for i, spec in enumerate(raw_items):
        where = f"item {i + 1}"
        if not isinstance(spec, Mapping):
            raise r.fail(where, "must be a dict")
        item_id = r.get(spec, "id", str, where)
        if not _ITEM_ID.match(item_id):
            raise r.fail(where, f"id {item_id!r} must be letters, digits or _")
        where = f"item {item_id}"
        scale_key = r.get(spec, "scale", str, where)
        if scale_key not in scales:
            raise r.fail(where, f"unknown response scale {scale_key!r}")
        reverse = r.get(spec, "reverse", bool, where, required=False) or False
        text = r.labels(spec, "text", where, required=item_texts == ITEM_TEXTS_INCLUDED)
        if text is not None and item_texts == ITEM_TEXTS_LICENSED:
            # A file that is marked "licensed file required" must not smuggle texts in.
            raise r.fail(where, "has a text although item_texts is 'licensed_file_required'")
        items.append(Item(
            id=item_id,
            scale=scales[scale_key],
            reverse=reverse,
            topic=r.labels(spec, "topic", where),
            text=text,
            note=r.labels(spec, "note", where, required=False),
        ))
    _unique(r, "items", [item.id for item in items])
    return items


def _build_units(r: _Reader, scoring: Mapping[str, Any], item_ids: list[str]) -> list[Unit]:
    groups: dict[str, Unit] = {}
    first_of: dict[str, str] = {}
    grouped: set[str] = set()
    for i, spec in enumerate(r.get(scoring, "higher_of", list, "scoring", required=False) or []):
        where = f"higher_of group {i + 1}"
        if not isinstance(spec, Mapping):
            raise r.fail(where, "must be a dict")
        unit_id = r.get(spec, "id", str, where)
        members = r.id_list(spec, "items", where, item_ids)
        if len(members) < 2:
            raise r.fail(where, "needs at least two items")
        if grouped & set(members):
            raise r.fail(where, "an item may belong to one higher_of group only")
        if unit_id in item_ids and unit_id not in members:
            raise r.fail(where, f"id {unit_id!r} clashes with an item id")
        grouped |= set(members)
        groups[unit_id] = Unit(unit_id, members)
        first_of[min(members, key=item_ids.index)] = unit_id
    _unique(r, "higher_of", list(groups))
    # Units keep item order; a group takes the place of its first item.
    units = []
    for item_id in item_ids:
        if item_id in first_of:
            units.append(groups[first_of[item_id]])
        elif item_id not in grouped:
            units.append(Unit(item_id, (item_id,)))
    return units


def _build_bands(r: _Reader, data: Mapping[str, Any], score_range: tuple[int, int]) -> list[Band]:
    bands = []
    for i, spec in enumerate(r.get(data, "bands", list, "bands", required=False) or []):
        where = f"band {i + 1}"
        if not isinstance(spec, Mapping):
            raise r.fail(where, "must be a dict")
        key = r.get(spec, "key", str, where)
        if not _KEY.match(key):
            raise r.fail(where, f"key {key!r} must be a lower-case slug")
        low = r.integer(spec, "min", where)
        high = r.integer(spec, "max", where)
        if low > high:
            raise r.fail(where, "'min' is above 'max'")
        label = r.labels(spec, "label", where)
        bands.append(Band(key, low, high, label, r.labels(spec, "interpretation", where)))
    _unique(r, "bands", [b.key for b in bands])
    if bands:
        # Every possible score must land in exactly one band: sorted, contiguous, covering the range.
        low, high = score_range
        if bands[0].min != low or bands[-1].max != high:
            raise r.fail("bands", f"must cover the score range {low} to {high} exactly")
        for before, after in zip(bands, bands[1:]):
            if after.min != before.max + 1:
                raise r.fail("bands", f"{before.key!r} and {after.key!r} must be contiguous and in order")
    return bands


def _build_algorithms(
    r: _Reader, data: Mapping[str, Any], unit_ids: list[str], item_ids: list[str]
) -> list[Algorithm]:
    algorithms = []
    for i, spec in enumerate(r.get(data, "algorithms", list, "algorithms", required=False) or []):
        where = f"algorithm {i + 1}"
        if not isinstance(spec, Mapping):
            raise r.fail(where, "must be a dict")
        algo_id = r.get(spec, "id", str, where)
        where = f"algorithm {algo_id}"
        kind = r.get(spec, "type", str, where)
        label = r.labels(spec, "label", where)
        raw_results = r.get(spec, "results", dict, where)
        results = {
            key: r.labels_value(value, f"{where} result {key!r}") for key, value in raw_results.items()
        }
        if kind == "symptom_count":
            symptoms = []
            for j, s in enumerate(r.get(spec, "symptoms", list, where)):
                swhere = f"{where} symptom {j + 1}"
                if not isinstance(s, Mapping):
                    raise r.fail(swhere, "must be a dict")
                group = r.get(s, "group", str, swhere)
                if group == _TOTAL:
                    raise r.fail(swhere, f"group may not be called {_TOTAL!r}")
                symptoms.append(Symptom(
                    r.get(s, "id", str, swhere),
                    r.id_list(s, "units", swhere, unit_ids),
                    r.integer(s, "threshold", swhere),
                    group,
                ))
            if not symptoms:
                raise r.fail(where, "needs symptoms")
            _unique(r, f"{where} symptoms", [s.id for s in symptoms])
            groups = {s.group for s in symptoms} | {_TOTAL}
            levels = []
            for j, lv in enumerate(r.get(spec, "levels", list, where)):
                lwhere = f"{where} level {j + 1}"
                if not isinstance(lv, Mapping):
                    raise r.fail(lwhere, "must be a dict")
                minimum = r.get(lv, "minimum", dict, lwhere)
                for group, n in minimum.items():
                    if group not in groups or not isinstance(n, int) or isinstance(n, bool) or n < 0:
                        raise r.fail(lwhere, f"minimum {group!r}: unknown group or not a whole number")
                levels.append(Level(r.get(lv, "key", str, lwhere), dict(minimum)))
            if not levels:
                raise r.fail(where, "needs levels")
            default = r.get(spec, "default", str, where)
            keys = [lv.key for lv in levels] + [default]
            _unique(r, f"{where} levels", keys)
            missing = [k for k in keys if k not in results]
            if missing:
                raise r.fail(where, f"'results' needs labels for {', '.join(missing)}")
            algorithms.append(
                Algorithm(algo_id, kind, label, results, tuple(symptoms), tuple(levels), default)
            )
        elif kind == "any_condition":
            conditions = []
            for j, c in enumerate(r.get(spec, "conditions", list, where)):
                cwhere = f"{where} condition {j + 1}"
                if not isinstance(c, Mapping):
                    raise r.fail(cwhere, "must be a dict")
                on = r.get(c, "on", str, cwhere)
                if on not in ("raw", "score", "answer"):
                    raise r.fail(cwhere, "'on' must be raw, score or answer")
                items: tuple[str, ...] = ()
                if on == "answer":
                    items = r.id_list(c, "items", cwhere, item_ids) if "items" in c else tuple(item_ids)
                at_most = r.integer(c, "at_most", cwhere, required=False)
                at_least = r.integer(c, "at_least", cwhere, required=False)
                if at_most is None and at_least is None:
                    raise r.fail(cwhere, "needs 'at_most' or 'at_least'")
                conditions.append(Condition(on, items, at_most, at_least))
            if not conditions:
                raise r.fail(where, "needs conditions")
            missing = [k for k in ("met", "not_met") if k not in results]
            if missing:
                raise r.fail(where, f"'results' needs labels for {', '.join(missing)}")
            algorithms.append(Algorithm(algo_id, kind, label, results, conditions=tuple(conditions)))
        else:
            raise r.fail(where, "'type' must be symptom_count or any_condition")
    _unique(r, "algorithms", [a.id for a in algorithms])
    return algorithms


def _build_licence(r: _Reader, data: Mapping[str, Any]) -> Licence:
    spec = r.get(data, "licence", dict, "licence")
    commercial = r.get(spec, "commercial_use", str, "licence")
    if commercial not in _COMMERCIAL_USE:
        raise r.fail("licence", f"'commercial_use' must be one of {', '.join(_COMMERCIAL_USE)}")
    sources = r.get(spec, "sources", list, "licence", required=False) or []
    if not all(isinstance(s, str) for s in sources):
        raise r.fail("licence", "'sources' must be texts")
    holder = r.get(spec, "holder", str, "licence")
    return Licence(holder, commercial, r.labels(spec, "note", "licence"), tuple(sources))


def _scoring_signature(instrument: Instrument) -> tuple[Any, ...]:
    """Everything that decides a score; texts, labels and notes are deliberately left out."""
    return (
        tuple((i.id, i.min, i.max, i.reverse) for i in instrument.items),
        tuple((u.id, u.items) for u in instrument.units),
        instrument.multiply,
        instrument.add,
        tuple((s.id, s.units) for s in instrument.subscales),
        tuple((b.key, b.min, b.max) for b in instrument.bands),
        tuple(
            (
                a.id,
                a.type,
                a.default,
                a.symptoms,
                tuple((lv.key, tuple(sorted(lv.minimum.items()))) for lv in a.levels),
                a.conditions,
            )
            for a in instrument.algorithms
        ),
    )
