"""Every input rule of visitation and screening, with messages at the field."""

import json

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fasthold.cases.forms import DateInput
from fasthold.screening import prognosis
from fasthold.screening.catalog import text
from fasthold.screening.instruments import InstrumentError, custom_scale, instrument_from_json
from fasthold.screening.models import AllocationMethod, Decision

YES_NO = [("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))]
YES_NO_UNKNOWN = [("", _("Not answered")), ("yes", _("Yes")), ("no", _("No")), ("unknown", _("Don't know"))]
# The same answers for a retention factor of one of the two actors (prognosis.ACTOR_ANSWERS).
HELPS_OR_NOT = [("", _("Not answered")), *((key, _(text)) for key, text in prognosis.ACTOR_ANSWERS.items())]


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=False, **kwargs)


class CriteriaForm(forms.Form):
    """One yes/no and a note per answered criterion; computed criteria are shown, not asked."""

    version = VersionField()

    def __init__(self, *args, criteria, visitation=None, **kwargs):
        answers = visitation.answers if visitation else {}
        initial = {"version": visitation.version if visitation else None}
        for c in criteria:
            entry = answers.get(str(c.pk), {})
            value = entry.get("value")
            initial[f"c{c.pk}"] = "" if value is None else ("yes" if value else "no")
            initial[f"c{c.pk}_note"] = entry.get("note", "")
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = [c for c in criteria if c.source == "answered"]
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.ChoiceField(
                label=c.label, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
            self.fields[f"c{c.pk}_note"] = forms.CharField(
                label=_("Note on “%(criterion)s”") % {"criterion": c.label},
                required=False,
                max_length=1000,
            )

    def answers(self) -> dict[str, dict]:
        out = {}
        for c in self.criteria:
            value = self.cleaned_data.get(f"c{c.pk}") or ""
            out[str(c.pk)] = {
                "value": {"yes": True, "no": False}.get(value),
                "note": self.cleaned_data.get(f"c{c.pk}_note", ""),
            }
        return out

    def rows(self):
        return [(c, self[f"c{c.pk}"], self[f"c{c.pk}_note"]) for c in self.criteria]


class DecisionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)

    def __init__(self, *args, visitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.visitation = visitation

    def clean_decision(self):
        decision = self.cleaned_data["decision"]
        if decision == Decision.ACCEPTED and not self.visitation.is_eligible:
            raise forms.ValidationError(_("Only an eligible case can be accepted. Answer every criterion first."))
        return decision


class AllocationForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label=_("How is the arm chosen?"), choices=AllocationMethod.choices, widget=forms.RadioSelect
    )
    arm = forms.ChoiceField(label=_("Arm (when chosen by hand)"), required=False)
    start_date = forms.DateField(label=_("First day of the course"), widget=DateInput())

    def __init__(self, *args, visitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.visitation = visitation
        self.arms = {str(a.public_id): a for a in visitation.program.arms.all()}
        self.fields["arm"].choices = [("", "–")] + [(key, arm.name) for key, arm in self.arms.items()]
        if not visitation.program.randomised:
            self.fields["method"].choices = [(AllocationMethod.MANUAL, AllocationMethod.MANUAL.label)]

    def clean(self):
        data = super().clean()
        if self.visitation.decision != Decision.ACCEPTED:
            raise forms.ValidationError(_("Accept the case into the program before choosing an arm."))
        if self.visitation.arm_id:
            raise forms.ValidationError(_("An arm has already been chosen; it cannot be drawn again."))
        if data.get("method") == AllocationMethod.MANUAL and not data.get("arm"):
            self.add_error("arm", _("Choose the arm, or let the draw decide."))
        data["arm_obj"] = (
            self.arms.get(data.get("arm") or "") if data.get("method") == AllocationMethod.MANUAL else None
        )
        return data


class DropoutForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    dropout_on = forms.DateField(label=_("Date of drop-out"), widget=DateInput())
    dropout_reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, visitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.visitation = visitation

    def clean_dropout_on(self):
        day = self.cleaned_data["dropout_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The drop-out date cannot be in the future."))
        if self.visitation.start_date and day < self.visitation.start_date:
            raise forms.ValidationError(_("The drop-out date cannot be before the course began."))
        return day

    def clean(self):
        data = super().clean()
        if self.visitation.dropout_on:
            raise forms.ValidationError(_("The drop-out has already been recorded."))
        return data


class ProfileForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, answers=None, **kwargs):
        answers = prognosis.normalise(answers)
        initial = kwargs.pop("initial", {})
        for key in prognosis.QUESTION_KEYS:
            initial[key] = answers.get(key, {}).get("answer", "")
            initial[f"{key}_note"] = answers.get(key, {}).get("note", "")
        super().__init__(*args, initial=initial, **kwargs)
        for section in prognosis.SECTIONS:
            for q in section.questions:
                choices = HELPS_OR_NOT if section.kind == "actor" else YES_NO_UNKNOWN
                self.fields[q.key] = forms.ChoiceField(
                    label=_(q.text), choices=choices, required=False, widget=forms.RadioSelect
                )
                self.fields[f"{q.key}_note"] = forms.CharField(
                    label=format_lazy("{}: {}", _("Note"), _(q.text)), required=False, max_length=2000
                )

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            key: {"answer": self.cleaned_data.get(key) or "", "note": self.cleaned_data.get(f"{key}_note", "")}
            for key in prognosis.QUESTION_KEYS
            if self.cleaned_data.get(key) or self.cleaned_data.get(f"{key}_note")
        }

    def sections(self):
        return [
            (section, [(self[q.key], self[f"{q.key}_note"]) for q in section.questions])
            for section in prognosis.SECTIONS
        ]


