"""Every page of the demo, as each persona reaches it by following its links, in Danish and in English.

Each page opens (a link a persona is shown must work), and its visible text (the words between the tags,
and the aria-label, title, alt and placeholder a screen reader or a tooltip shows; not scripts or styles)
holds none of what a reader should never see:
- a raw choice value (`mental_stress`) or a model field's name (`closed_on`) instead of its label;
- a file path (`rules.py`, `/fasthold/`, `rulepacks/`);
- Django's empty choice `---------`, or a Python repr (`None`, `<QuerySet`, `object at 0x`);
- an untranslated string: on a Danish page an English msgid of the catalogue (four words or more, with
  a Danish translation that differs) verbatim; on an English page a Danish msgstr the same way.

The detectors are proven by a self-test on bad samples, so a quiet crawl means the pages are clean, not
that the checks are blind.
"""

import ast
import importlib
import pkgutil
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django import forms
from django.apps import apps
from django.db import models
from django.test import SimpleTestCase

from tests.base import ALL_DEMOS, DemoWorldTestCase
from tests.crawl import PERSONA_LANGUAGES, crawl

PO = Path(__file__).resolve().parents[2] / "fasthold" / "locale" / "da" / "LC_MESSAGES" / "django.po"
PAGES_PER_PERSONA = 120

# ---------------------------------------------------------------------------------------------------------
# Visible text


INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip
BLOCK, SEGMENT = "\x00", "\x01"
HIDDEN = {"script", "style", "template", "noscript"}
SPOKEN = ("aria-label", "title", "alt", "placeholder", "aria-description")


class _Text(HTMLParser):
    """The text of a page, with BLOCK between blocks and SEGMENT at the edges of inline elements. Text in
    an element marked as another language than the page's (`<q lang="da">` on an English page) is left
    out: it says which language it is in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.page_language = None
        self.foreign: tuple[str, int] | None = None  # the tag of the element in another language, its depth

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = (attrs.get("lang") or "")[:2] or None
        if self.foreign and tag == self.foreign[0]:
            self.foreign = (tag, self.foreign[1] + 1)
        elif not self.foreign and attrs.get("translate") == "no":
            self.foreign = (tag, 1)  # code, a name: not words of either language (the API reference's identifiers)
        elif not self.foreign and attrs.get("lang") and self.page_language and tag != "html":
            if attrs["lang"][:2] != self.page_language:
                self.foreign = (tag, 1)
        if tag in HIDDEN:
            self.hidden += 1
            return
        self.parts.append(SEGMENT if tag in INLINE else BLOCK)
        for name in SPOKEN:
            if attrs.get(name) and not self.foreign:
                self.parts.append(f"{BLOCK}{attrs[name]}{BLOCK}")

    def handle_endtag(self, tag):
        if self.foreign and tag == self.foreign[0]:
            self.foreign = (tag, self.foreign[1] - 1) if self.foreign[1] > 1 else None
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        else:
            self.parts.append(SEGMENT if tag in INLINE else BLOCK)

    def handle_data(self, data):
        if not self.hidden and not self.foreign:
            self.parts.append(data)


def visible_text(html: str, segments: bool = False) -> str:
    """The page's words, with a line break between blocks (a cell, a paragraph, a label), and with
    `segments` between inline elements too (a link, a tag after a sentence)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace(SEGMENT, BLOCK if segments else "")
    blocks = (re.sub(r"\s+", " ", block).strip() for block in text.split(BLOCK))
    return "\n".join(block for block in blocks if block)


# ---------------------------------------------------------------------------------------------------------
# What the detectors look for


