"""The employee's own data, for download (GDPR art. 15 and 20): a readable PDF and machine-readable JSON.

Everything that hangs on the person's cases is found from the model graph (as erasure finds it), so
data added by a later feature is included without a list here to forget. Left out: internal
bookkeeping (hashes, lock versions), anything whose audience is not open to the employee, and the
names of staff in the access log (the employee gets when, what and which organisation)."""

import datetime as dt
import io
import json
import zipfile
from collections import deque
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst

from fasthold.audit.models import AuditEntry
from fasthold.cases.models import Audience, Case, Person

# Bookkeeping that says nothing about the person, and could confuse: lock versions, hashes, ordering.
_SKIP_FIELDS = {"id", "version", "sequence", "position", "search_name", "agreements_hash", "case", "person"}
_SKIP_SUFFIXES = ("_hash", "secret", "token", "password")
# Audiences the employee belongs to. A row with any other audience (none today; a later "staff only"
# note, say) is left out rather than leaked.
_EMPLOYEE_AUDIENCES = {Audience.ALL, Audience.PROFESSIONALS}


@dataclass
class Row:
    """One record: (name, label, JSON value, readable value) per field."""

    values: list[tuple[str, str, object, str]] = field(default_factory=list)


@dataclass
class Section:
    label: str  # app.Model, for the JSON
    title: str  # verbose name, for the PDF
    rows: list[Row]


def case_owned_models() -> list[tuple[type[models.Model], str]]:
    """Every model owned by a case (cascade-deleted with it), with a lookup path from it to the case."""
    found: dict[type[models.Model], str] = {}
    queue = deque([(Case, "")])
    while queue:
        model, path = queue.popleft()
        for rel in model._meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
                continue
            if rel.on_delete is not models.CASCADE or rel.related_model in found or rel.related_model is Case:
                continue
            if rel.related_model._meta.auto_created:  # a many-to-many link table: ids only
                continue
            lookup = f"{rel.field.name}__{path}" if path else rel.field.name
            found[rel.related_model] = lookup
            queue.append((rel.related_model, lookup))
    return sorted(found.items(), key=lambda item: item[0]._meta.label)


def _skip(f) -> bool:
    return (
        f.name in _SKIP_FIELDS
        or f.name.endswith(_SKIP_SUFFIXES)
        or f.many_to_many
        or (f.is_relation and f.related_model is not None and issubclass(f.related_model, (Case, Person)))
    )


def _row(obj) -> Row:
    row = Row()
    User = get_user_model()
    for f in obj._meta.concrete_fields:
        if _skip(f):
            continue
        label = capfirst(str(f.verbose_name))
        if f.is_relation:
            target = getattr(obj, f.name)
            if target is None:
                value = readable = None
            elif isinstance(target, User):
                value = readable = target.display_name
            else:
                value = readable = str(target)
        else:
            value = f.value_from_object(obj)
            readable = obj._get_FIELD_display(f) if f.choices else value
            if isinstance(obj, Person) and f.name == "cpr":
                readable = obj.cpr_masked  # in full in the JSON; a printed page is easily left lying
        row.values.append((f.name, label, value, _readable(readable)))
    return row


def _readable(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(translation.gettext("Yes") if value else translation.gettext("No"))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _visible(obj) -> bool:
    audience = getattr(obj, "audience", None)
    return audience is None or audience in _EMPLOYEE_AUDIENCES


def _section(model, objs) -> Section:
    return Section(
        model._meta.label, capfirst(str(model._meta.verbose_name_plural)), [_row(o) for o in objs if _visible(o)]
    )


@dataclass
class Export:
    person: Person
    cases: list[Case]
    account: Row
    person_sections: list[Section]
    case_sections: dict[int, list[Section]]
    access_log: dict[int, list[dict]]


def collect(person: Person) -> Export:
    cases = list(
        Case.objects.filter(person=person)
        .select_related("organisation", "employment", "coordinator")
        .order_by("first_sick_day", "pk")
    )
    person_sections = [_section(Person, [person])]
    for rel in Person._meta.get_fields():
        if rel.auto_created and not rel.concrete and rel.one_to_many and rel.related_model is not Case:
            person_sections.append(
                _section(rel.related_model, rel.related_model._base_manager.filter(**{rel.field.name: person}))
            )
    case_sections, access_log = {}, {}
    owned = case_owned_models()
    for case in cases:
        sections = [_section(Case, [case])]
        for model, lookup in owned:
            objs = list(model._base_manager.filter(**{lookup: case}).distinct().order_by("pk"))
            if objs:
                sections.append(_section(model, objs))
        case_sections[case.pk] = sections
        # When, what and which organisation: not which member of staff (their names are theirs).
        access_log[case.pk] = [
            {
                "when": e.occurred_at,
                "action": e.action,
                "action_label": e.get_action_display(),
                "organisation": e.organisation.name if e.organisation_id else None,
            }
            for e in AuditEntry.objects.filter(case=case).select_related("organisation").order_by("occurred_at", "pk")
        ]
    account = Row()
    user = person.user
    if user is not None:
        for name in ("username", "first_name", "last_name", "email", "preferred_language", "date_joined", "last_login"):
            f = user._meta.get_field(name)
            value = f.value_from_object(user)
            account.values.append((name, capfirst(str(f.verbose_name)), value, _readable(value)))
    return Export(person, cases, account, person_sections, case_sections, access_log)


def as_json(export: Export) -> str:
    def rows(section):
        return [{name: value for name, _label, value, _readable in row.values} for row in section.rows]

    data = {
        "generated_at": timezone.now(),
        "account": {name: value for name, _label, value, _r in export.account.values},
        "person": {s.label: rows(s) for s in export.person_sections},
        "cases": [
            {
                "case": str(case.public_id),
                "data": {s.label: rows(s) for s in export.case_sections[case.pk]},
                "access_log": export.access_log[case.pk],
            }
            for case in export.cases
        ],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def as_html(export: Export, lang: str) -> str:
    with translation.override(lang):
        return render_to_string(
            "privacy/export_pdf.html",
            {
                "export": export,
                "lang": lang,
                "generated": timezone.localdate(),
                "cases": [(case, export.case_sections[case.pk], export.access_log[case.pk]) for case in export.cases],
            },
        )


def as_zip(export: Export, lang: str) -> bytes:
    import weasyprint  # heavy; only the download needs it

    pdf = weasyprint.HTML(string=as_html(export, lang)).write_pdf()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", as_json(export))
        archive.writestr("data.pdf", pdf)
    return buffer.getvalue()
