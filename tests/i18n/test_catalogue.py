"""The Danish catalogue is complete: every entry translated, none fuzzy (fuzzy entries are not compiled)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "fasthold" / "locale" / "da" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n")[1:]:  # the first block is the header
        if not block.strip() or block.lstrip().startswith("#~"):
            continue
        yield block


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for block in _entries(PO.read_text(encoding="utf-8")):
        msgid = re.search(r'^msgid "(.*)"', block, re.M).group(1)
        if "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M):
            fuzzy.append(msgid)
        for value in re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M):
            if value == ("", ""):
                untranslated.append(msgid)
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_there():
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_size > 10_000