def _import_everything():
    """Every module of the installed fasthold apps (not their migrations or commands): where forms and
    choice classes live."""
    for app in apps.get_app_configs():
        if not app.name.startswith("fasthold."):
            continue
        for module in pkgutil.walk_packages(app.module.__path__, f"{app.name}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _values(choices) -> set[str]:
    values = set()
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            values |= _values(label)
        elif isinstance(value, str):
            values.add(value)
    return values


IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")  # snake_case, with at least one underscore
WORD = re.compile(r"^[a-z]{4,}$")  # a lowercase word: a raw value on a Danish page if it is English


@cache
def choice_values() -> frozenset[str]:
    """Every choice value of the fasthold models' fields, of its Choices classes and of its forms' fields."""
    _import_everything()
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("fasthold."):
            continue
        for model_field in model._meta.get_fields():
            if getattr(model_field, "choices", None):
                values |= _values(model_field.choices)
    for choices in _subclasses(models.Choices):
        if choices.__module__.startswith("fasthold."):
            values |= {value for value in choices.values if isinstance(value, str)}
    for form in _subclasses(forms.BaseForm):
        if not form.__module__.startswith("fasthold."):
            continue
        for form_field in getattr(form, "base_fields", {}).values():
            if isinstance(form_field, forms.ModelChoiceField) or not isinstance(form_field, forms.ChoiceField):
                continue
            choices = form_field.choices
            if isinstance(choices, (list, tuple)):
                values |= _values(choices)
    return frozenset(values)


@cache
def field_names() -> frozenset[str]:
    """The names of the fasthold models' and forms' fields that are snake_case identifiers."""
    _import_everything()
    names: set[str] = set()
    for model in apps.get_models():
        if model.__module__.startswith("fasthold."):
            names |= {f.name for f in model._meta.get_fields()}
    for form in _subclasses(forms.BaseForm):
        if form.__module__.startswith("fasthold."):
            names |= set(getattr(form, "base_fields", {}))
    return frozenset(name for name in names if IDENTIFIER.match(name))


def _unquote(lines: str) -> str:
    return "".join(ast.literal_eval(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', lines))


@cache
def catalogue() -> tuple[tuple[str, str], ...]:
    """(msgid, msgstr) of every translated, non-fuzzy entry of the Danish catalogue, plurals included
    (the plural msgid with each plural msgstr)."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        if block.lstrip().startswith("#~") or re.search(r"^#,.*fuzzy", block, re.M):
            continue
        fields = dict(
            (key, _unquote(value))
            for key, value in re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M)
        )
        msgid = fields.get("msgid", "")
        for key, value in fields.items():
            if key.startswith("msgstr") and value:
                entries.append(
                    (fields.get("msgid_plural", msgid) if key not in ("msgstr", "msgstr[0]") else msgid, value)
                )
    return tuple(entries)


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{[\w.]*\}")
TAG = re.compile(r"<[^>]+>")


def _fragments(message: str) -> list[str]:
    """The stretches of a message between its placeholders and tags, of four words or more."""
    out = []
    for part in PLACEHOLDER.split(TAG.sub(" ", message)):
        part = re.sub(r"\s+", " ", part).strip(" ,.:;()\"'«»“”–-")
        if len(part.split()) >= 4:
            out.append(part)
    return out


@cache
def untranslated_markers() -> dict[str, frozenset[str]]:
    """Per language of a page, the catalogue's fragments that betray the other language: on a Danish
    page the English msgids (that have a different translation), on an English page the Danish msgstrs.
    A fragment that occurs in the other side of the catalogue too (a name, a word both languages share)
    is left out."""
    entries = [(msgid, msgstr) for msgid, msgstr in catalogue() if msgid != msgstr]
    english = " \n ".join(re.sub(r"\s+", " ", TAG.sub(" ", msgid)) for msgid, _ in catalogue())
    danish = " \n ".join(re.sub(r"\s+", " ", TAG.sub(" ", msgstr)) for _, msgstr in catalogue())
    return {
        "da": frozenset(f for msgid, _ in entries for f in _fragments(msgid) if f not in danish),
        "en": frozenset(f for _, msgstr in entries for f in _fragments(msgstr) if f not in english),
    }


@cache
def _none_phrases() -> tuple[str, ...]:
    """The English messages that begin with the word None ("None planned"): not a Python repr."""
    return tuple(sorted({msgid for msgid, _ in catalogue() if re.match(r"None\b", msgid)}, key=len, reverse=True))


@cache
def _danish_words() -> frozenset[str]:
    """Every word of the Danish translations: a choice value that is also one ("mentor", "social") may be
    on a Danish page as itself."""
    return frozenset(re.findall(r"\w+", " ".join(msgstr for _, msgstr in catalogue()).lower()))


@cache
def _word_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    identifiers = sorted((v for v in choice_values() if IDENTIFIER.match(v)), key=len, reverse=True)
    words = sorted(
        (v for v in choice_values() if WORD.match(v) and v not in _danish_words() and v not in PERSONA_LANGUAGES),
        key=len,
        reverse=True,
    )
    names = sorted(field_names(), key=len, reverse=True)

    def pattern(tokens, alone=False):
        if not tokens:
            return re.compile(r"(?!x)x")
        alternatives = "(" + "|".join(map(re.escape, tokens)) + ")"
        if alone:  # the whole of a block (a cell, a label), but for punctuation
            return re.compile(r"^[^\w\n]*" + alternatives + r"[^\w\n]*$", re.M)
        return re.compile(r"(?<![\w/.-])" + alternatives + r"(?![\w/-])")

    return pattern(identifiers), pattern(words, alone=True), pattern(names)


# Words of one language that the other does not have: three different ones in a sentence of a page in the
# other language is a sentence nobody translated (one that is missing from the catalogue, too).
ENGLISH_ONLY = frozenset(
    "the and with which you your this that was were has will not are from what when where would should could "
    "been their they there these those who only each after before".split()
)
DANISH_ONLY = frozenset(
    "og ikke det der som med af til på er har kan skal hvis eller når vil hvor jeg vi du dig mig jer sig "
    "hvad hvem efter før kun hver".split()
)
SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n")


def _foreign_sentences(segments: str, language: str, stored: str) -> list[str]:
    foreign = ENGLISH_ONLY if language == "da" else DANISH_ONLY
    out = []
    for sentence in SENTENCE.split(segments):
        words = re.findall(r"\w+", re.sub(r"https?://\S+", "", sentence).lower())
        if len(set(words) & foreign) >= 3 and sentence.strip() not in stored:
            out.append(sentence.strip())
    return out


FILE_PATH = re.compile(r"[\w/.-]*\.(?:py|json)\b|/fasthold/|rulepacks/")
REPRS = re.compile(r"<QuerySet|object at 0x|-{9}|\bNone\b")


def problems(text: str, language: str, stored: str = "", segments: str | None = None) -> list[str]:
    """What a reader should not see in a page's visible text (in `language`), each with a little context.
    `stored` is the text kept in the database: what people wrote (the demo's in Danish) is in the language
    they wrote it in, whatever the page's. `segments` is the text split at inline elements as well (the
    whole text if not given)."""
    found = []

    def report(kind, match, source=text):
        start, end = match.span()
        context = source[max(0, start - 40) : end + 40].replace("\n", " | ")
        found.append(f"{kind}: {match.group(match.lastindex or 0)!r} in …{context}…")

    identifiers, words, names = _word_patterns()
    for match in identifiers.finditer(text):
        report("raw choice value", match)
    if language == "da":
        for match in words.finditer(text):
            report("raw choice value", match)
    for match in names.finditer(text):
        if not IDENTIFIER.match(match.group(0)) or match.group(0) not in choice_values():
            report("field name", match)
    for match in FILE_PATH.finditer(text):
        report("file path", match)
    without_none = text
    if language == "en":
        for phrase in _none_phrases():
            without_none = without_none.replace(phrase, "")
    for match in REPRS.finditer(without_none):
        report("repr or placeholder", match, without_none)
    for sentence in _foreign_sentences(text if segments is None else segments, language, stored):
        found.append(f"not in the page's language: {sentence[:160]!r}")
    for fragment in sorted(untranslated_markers()[language], key=len, reverse=True):
        if fragment in text and fragment not in stored:
            at = text.index(fragment)
            context = text[max(0, at - 40) : at + len(fragment) + 40].replace("\n", " | ")
            found.append(f"untranslated: {fragment!r} in …{context}…")
    return found


# ---------------------------------------------------------------------------------------------------------
# The tests


class DetectorTests(SimpleTestCase):
    """Each detector fires on a bad sample and keeps quiet on a good one."""

    def test_a_raw_choice_value_is_found(self):
        value = next(v for v in sorted(choice_values()) if IDENTIFIER.match(v))
        self.assertTrue(problems(visible_text(f"<main><p>Årsag: {value}</p></main>"), "en"))
        self.assertIn("mental_stress", choice_values())
        self.assertTrue(problems(visible_text("<td>mental_stress</td>"), "da"))
        # A one-word value ("cancelled") alone in a cell of a Danish page; not inside an English sentence.
        self.assertIn("cancelled", choice_values())
        self.assertTrue(problems(visible_text("<td>Status</td><td>cancelled</td>"), "da"))
        self.assertEqual(problems(visible_text("<td>The meeting was cancelled</td>"), "en"), [])

    def test_a_field_name_is_found(self):
        self.assertIn("first_sick_day", field_names())
        self.assertTrue(problems("Sorteret efter first_sick_day", "da"))

    def test_a_file_path_a_repr_and_the_empty_choice_are_found(self):
        for bad in (
            "Se fasthold/deadlines/rules.py",
            "Kilde: rulepacks/dk.json",
            "Dato: None",
            "<QuerySet [<Case: 1>]>",
            "<fasthold.cases.models.Case object at 0x7f00>",
            "Vælg ---------",
        ):
            with self.subTest(bad=bad):
                self.assertTrue(problems(bad, "da"))

    def test_an_untranslated_string_is_found_in_either_language(self):
        msgid, msgstr = next(
            (i, s) for i, s in catalogue() if len(i.split()) >= 5 and i != s and not PLACEHOLDER.search(i + s)
        )
        self.assertTrue(problems(visible_text(f"<main><p>{msgid}</p></main>"), "da"))
        self.assertTrue(problems(visible_text(f"<main><p>{msgstr}</p></main>"), "en"))
        self.assertEqual(problems(visible_text(f"<main><p>{msgid}</p></main>"), "en"), [])
        self.assertEqual(problems(visible_text(f"<main><p>{msgstr}</p></main>"), "da"), [])

    def test_visible_text_leaves_out_scripts_and_keeps_labels(self):
        text = visible_text(
            '<p>Hej <b>du</b></p><script>var first_sick_day = 1;</script><button aria-label="Luk vinduet">×</button>'
        )
        self.assertEqual(text, "Hej du\nLuk vinduet\n×")
        self.assertEqual(problems(text, "da"), [])

    def test_text_marked_as_the_other_language_is_not_untranslated(self):
        quote = "senest 5 uger efter første fraværsdag, hvis det er det, der gælder for dig og din leder"
        self.assertTrue(problems(visible_text(f'<html lang="en"><p>Rule: {quote}</p></html>'), "en"))
        self.assertEqual(
            problems(visible_text(f'<html lang="en"><p>Rule: <q lang="da">{quote}</q></p></html>'), "en"), []
        )

    def test_a_sentence_missing_from_the_catalogue_is_found_in_either_language(self):
        self.assertTrue(problems("Gem\nThe coordinator and the employee agree on this.", "da"))
        self.assertTrue(problems("Save\nKoordinatoren og medarbejderen er enige om det.", "en"))
        self.assertEqual(problems("Koordinatoren og medarbejderen er enige om det.", "da"), [])
        stored = "Noten. The coordinator and the employee agree on this."
        self.assertEqual(problems("The coordinator and the employee agree on this.", "da", stored), [])

    def test_none_in_an_english_message_is_not_a_repr(self):
        self.assertEqual(problems("Meetings: None planned", "en"), [])
        self.assertTrue(problems("Meetings: None", "da"))


class EveryPageTests(DemoWorldTestCase):
    """Each persona follows every link it is shown, in Danish and in English."""

    load_demos = ALL_DEMOS
    language = None

    @staticmethod
    def stored_text() -> str:
        """Every text the database holds or starts with (the fasthold models' text, character and JSON
        fields, and their defaults)."""
        texts = []
        for model in apps.get_models():
            if not model.__module__.startswith("fasthold."):
                continue
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField, models.JSONField))
            ]
            texts += [
                str(f.default) for f in model._meta.concrete_fields if f.name in names and isinstance(f.default, str)
            ]
            for row in model._default_manager.all():
                texts += [str(getattr(row, name)) for name in names]
        return re.sub(r"\s+", " ", "\n".join(texts))

    def crawl_as(self, username, language):
        self.client.logout()
        self.client.force_login(self.users[username])
        self.client.cookies["django_language"] = language
        return crawl(self.client, "/", limit=PAGES_PER_PERSONA)

    def test_every_page_opens_and_shows_no_raw_value_path_repr_or_untranslated_string(self):
        # Each problem once, with where it was seen: the header's problems are on every page.
        report: dict[str, list[str]] = {}
        visited = {}
        stored = self.stored_text()
        for username in PERSONA_LANGUAGES:
            for language in ("da", "en"):
                result = self.crawl_as(username, language)
                visited[f"{username} [{language}]"] = len(result.pages)
                if result.bounded:
                    report.setdefault(f"more than {PAGES_PER_PERSONA} pages: raise the bound", []).append(username)
                self.assertGreater(len(result.pages), 1, f"{username} reaches no page")
                for broken in result.broken:
                    report.setdefault(f"broken link: {broken}", []).append(f"{username} [{language}]")
                for visit in result.pages:
                    where = f"{username} [{language}] {visit.url}"
                    html_language = re.search(r'<html[^>]*\blang="([\w-]+)"', visit.html)
                    if html_language and html_language.group(1) != language:
                        report.setdefault(f"<html lang={html_language.group(1)}>", []).append(where)
                    text, segments = visible_text(visit.html), visible_text(visit.html, segments=True)
                    for problem in problems(text, language, stored, segments):
                        report.setdefault(f"[{language}] {problem}", []).append(where)
        lines = [
            f"{problem}\n    on {len(where)} page(s): {', '.join(where[:3])}{' …' if len(where) > 3 else ''}"
            for problem, where in sorted(report.items())
        ]
        self.assertEqual(lines, [], f"\nPages per persona: {visited}\n" + "\n".join(lines))
