"""Rule packs: reading the JSON files, checking them against the schema and compiling them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import holidays

from .dates import Offset, Step, _compile
from .model import (
    CONDITION_KEYS,
    CONFIDENCE,
    EMPLOYER_PAYS,
    EVENTS,
    FIRST_SICK_DAY,
    KINDS,
    NO_CONDITIONS,
    NON_WORKING_DAY,
    OFFSET_KINDS,
    RESPONSIBLE,
    TRIGGERS,
    Conditions,
    Counter,
    LeftOut,
    Outcome,
    Pack,
    Recurrence,
    Rule,
    RuleError,
)

# The packs are package data of fasthold.deadlines (pyproject.toml), beside this package.
PACK_DIR = Path(__file__).resolve().parent.parent / "rulepacks"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


# --------------------------------------------------------------------------- schema check and parsing


def _check_title(obj: Any, where: str, errors: list[str]) -> None:
    if (
        not isinstance(obj, dict)
        or set(obj) != {"da", "en"}
        or not all(isinstance(v, str) and v.strip() for v in obj.values())
    ):
        errors.append(f"{where}: title must be {{da, en}} with non-empty strings")


def _check_offset(obj: Any, where: str, errors: list[str]) -> None:
    steps = obj if isinstance(obj, list) else [obj]
    if not steps:
        errors.append(f"{where}: empty offset")
    for step in steps:
        if not isinstance(step, dict) or step.get("kind") not in OFFSET_KINDS:
            errors.append(f"{where}: offset step needs kind in {', '.join(OFFSET_KINDS)}")
            continue
        if set(step) - {"kind", "n"}:
            errors.append(f"{where}: unknown offset fields {sorted(set(step) - {'kind', 'n'})}")
        n = step.get("n")
        if step["kind"] == "end_of_calendar_month":
            if n is not None:
                errors.append(f"{where}: end_of_calendar_month takes no n")
        elif not isinstance(n, int) or isinstance(n, bool):
            errors.append(f"{where}: offset {step['kind']} needs an integer n")
        elif step["kind"] in ("day", "end_of_week") and n < 1:
            errors.append(f"{where}: {step['kind']} counts from 1")
        elif step["kind"] == "working_days" and n < 0:
            errors.append(f"{where}: working_days must not be negative")


def _check_conditions(obj: Any, where: str, errors: list[str], nested: bool = False) -> None:
    if not isinstance(obj, dict):
        errors.append(f"{where}: conditions must be an object")
        return
    allowed = set(CONDITION_KEYS) - ({"unless"} if nested else set())
    if nested:
        allowed |= {"reason"}
    for k in set(obj) - allowed:
        errors.append(f"{where}: unknown condition {k!r}")
    for k in ("employed", "work_injury"):
        if k in obj and not isinstance(obj[k], bool):
            errors.append(f"{where}: {k} must be true or false")
    for k in ("expected_weeks_over", "expected_weeks_at_most"):
        if k in obj and (not isinstance(obj[k], int) or isinstance(obj[k], bool) or obj[k] < 0):
            errors.append(f"{where}: {k} must be a non-negative integer")
    if "benefit_category" in obj and not (
        isinstance(obj["benefit_category"], list)
        and obj["benefit_category"]
        and all(isinstance(c, int) and not isinstance(c, bool) for c in obj["benefit_category"])
    ):
        errors.append(f"{where}: benefit_category must be a non-empty list of integers")
    if "cause_group" in obj and not (
        isinstance(obj["cause_group"], list)
        and obj["cause_group"]
        and all(isinstance(c, str) for c in obj["cause_group"])
    ):
        errors.append(f"{where}: cause_group must be a non-empty list of strings")
    if "employer_pays" in obj and not (
        isinstance(obj["employer_pays"], list)
        and obj["employer_pays"]
        and all(p in EMPLOYER_PAYS for p in obj["employer_pays"])
    ):
        errors.append(f"{where}: employer_pays must be a non-empty list of {', '.join(EMPLOYER_PAYS)}")
    if "absence_hours_at_least" in obj and (
        not isinstance(obj["absence_hours_at_least"], int | float)
        or isinstance(obj["absence_hours_at_least"], bool)
        or obj["absence_hours_at_least"] <= 0
    ):
        errors.append(f"{where}: absence_hours_at_least must be a positive number")
    if "unless" in obj:
        _check_conditions(obj["unless"], f"{where}.unless", errors, nested=True)
        if isinstance(obj["unless"], dict):
            _check_title(obj["unless"].get("reason"), f"{where}.unless.reason", errors)
    if nested and len(set(obj) - {"reason"}) == 0:
        errors.append(f"{where}: an exemption must name at least one fact")


def _parse_date(value: Any, where: str, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(f"{where}: not an ISO date: {value!r}")
        return None


_MILESTONE_FIELDS = {
    "key",
    "title",
    "responsible",
    "trigger",
    "offset",
    "conditions",
    "variants",
    "recurrence",
    "flag_from",
    "legal_ref",
    "legal_phrase",
    "alternative_reading",
    "source",
    "confidence",
    "unconfirmed",
    "outcomes",
    "note",
    "kind",
    "when",
    "non_working_day",
    "counter",
}
_PACK_FIELDS = {
    "id",
    "jurisdiction",
    "version",
    "title",
    "applies_from",
    "applies_until",
    "optional",
    "assumption",
    "holiday_country",
    "benefit_categories",
    "milestones",
    "note",
    "sources",
    "left_out",
    "non_working_days",
}
# A source the user is shown must be public: a web address, never a file of the project.
_URL_RE = re.compile(r"https?://\S+")
_FILE_RE = re.compile(r"[\w.-]+/[\w./-]*\.(txt|pdf|md|json|docx?|py)\b|shared/|seeds/|\\")


def has_file_path(value: str) -> bool:
    """Does the text name a file (outside any web address), e.g. ``shared/seeds/004.txt``?"""
    return bool(_FILE_RE.search(_URL_RE.sub(" ", value)))


def _check_public_source(value: Any, where: str, errors: list[str]) -> None:
    if not isinstance(value, str) or not _URL_RE.search(value):
        errors.append(f"{where}: a source must give a public web address (https://...)")
    elif has_file_path(value):
        errors.append(f"{where}: a source must not name a file of the project")


def validate_pack_data(data: Any) -> list[str]:
    """Every problem found in a pack's data, as readable lines; [] when the pack is valid."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["pack: must be a JSON object"]
    for k in sorted(set(data) - _PACK_FIELDS):
        errors.append(f"pack: unknown field {k!r}")
    for k in ("id", "jurisdiction", "version", "title", "applies_from", "milestones"):
        if k not in data:
            errors.append(f"pack: missing {k!r}")
    if errors:
        return errors
    if not isinstance(data["id"], str) or not _ID_RE.match(data["id"]):
        errors.append("pack: id must be lower-case letters, digits and hyphens")
    for k in ("jurisdiction", "version"):
        if not isinstance(data[k], str) or not data[k]:
            errors.append(f"pack: {k} must be a non-empty string")
    _check_title(data["title"], "pack", errors)
    start = _parse_date(data["applies_from"], "pack.applies_from", errors)
    if data.get("applies_until") is not None:
        end = _parse_date(data["applies_until"], "pack.applies_until", errors)
        if start and end and end < start:
            errors.append("pack: applies_until is before applies_from")
    for k in ("optional", "assumption"):
        if k in data and not isinstance(data[k], bool):
            errors.append(f"pack: {k} must be true or false")
    country = data.get("holiday_country", "DK")
    try:
        holidays.country_holidays(country, years=2025)
    except (NotImplementedError, KeyError, TypeError):
        errors.append(f"pack: unknown holiday_country {country!r}")
    if "benefit_categories" in data and not (
        isinstance(data["benefit_categories"], list)
        and all(isinstance(c, int) and not isinstance(c, bool) for c in data["benefit_categories"])
    ):
        errors.append("pack: benefit_categories must be a list of integers")
    for j, src in enumerate(data.get("sources", [])):
        _check_public_source(src, f"pack.sources[{j}]", errors)
    if "non_working_days" in data:
        _check_title(data["non_working_days"], "pack.non_working_days", errors)
    left_out = data.get("left_out", [])
    if not isinstance(left_out, list):
        errors.append("pack: left_out must be a list")
        left_out = []
    for j, item in enumerate(left_out):
        lw = f"pack.left_out[{j}]"
        if not isinstance(item, dict) or set(item) != {"key", "title", "why", "legal_ref", "source"}:
            errors.append(f"{lw}: needs exactly key, title, why, legal_ref and source")
            continue
        if not isinstance(item["key"], str) or not _KEY_RE.match(item["key"]):
            errors.append(f"{lw}: key must be snake_case")
        _check_title(item["title"], lw, errors)
        _check_title(item["why"], f"{lw}.why", errors)
        if not isinstance(item["legal_ref"], str) or not item["legal_ref"].strip():
            errors.append(f"{lw}: legal_ref must be a non-empty string")
        _check_public_source(item["source"], lw, errors)
    milestones = data["milestones"]
    if not isinstance(milestones, list) or not milestones:
        errors.append("pack: milestones must be a non-empty list")
        return errors
    seen: set[str] = set()
    for i, m in enumerate(milestones):
        where = f"milestone[{i}]"
        if not isinstance(m, dict):
            errors.append(f"{where}: must be an object")
            continue
        key = m.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            errors.append(f"{where}: key must be snake_case")
        else:
            where = f"milestone {key}"
            if key in seen:
                errors.append(f"{where}: duplicate key")
            seen.add(key)
        for k in sorted(set(m) - _MILESTONE_FIELDS):
            errors.append(f"{where}: unknown field {k!r}")
        kind = m.get("kind", "deadline")
        if kind not in KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        required = ("title", "responsible", "trigger", "legal_ref", "source", "confidence")
        for k in (*required, "offset") if kind != "standing" else required:
            if k not in m:
                errors.append(f"{where}: missing {k!r}")
        if kind == "standing":
            _check_title(m.get("when"), f"{where}.when", errors)
            for k in ("recurrence", "counter", "variants", "flag_from"):
                if k in m:
                    errors.append(f"{where}: a standing rule has no date, so no {k}")
        elif "when" in m:
            errors.append(f"{where}: only a standing rule has a when")
        if m.get("non_working_day", "keep") not in NON_WORKING_DAY:
            errors.append(f"{where}: non_working_day must be one of {', '.join(NON_WORKING_DAY)}")
        if "counter" in m:
            c = m["counter"]
            if (
                not isinstance(c, dict)
                or set(c) - {"paid_weeks_over", "window_months", "not_counted_first_days"}
                or not {"paid_weeks_over", "window_months"} <= set(c)
                or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in c.values())
            ):
                errors.append(
                    f"{where}.counter: needs paid_weeks_over and window_months "
                    "(and optional not_counted_first_days), non-negative integers"
                )
            elif m.get("trigger") != FIRST_SICK_DAY:
                errors.append(f"{where}.counter: a counter counts from the first sick day")
        if "title" in m:
            _check_title(m["title"], where, errors)
        if "responsible" in m and m["responsible"] not in RESPONSIBLE:
            errors.append(f"{where}: responsible must be one of {', '.join(RESPONSIBLE)}")
        if "trigger" in m and m["trigger"] not in TRIGGERS:
            errors.append(f"{where}: unknown trigger {m['trigger']!r}")
        if "offset" in m:
            _check_offset(m["offset"], f"{where}.offset", errors)
        if "flag_from" in m:
            _check_offset(m["flag_from"], f"{where}.flag_from", errors)
        if "conditions" in m:
            _check_conditions(m["conditions"], f"{where}.conditions", errors)
        for j, v in enumerate(m.get("variants", [])):
            if (
                not isinstance(v, dict)
                or set(v) - {"when", "offset", "note", "flag_from"}
                or not {"when", "offset"} <= set(v)
            ):
                errors.append(f"{where}.variants[{j}]: needs when and offset (and an optional note and flag_from)")
                continue
            _check_conditions(v["when"], f"{where}.variants[{j}].when", errors, nested=True)
            _check_offset(v["offset"], f"{where}.variants[{j}].offset", errors)
            if "flag_from" in v:
                _check_offset(v["flag_from"], f"{where}.variants[{j}].flag_from", errors)
        if "recurrence" in m:
            r = m["recurrence"]
            rw = f"{where}.recurrence"
            if not isinstance(r, dict):
                errors.append(f"{rw}: must be an object")
            elif "count" in r:
                if set(r) - {"count", "first"}:
                    errors.append(f"{rw}: a counted recurrence takes count and first")
                if not isinstance(r["count"], int) or r["count"] < 1:
                    errors.append(f"{rw}: count must be a positive integer")
                if "first" in r:
                    _check_offset(r["first"], f"{rw}.first", errors)
            elif "every" in r:
                if set(r) - {"every", "until_event", "horizon"} or "horizon" not in r:
                    errors.append(f"{rw}: a periodic recurrence takes every, horizon and until_event")
                _check_offset(r["every"], f"{rw}.every", errors)
                if "horizon" in r:
                    _check_offset(r["horizon"], f"{rw}.horizon", errors)
                if r.get("until_event") not in (None, *EVENTS):
                    errors.append(f"{rw}: unknown until_event {r.get('until_event')!r}")
            else:
                errors.append(f"{rw}: needs count or every")
        for k in ("legal_ref", "source"):
            if k in m and (not isinstance(m[k], str) or not m[k].strip()):
                errors.append(f"{where}: {k} must be a non-empty string")
        if isinstance(m.get("source"), str) and m["source"].strip():
            _check_public_source(m["source"], where, errors)
        conf = m.get("confidence")
        if "confidence" in m and conf not in CONFIDENCE:
            errors.append(f"{where}: confidence must be one of {', '.join(CONFIDENCE)}")
        unconfirmed = m.get("unconfirmed", False)
        if not isinstance(unconfirmed, bool):
            errors.append(f"{where}: unconfirmed must be true or false")
        elif conf in CONFIDENCE and conf != "high" and not unconfirmed:
            # Anything the research does not rate High must be visibly flagged in the product.
            errors.append(f'{where}: confidence {conf!r} requires "unconfirmed": true')
        for j, o in enumerate(m.get("outcomes", [])):
            ow = f"{where}.outcomes[{j}]"
            if not isinstance(o, dict) or set(o) - {"key", "title", "legal_ref", "max_weeks", "unconfirmed"}:
                errors.append(f"{ow}: unknown fields")
                continue
            if not isinstance(o.get("key"), str) or not _KEY_RE.match(o["key"]):
                errors.append(f"{ow}: key must be snake_case")
            _check_title(o.get("title"), ow, errors)
            if not isinstance(o.get("legal_ref"), str):
                errors.append(f"{ow}: legal_ref must be a string")
            mw = o.get("max_weeks")
            if mw is not None and (not isinstance(mw, int) or mw < 1):
                errors.append(f"{ow}: max_weeks must be a positive integer or null")
        for k in ("note", "legal_phrase", "alternative_reading"):
            if k in m and not isinstance(m[k], str):
                errors.append(f"{where}: {k} must be a string")
    return errors


