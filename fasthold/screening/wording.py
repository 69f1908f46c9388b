"""Sentences for screening's timeline events (params {"screening": code, ...}; registered in ScreeningConfig.ready)."""

from django.utils.translation import gettext as _

from fasthold.cases.models import EventKind


def describe(p: dict) -> str:
    texts = {
        "visitation_answered": _("Visitation to %(program)s: criteria answered"),
        "visitation_decided": _("Visitation to %(program)s decided"),
        "visitation_allocated": _("Allocated to an arm of %(program)s"),
        "visitation_dropout": _("Dropped out of %(program)s"),
        "prognostic_profile": _("Prognostic profile updated"),
        "questionnaire": _("Questionnaire answered"),
    }
    text = texts.get(p["screening"])
    return text % {"program": p.get("program", "")} if text else str(EventKind.NOTE.label)