class AnswersForm(forms.Form):
    """One field per item. Paper entry: numbers by item; the employee: one row of choices per question."""

    answered_on = forms.DateField(label=_("Date answered"), widget=DateInput())

    def __init__(self, *args, instrument, self_fill: bool, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("answered_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.self_fill = self_fill
        if self_fill:
            del self.fields["answered_on"]
        for n, item in enumerate(instrument.items, start=1):
            labels = {int(k): v for k, v in (item.scale.labels.get(_lang(), {}) if item.scale.labels else {}).items()}
            if self_fill:
                choices = [(v, f"{v} – {labels[v]}" if v in labels else str(v)) for v in range(item.min, item.max + 1)]
                field = forms.TypedChoiceField(
                    label=text(item.text) or text(item.topic),
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "fh-scale"}),
                )
            else:
                label = _("Item %(number)s: %(topic)s") % {"number": item.id, "topic": text(item.topic)}
                field = forms.IntegerField(
                    label=label,
                    min_value=item.min,
                    max_value=item.max,
                    help_text=_("A whole number from %(min)s to %(max)s.") % {"min": item.min, "max": item.max},
                    error_messages={"required": _("Enter the answer to item %(number)s.") % {"number": item.id}},
                )
            self.fields[f"item_{n}"] = field

    def clean_answered_on(self):
        day = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"item_{n}"] for n in range(1, len(self.instrument.items) + 1)]


def _lang() -> str:
    return (get_language() or "da")[:2]


class CustomScaleForm(forms.Form):
    key = forms.SlugField(
        label=_("Short name (letters, digits and underscores)"),
        max_length=30,
        help_text=_("For example: belief_in_own_skills"),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    question = forms.CharField(label=_("Question to the employee"), max_length=300)
    low_anchor = forms.CharField(label=_("What 0 means"), max_length=80)
    high_anchor = forms.CharField(label=_("What 10 means"), max_length=80)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_key(self):
        key = self.cleaned_data["key"].lower().replace("-", "_")
        if not key[0].isalpha():
            raise forms.ValidationError(_("Start the short name with a letter."))
        return key

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        definition = {k: data[k] for k in ("name", "question", "low_anchor", "high_anchor")}
        definition["id"] = data["key"]
        try:
            self.instrument = custom_scale(definition)
        except InstrumentError:
            raise forms.ValidationError(
                _("The scale could not be made from these texts. Check the short name.")
            ) from None
        if self.organisation.custom_scales.filter(instrument_id=self.instrument.id).exists():
            self.add_error("key", _("Your organisation already has a scale with this short name."))
        data["definition"] = definition
        return data


class LicensedInstrumentForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument file (JSON)"),
        help_text=_("The file must follow Fasthold's instrument format and score like the published instrument."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 512 * 1024:
            raise forms.ValidationError(_("The file is too large (at most 512 KB)."))
        try:
            content = upload.read().decode("utf-8")
            json.loads(content)
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("The file is not valid JSON in UTF-8.")) from None
        try:
            self.instrument = instrument_from_json(content)
        except InstrumentError as exc:
            # The engine's message names the place in the file; it carries no personal data.
            raise forms.ValidationError(_("The file was rejected: %(reason)s") % {"reason": str(exc)}) from None
        return content