def _offset(obj: Any) -> Offset:
    steps = obj if isinstance(obj, list) else [obj]
    return tuple(Step(s["kind"], s.get("n", 0)) for s in steps)


def _conditions(obj: Mapping[str, Any] | None) -> Conditions:
    if not obj:
        return NO_CONDITIONS
    unless = obj.get("unless")
    return Conditions(
        employed=obj.get("employed"),
        expected_weeks_over=obj.get("expected_weeks_over"),
        expected_weeks_at_most=obj.get("expected_weeks_at_most"),
        benefit_category=frozenset(obj["benefit_category"]) if "benefit_category" in obj else None,
        work_injury=obj.get("work_injury"),
        cause_group=frozenset(obj["cause_group"]) if "cause_group" in obj else None,
        employer_pays=frozenset(obj["employer_pays"]) if "employer_pays" in obj else None,
        absence_hours_at_least=obj.get("absence_hours_at_least"),
        unless=_conditions(unless) if unless else None,
        unless_reason_en=unless["reason"]["en"] if unless else "",
        unless_reason_da=unless["reason"]["da"] if unless else "",
    )


def _rule(m: Mapping[str, Any], pack_id: str, pack_version: str, country: str) -> Rule:
    rec = m.get("recurrence")
    recurrence = None
    if rec is not None:
        recurrence = Recurrence(
            count=rec.get("count"),
            first=_offset(rec["first"]) if "first" in rec else (),
            every=_offset(rec["every"]) if "every" in rec else (),
            until_event=rec.get("until_event"),
            horizon=_offset(rec["horizon"]) if "horizon" in rec else (),
            first_fn=_compile(_offset(rec["first"]), country) if "first" in rec else None,
            every_fn=_compile(_offset(rec["every"]), country) if "every" in rec else None,
            horizon_fn=_compile(_offset(rec["horizon"]), country) if "horizon" in rec else None,
        )
    return Rule(
        key=m["key"],
        title_da=m["title"]["da"],
        title_en=m["title"]["en"],
        responsible=m["responsible"],
        trigger=m["trigger"],
        offset=_offset(m["offset"]) if "offset" in m else (),
        conditions=_conditions(m.get("conditions")),
        variants=tuple((_conditions(v["when"]), _offset(v["offset"])) for v in m.get("variants", [])),
        recurrence=recurrence,
        flag_from=_offset(m["flag_from"]) if "flag_from" in m else None,
        legal_ref=m["legal_ref"],
        source=m["source"],
        confidence=m["confidence"],
        unconfirmed=m.get("unconfirmed", False),
        outcomes=tuple(
            Outcome(
                key=o["key"],
                title_da=o["title"]["da"],
                title_en=o["title"]["en"],
                legal_ref=o["legal_ref"],
                max_weeks=o.get("max_weeks"),
                unconfirmed=o.get("unconfirmed", False),
            )
            for o in m.get("outcomes", [])
        ),
        note=m.get("note", ""),
        legal_phrase=m.get("legal_phrase", ""),
        alternative_reading=m.get("alternative_reading", ""),
        pack_id=pack_id,
        pack_version=pack_version,
        kind=m.get("kind", "deadline"),
        when_da=m["when"]["da"] if "when" in m else "",
        when_en=m["when"]["en"] if "when" in m else "",
        non_working_day=m.get("non_working_day", "keep"),
        holiday_country=country,
        counter=Counter(**m["counter"]) if "counter" in m else None,
        due_fn=_compile(_offset(m["offset"]), country) if "offset" in m else None,
        flag_fn=_compile(_offset(m["flag_from"]), country) if "flag_from" in m else None,
        variant_fns=tuple(
            (_conditions(v["when"]), _compile(_offset(v["offset"]), country)) for v in m.get("variants", [])
        ),
        variant_flag_fns=tuple(
            _compile(_offset(v["flag_from"]), country) if "flag_from" in v else None for v in m.get("variants", [])
        ),
    )


