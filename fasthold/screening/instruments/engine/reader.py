"""Reading instruments: the built-in JSON files, licensed uploads and custom scales, each checked
against the schema before an Instrument is built."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from .model import (
    _TOTAL,
    ITEM_TEXTS_INCLUDED,
    ITEM_TEXTS_LICENSED,
    SCHEMA_VERSION,
    Algorithm,
    Band,
    Condition,
    Instrument,
    InstrumentError,
    Item,
    Labels,
    Level,
    Licence,
    ResponseScale,
    Subscale,
    Symptom,
    Unit,
)

__all__ = [
    "DATA_DIR",
    "available_instruments",
    "custom_scale",
    "instrument_from_dict",
    "instrument_from_json",
    "load_instrument",
]

# The JSON files are package data of fasthold.screening.instruments (pyproject.toml).
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_ITEM_TEXTS = (ITEM_TEXTS_INCLUDED, ITEM_TEXTS_LICENSED)
_DIRECTIONS = ("higher_is_better", "higher_is_worse")
_COMMERCIAL_USE = ("free", "permission_required", "ask_author", "unclear")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9_]{1,16}$")


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


@cache
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
        bands.append(
            {
                "key": band.get("key"),
                "min": band.get("min"),
                "max": band.get("max"),
                "label": label,
                "interpretation": label,
            }
        )
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
    if isinstance(value, Mapping) and all(isinstance(value.get(lang), str) and value[lang] for lang in ("da", "en")):
        return {"da": value["da"], "en": value["en"]}
    raise InstrumentError(f"custom scale: {what} must be a non-empty text or {{'da': ..., 'en': ...}}")


# --------------------------------------------------------------------------- validation


class _Reader:
    """Typed access to the instrument dict with error messages that say where the problem is."""

    def __init__(self, instrument_id: str, languages: tuple[str, ...] = ()):
        self.id = instrument_id
        self.languages = languages

    def fail(self, where: str, message: str) -> InstrumentError:
        return InstrumentError(f"{self.id}: {where}: {message}")

    def get(
        self, data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, required: bool = True
    ) -> Any:
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

    def dicts(
        self, data: Mapping[str, Any], key: str, where: str, label: str, required: bool = True
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The list `key` of dicts, each with where it stands ("<label> <n>") for the error messages."""
        for i, value in enumerate(self.get(data, key, list, where, required) or []):
            at = f"{label} {i + 1}"
            if not isinstance(value, Mapping):
                raise self.fail(at, "must be a dict")
            yield at, value

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
    for where, sub in r.dicts(scoring, "subscales", "scoring", "subscale", required=False):
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
        items.append(
            Item(
                id=item_id,
                scale=scales[scale_key],
                reverse=reverse,
                topic=r.labels(spec, "topic", where),
                text=text,
                note=r.labels(spec, "note", where, required=False),
            )
        )
    _unique(r, "items", [item.id for item in items])
    return items


def _build_units(r: _Reader, scoring: Mapping[str, Any], item_ids: list[str]) -> list[Unit]:
    groups: dict[str, Unit] = {}
    first_of: dict[str, str] = {}
    grouped: set[str] = set()
    for where, spec in r.dicts(scoring, "higher_of", "scoring", "higher_of group", required=False):
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
    for where, spec in r.dicts(data, "bands", "bands", "band", required=False):
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


def _build_algorithms(r: _Reader, data: Mapping[str, Any], unit_ids: list[str], item_ids: list[str]) -> list[Algorithm]:
    algorithms = []
    for where, spec in r.dicts(data, "algorithms", "algorithms", "algorithm", required=False):
        algo_id = r.get(spec, "id", str, where)
        where = f"algorithm {algo_id}"
        kind = r.get(spec, "type", str, where)
        label = r.labels(spec, "label", where)
        raw_results = r.get(spec, "results", dict, where)
        results = {key: r.labels_value(value, f"{where} result {key!r}") for key, value in raw_results.items()}
        if kind == "symptom_count":
            symptoms = []
            for swhere, s in r.dicts(spec, "symptoms", where, f"{where} symptom"):
                group = r.get(s, "group", str, swhere)
                if group == _TOTAL:
                    raise r.fail(swhere, f"group may not be called {_TOTAL!r}")
                symptoms.append(
                    Symptom(
                        r.get(s, "id", str, swhere),
                        r.id_list(s, "units", swhere, unit_ids),
                        r.integer(s, "threshold", swhere),
                        group,
                    )
                )
            if not symptoms:
                raise r.fail(where, "needs symptoms")
            _unique(r, f"{where} symptoms", [s.id for s in symptoms])
            groups = {s.group for s in symptoms} | {_TOTAL}
            levels = []
            for lwhere, lv in r.dicts(spec, "levels", where, f"{where} level"):
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
            algorithms.append(Algorithm(algo_id, kind, label, results, tuple(symptoms), tuple(levels), default))
        elif kind == "any_condition":
            conditions = []
            for cwhere, c in r.dicts(spec, "conditions", where, f"{where} condition"):
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
