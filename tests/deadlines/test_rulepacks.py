"""The rule packs are data: each file must pass the engine's schema check and cover the law."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from fasthold.deadlines import engine

# The public sources of the research notes on the law, kept with the tests.
LAW_SOURCES = Path(__file__).with_name("law_sources.txt")
URL_RE = re.compile(r"https?://[^\s;,]+[^\s;,.]")
DK_LAW_PACKS = ("dk-2014", "dk-2025", "dk-2026-assumption")
DK_KEYS = {
    "absence_conversation",
    "report_to_municipality",
    "fast_track_window",
    "fast_track_first_conversation",
    "retention_plan",
    "employer_period_end",
    "first_follow_up",
    "follow_ups_first_half_year",
    "benefit_review",
}


def raw(pack_id: str) -> dict:
    return json.loads((engine.PACK_DIR / f"{pack_id}.json").read_text(encoding="utf-8"))


def test_expected_packs_exist():
    assert set(engine.available_packs()) == {*DK_LAW_PACKS, "dk-good-practice", "nl", "no"}


@pytest.mark.parametrize("pack_id", engine.available_packs())
def test_pack_validates(pack_id: str):
    data = raw(pack_id)
    assert engine.validate_pack_data(data) == []
    pack = engine.load_pack(pack_id)
    assert pack.id == pack_id == data["id"]
    assert pack.title_da and pack.title_en


@pytest.mark.parametrize("pack_id", DK_LAW_PACKS)
def test_danish_packs_have_the_required_keys(pack_id: str):
    keys = {m["key"] for m in raw(pack_id)["milestones"]}
    assert DK_KEYS <= keys


def test_danish_law_versions_are_contiguous_and_do_not_overlap():
    packs = sorted((engine.load_pack(p) for p in DK_LAW_PACKS), key=lambda p: p.applies_from)
    for older, newer in zip(packs, packs[1:]):
        assert older.applies_until is not None
        assert older.applies_until + timedelta(days=1) == newer.applies_from
    assert packs[-1].applies_until is None


def test_category_3_and_light_track_by_period():
    assert engine.load_pack("dk-2014").benefit_categories == {1, 2, 3}
    assert engine.load_pack("dk-2025").benefit_categories == {1, 2}
    assert "light_track_check" not in {m["key"] for m in raw("dk-2014")["milestones"]}
    assert "light_track_check" in {m["key"] for m in raw("dk-2025")["milestones"]}


def test_assumption_pack_is_marked():
    data = raw("dk-2026-assumption")
    assert data["assumption"] is True and "assumption" in data["id"]
    exempt = [m for m in data["milestones"] if "unless" in m.get("conditions", {})]
    assert {m["key"] for m in exempt} >= {"first_follow_up", "follow_ups_first_half_year"}
    assert all(m["unconfirmed"] and m["confidence"] == "assumption" for m in exempt)


def test_good_practice_is_switchable_and_flagged():
    data = raw("dk-good-practice")
    assert data["optional"] is True
    assert all(m["unconfirmed"] for m in data["milestones"])


def test_section_7a_stores_the_legal_phrase_and_the_other_reading():
    m = next(m for m in raw("dk-2025")["milestones"] if m["key"] == "absence_conversation")
    assert "4 uger efter den første sygedag" in m["legal_phrase"]
    assert m["offset"] == {"kind": "end_of_week", "n": 4} and "day 29" in m["alternative_reading"]


@pytest.mark.parametrize("pack_id", [*DK_LAW_PACKS, "nl", "no"])
def test_law_sources_come_from_the_research_notes(pack_id: str):
    lines = LAW_SOURCES.read_text(encoding="utf-8").splitlines()
    sources = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    for m in raw(pack_id)["milestones"]:
        urls = URL_RE.findall(m["source"])
        assert urls, m["key"]
        for url in urls:
            assert url in sources, (m["key"], url)


# --------------------------------------------------------------------------- the schema check itself


def minimal() -> dict:
    return copy.deepcopy(
        {
            "id": "x",
            "jurisdiction": "xx",
            "version": "1",
            "title": {"da": "T", "en": "T"},
            "applies_from": "2020-01-01",
            "milestones": [
                {
                    "key": "a",
                    "title": {"da": "A", "en": "A"},
                    "responsible": "employer",
                    "trigger": "first_sick_day",
                    "offset": {"kind": "days", "n": 1},
                    "legal_ref": "r",
                    "source": "https://example.org/s",
                    "confidence": "high",
                }
            ],
        }
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["milestones"][0].update(responsible="boss"), "responsible"),
        (lambda d: d["milestones"][0].update(trigger="lunch"), "unknown trigger"),
        (lambda d: d["milestones"][0].update(offset={"kind": "fortnights", "n": 1}), "offset step"),
        (lambda d: d["milestones"][0].update(offset={"kind": "end_of_week", "n": 0}), "counts from 1"),
        (lambda d: d["milestones"][0].update(confidence="medium"), 'requires "unconfirmed"'),
        (lambda d: d["milestones"].append(copy.deepcopy(d["milestones"][0])), "duplicate key"),
        (lambda d: d["milestones"][0].update(conditions={"age": 3}), "unknown condition"),
        (lambda d: d["milestones"][0].update(tittle="typo"), "unknown field"),
        (lambda d: d["milestones"][0].update(title={"da": "A"}), "title"),
        (lambda d: d.update(applies_until="2019-01-01"), "before applies_from"),
        (lambda d: d.update(applies_from="2020-02-30"), "not an ISO date"),
        (lambda d: d.update(holiday_country="ZZ"), "holiday_country"),
        (lambda d: d.pop("milestones"), "missing 'milestones'"),
        (lambda d: d["milestones"][0].update(recurrence={"every": {"kind": "weeks", "n": 1}}), "periodic"),
        (lambda d: d["milestones"][0].update(conditions={"unless": {"employed": True}}), "title"),
    ],
)
def test_schema_check_catches(mutate, message: str):
    data = minimal()
    assert engine.validate_pack_data(data) == []
    mutate(data)
    errors = engine.validate_pack_data(data)
    assert any(message in e for e in errors), errors
    with pytest.raises(engine.RuleError):
        engine.parse_pack(data)


def test_minimal_pack_computes():
    pack = engine.parse_pack(minimal())
    (m,) = engine.compute(date(2026, 3, 2), pack)
    assert m.due == date(2026, 3, 3)