def parse_pack(data: Any) -> Pack:
    """Check and compile a pack's data; RuleError lists what is wrong."""
    errors = validate_pack_data(data)
    if errors:
        name = data.get("id", "?") if isinstance(data, dict) else "?"
        raise RuleError(f"rule pack {name} is invalid: " + "; ".join(errors))
    until = data.get("applies_until")
    cats = data.get("benefit_categories")
    pack = Pack(
        id=data["id"],
        jurisdiction=data["jurisdiction"],
        version=data["version"],
        title_da=data["title"]["da"],
        title_en=data["title"]["en"],
        applies_from=date.fromisoformat(data["applies_from"]),
        applies_until=date.fromisoformat(until) if until else None,
        optional=data.get("optional", False),
        assumption=data.get("assumption", False),
        holiday_country=data.get("holiday_country", "DK"),
        benefit_categories=frozenset(cats) if cats is not None else None,
        rules=tuple(
            _rule(m, data["id"], data["version"], data.get("holiday_country", "DK")) for m in data["milestones"]
        ),
        note=data.get("note", ""),
        left_out=tuple(
            LeftOut(
                key=item["key"],
                title_da=item["title"]["da"],
                title_en=item["title"]["en"],
                why_da=item["why"]["da"],
                why_en=item["why"]["en"],
                legal_ref=item["legal_ref"],
                source=item["source"],
            )
            for item in data.get("left_out", [])
        ),
        non_working_days_da=data.get("non_working_days", {}).get("da", ""),
        non_working_days_en=data.get("non_working_days", {}).get("en", ""),
        sources=tuple(data.get("sources", [])),
    )
    # Derived once; the pack stays immutable.
    object.__setattr__(pack, "plan", _plan(pack))
    object.__setattr__(
        pack,
        "event_rules",
        tuple(
            i
            for i, rule in enumerate(pack.rules)
            if rule.trigger != FIRST_SICK_DAY
            or (rule.recurrence is not None and rule.recurrence.until_event)
            or rule.counter is not None  # the § 24 counter reads full_return and relapse
        ),
    )
    return pack


