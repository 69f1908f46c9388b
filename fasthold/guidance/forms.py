"""Every input rule of the guidance pages, at the field, with messages in the user's language."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from fasthold.guidance.business_case import Assumptions, BusinessCaseError, ExplicitAmounts
from fasthold.guidance.first_contact import WORKPLACE_QUESTIONS
from fasthold.guidance.models import AbsencePolicy, ProfessionNote

MAX_KRONER = 100_000_000
# "30000", "30.000", "30,000", "30 000", optionally followed by "kr" – as people type amounts.
_KRONER = re.compile(r"(\d{1,3}(?:[.,\s\u00a0]\d{3})+|\d+)")


def _number_widget(mode: str) -> forms.TextInput:
    # Text with an inputmode, not type=number: the phone shows digits, and what was typed is
    # kept and explained on an error instead of silently emptied by the browser.
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off", "spellcheck": "false"})


class KronerField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter a whole number of kroner, for example 30000."),
        "negative": _("The amount cannot be negative."),
        "max_value": _("The amount must be at most %(limit_value)s kroner."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_KRONER)
        super().__init__(widget=_number_widget("numeric"), **kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return super().to_python(text)
        text = re.sub(r"\s*kr\.?$", "", text, flags=re.IGNORECASE).strip()
        if re.fullmatch(r"-\s*\d[\d.,\s\u00a0]*", text):
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if not _KRONER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"\D", "", text))

    def run_validators(self, value):
        if value is not None and value < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        super().run_validators(value)


class NumberField(forms.DecimalField):
    """A decimal that accepts a Danish decimal comma ("0,5")."""

    default_error_messages = {
        "invalid": _("Enter a number, for example 3 or 2,5."),
        "negative": _("The number cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(widget=_number_widget("decimal"), **kwargs)

    def to_python(self, value):
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if text.startswith("-"):
            try:
                Decimal(text)
            except InvalidOperation:
                pass
            else:
                raise forms.ValidationError(self.error_messages["negative"], code="negative")
        return super().to_python(text)


class ExplicitAmountsForm(forms.Form):
    """The nine input cells of the table, in kroner for the whole period."""

    gross = KronerField(
        label=_("Gross salary for the period"),
        help_text=_("What you pay the employee over the period compared; the same in all four cases."),
    )
    refund_part = KronerField(
        label=_("Refund when part-time sick"), help_text=_("Sickness benefit refunded to you for the absent hours.")
    )
    refund_full = KronerField(label=_("Refund when full-time sick"))
    refund_dismiss = KronerField(
        label=_("Refund while dismissed and sick"),
        help_text=_("Refund for the notice period, when the employee is sick during it."),
    )
    temp_part = KronerField(label=_("Temp when part-time sick"))
    temp_full = KronerField(label=_("Temp when full-time sick"))
    temp_dismiss = KronerField(label=_("Temp until a new employee starts"))
    recruitment = KronerField(
        label=_("Recruitment of a new employee"),
        help_text=_("Job advertisement, interviews, training and your own time."),
    )
    new_salary = KronerField(label=_("Salary of the new employee in the period"))

    GROUPS = (
        (_("Salary"), ("gross",)),
        (_("Sickness-benefit refund"), ("refund_part", "refund_full", "refund_dismiss")),
        (_("Temp cover"), ("temp_part", "temp_full", "temp_dismiss")),
        (_("Dismiss and hire"), ("recruitment", "new_salary")),
    )

    def clean(self):
        data = super().clean()
        gross = data.get("gross")
        if gross is not None:
            for name in ("refund_part", "refund_full", "refund_dismiss"):
                refund = data.get(name)
                if refund is not None and refund > gross:
                    self.add_error(
                        name,
                        _("The refund cannot be more than the gross salary: it only pays back salary you have paid."),
                    )
        if not self.errors:
            try:
                data["amounts"] = ExplicitAmounts(**{name: data[name] for name in self.fields})
            except BusinessCaseError:
                raise forms.ValidationError(
                    _("These amounts cannot be calculated. Check them and try again.")
                ) from None
        return data

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


def _percent(value) -> int | Decimal:
    return int(value * 100) if value * 100 == int(value * 100) else value * 100


class AssumptionsForm(forms.Form):
    """A few facts from which the amounts are derived; every assumption is visible and editable."""

    monthly_salary = KronerField(
        label=_("Monthly gross salary (kr)"), help_text=_("The new employee is assumed to earn the same.")
    )
    period_months = NumberField(
        label=_("Period (months)"),
        min_value=Decimal("0.5"),
        max_value=24,
        help_text=_("The period you compare, counted in months of 30 days."),
    )
    weekly_refund_rate = KronerField(
        label=_("Sickness-benefit refund per week (kr)"),
        max_value=100_000,
        help_text=_(
            "What you get back per week of full-time absence. The default reproduces the guide's "
            "example; use the current maximum sickness benefit for a real estimate."
        ),
    )
    part_time_percent = NumberField(
        label=_("Absence when part-time sick (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Share of the hours the employee is away; scales refund and temp."),
    )
    employer_period_days = forms.IntegerField(
        label=_("Days without refund at the start"),
        min_value=0,
        max_value=365,
        widget=_number_widget("numeric"),
        help_text=_("The employer period: normally 30 days. Use 0 with a section 56 agreement."),
        error_messages={
            "invalid": _("Enter a whole number of days."),
            "min_value": _("The number of days cannot be negative."),
        },
    )
    # xgettext:no-python-format
    temp_percent = NumberField(
        label=_("Temp cost (% of the salary)"),
        min_value=0,
        max_value=300,
        help_text=_("100 means a temp costs the same as the employee; an agency may cost more."),
    )
    recruitment_cost = KronerField(label=_("Recruitment cost (kr)"))
    new_hire_weeks = NumberField(
        label=_("Weeks until a new employee is in place"),
        min_value=0,
        max_value=104,
        help_text=_("A temp covers these weeks; the new employee is paid for the rest."),
    )

    @classmethod
    def defaults(cls) -> dict:
        a = Assumptions()
        return {
            "monthly_salary": a.monthly_salary,
            "period_months": a.period_months,
            "weekly_refund_rate": a.weekly_refund_rate,
            "part_time_percent": _percent(a.part_time_absence_share),
            "employer_period_days": a.employer_period_days,
            "temp_percent": _percent(a.temp_cost_share),
            "recruitment_cost": a.recruitment_cost,
            "new_hire_weeks": a.new_hire_weeks,
        }

    def clean(self):
        data = super().clean()
        months, days = data.get("period_months"), data.get("employer_period_days")
        if months is not None and days is not None and days > months * 30:
            self.add_error(
                "employer_period_days",
                _("The days without refund cannot be more than the period (%(days)s days).")
                % {"days": int(months * 30)},
            )
        if not self.errors:
            try:
                data["assumptions"] = Assumptions(
                    monthly_salary=data["monthly_salary"],
                    period_months=data["period_months"],
                    weekly_refund_rate=data["weekly_refund_rate"],
                    part_time_absence_share=data["part_time_percent"] / 100,
                    employer_period_days=data["employer_period_days"],
                    temp_cost_share=data["temp_percent"] / 100,
                    recruitment_cost=data["recruitment_cost"],
                    new_hire_weeks=data["new_hire_weeks"],
                )
            except BusinessCaseError:
                raise forms.ValidationError(
                    _("These assumptions cannot be calculated. Check them and try again.")
                ) from None
        return data


def _text(rows: int = 8) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PolicyForm(forms.ModelForm):
    # 0: the policy does not exist yet and this edit creates it.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = AbsencePolicy
        fields = ["who_does_what", "policy", "stress_policy"]
        widgets = {"who_does_what": _text(12), "policy": _text(16), "stress_policy": _text(12)}
        help_texts = {
            "who_does_what": _("Names or roles for each task, so nobody has to guess on the day it happens."),
            "stress_policy": _("How you prevent stress, spot it early, and handle a stress-related absence."),
        }


class ProfessionNoteForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = ProfessionNote
        fields = ["title", "loads", "watch", "green_tasks", "yellow_tasks", "red_tasks"]
        widgets = {name: _text(6) for name in fields if name != "title"}
        help_texts = {"loads": _("One point per line, starting with a hyphen.")}


NOTE_MAX = 4000


class FirstContactForm(forms.Form):
    """Notes of the first call with the employer. No health information: the workplace's view only."""

    busy_period = forms.CharField(label=WORKPLACE_QUESTIONS[0][1], required=False, max_length=NOTE_MAX, widget=_text(3))
    functioning = forms.CharField(label=WORKPLACE_QUESTIONS[1][1], required=False, max_length=NOTE_MAX, widget=_text(3))
    tried = forms.CharField(label=WORKPLACE_QUESTIONS[2][1], required=False, max_length=NOTE_MAX, widget=_text(3))
    agreed = forms.CharField(
        label=_("What did you agree, and what happens next?"), required=False, max_length=NOTE_MAX, widget=_text(3)
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not any((data.get(name) or "").strip() for name in self.fields):
            self.add_error("agreed", _("Write at least one note before saving."))
        return data

    def note_text(self) -> str:
        """The notes as one text, each under its question, in the coordinator's language."""
        parts = []
        for name, field in self.fields.items():
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                parts.append(f"{field.label}\n{value}")
        return "\n\n".join(parts)
