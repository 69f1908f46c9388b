"""The words the audit log shows for the names it stores.

An audit row stores names, never values: a model field's name ("closed_on"), a part of a case that was
read ("prognostic_profile"), a consent category or recipient ("illness", "manager"). The log shows each
as words: a model field's verbose name (translated), a known part by its label, and anything else with
its underscores as spaces. The models are found through the app registry, so this low app imports no
higher one.
"""

import re
from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What the read log and the consent pages write besides model fields.
PARTS = {
    "consents": _("Consents"),
    "contacts": _("Contacts"),
    "created": pgettext_lazy("audit", "Created"),
    "health": _("Health information"),
    "illness": _("Illness"),
    "treatment": _("Treatment"),
    "questionnaires": _("Questionnaires"),
    "message": _("Text for the manager"),
    "manager": _("Manager"),
    "hr": _("HR"),
    "colleagues": _("Colleagues"),
    "plan": _("Plan"),
    "prognostic_profile": _("Prognostic profile"),
    "schedule": _("Schedule"),
    "task": _("Task"),
    "timeline": _("Timeline"),
    "visitation": _("Visitation"),
    "visitation_decision": _("Visitation decision"),
}
VERSION = re.compile(r"version_(\d+)")


@cache
def _verbose_names() -> dict:
    """A field's verbose name by its name, over the site's models; a name given an explicit (translated)
    verbose name in some model wins over Django's default of the name with spaces."""
    explicit, default = {}, {}
    for model in apps.get_models():
        if not model.__module__.startswith("fasthold."):
            continue
        for field in model._meta.concrete_fields:
            verbose = field.verbose_name
            target = default if str(verbose) == field.name.replace("_", " ") else explicit
            target.setdefault(field.name, verbose)
    return default | explicit


def field_label(name: str) -> str:
    """Words for one stored name, in the active language."""
    if name in PARTS:
        return str(PARTS[name])
    match = VERSION.fullmatch(name)
    if match:
        return str(_("Version %(number)s") % {"number": match.group(1)})
    verbose = _verbose_names().get(name)
    if verbose is not None:
        return str(verbose)
    return name.replace("_", " ")


def field_labels(names) -> list[str]:
    return [field_label(n) for n in names or ()]