def _plan(pack: Pack) -> tuple[tuple[Any, ...], ...]:
    # Per rule, what compute needs, unpacked once instead of read attribute by attribute.
    return tuple(
        (
            rule,
            None if rule.conditions is NO_CONDITIONS else rule.conditions,
            None if rule.trigger == FIRST_SICK_DAY else rule.trigger,
            rule.due_fn,
            rule.flag_fn,
            tuple(zip(rule.variant_fns, rule.variant_flag_fns, strict=True)),
            rule.recurrence,
        )
        for rule in pack.rules
    )


# --------------------------------------------------------------------------- loading and selection


@lru_cache(maxsize=1)
def available_packs() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PACK_DIR.glob("*.json")))


@cache
def load_pack(pack_id: str) -> Pack:
    """The pack with this id, parsed once per process."""
    if not isinstance(pack_id, str) or not _ID_RE.match(pack_id) or pack_id not in available_packs():
        raise RuleError(f"unknown rule pack {pack_id!r} (available: {', '.join(available_packs())})")
    path = PACK_DIR / f"{pack_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(f"rule pack {pack_id} is not valid JSON: {exc}") from exc
    pack = parse_pack(data)
    if pack.id != pack_id:
        raise RuleError(f"rule pack file {path.name} declares id {pack.id!r}")
    return pack


