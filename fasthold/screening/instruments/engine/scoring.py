"""Scoring: raw answers to a result, in the order the published rules apply it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import _TOTAL, Algorithm, AlgorithmResult, Instrument, InstrumentError, Result
from .reader import load_instrument

__all__ = ["score"]

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
    algorithms = {algo.id: _run_algorithm(algo, units, by_item, raw, final) for algo in instrument.algorithms}
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
            raise InstrumentError(f"{instrument.id}: unknown item(s) {', '.join(extra)}; items are {', '.join(ids)}")
        if missing:
            raise InstrumentError(
                f"{instrument.id}: no answer for item(s) {', '.join(missing)}; missing items are not imputed"
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
            raise InstrumentError(f"{instrument.id} item {item.id}: {value} is out of range {item.min} to {item.max}")
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