def jurisdictions() -> tuple[str, ...]:
    return tuple(sorted({load_pack(p).jurisdiction for p in available_packs()}))


def packs_for(jurisdiction: str, first_sick_day: date, include_optional: bool = True) -> list[Pack]:
    """Packs of a jurisdiction in force for this first sick day: the law pack first."""
    found = [
        pack
        for pack in map(load_pack, available_packs())
        if pack.jurisdiction == jurisdiction and pack.covers(first_sick_day) and (include_optional or not pack.optional)
    ]
    # Law before good practice; among laws the newest version first.
    found.sort(key=lambda p: (p.optional, -p.applies_from.toordinal(), p.id))
    return found


def law_pack_for(jurisdiction: str, first_sick_day: date) -> Pack:
    """The one law pack of a jurisdiction that applies to a case with this first sick day."""
    if jurisdiction not in jurisdictions():
        raise RuleError(f"unknown jurisdiction or pack {jurisdiction!r} (available: {', '.join(available_packs())})")
    found = packs_for(jurisdiction, first_sick_day, include_optional=False)
    if not found:
        raise RuleError(f"no {jurisdiction} rule pack applies to a first sick day of {first_sick_day.isoformat()}")
    return found[0]


def resolve_pack(name: str, first_sick_day: date) -> Pack:
    """A jurisdiction code ("dk") picks the version in force; a pack id must cover the day."""
    if name in available_packs():
        pack = load_pack(name)
        if not pack.covers(first_sick_day):
            raise RuleError(
                f"rule pack {name} applies to first sick days from {pack.applies_from.isoformat()}"
                + (f" to {pack.applies_until.isoformat()}" if pack.applies_until else "")
            )
        return pack
    return law_pack_for(name, first_sick_day)
