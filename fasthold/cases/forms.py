import calendar
import datetime as dt
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fasthold.cases import cpr
from fasthold.cases.choices import (
    HEALTH_PROFESSIONAL_ROLES,
    AbsenceExtent,
    BenefitCategory,
    CaseStatus,
    CauseCategory,
    CauseGroup,
    EmploymentStatus,
    HealthAgreement,
    ParticipantRole,
)
from fasthold.cases.models import Case, Employment, HealthRecord, Participant, Person
from fasthold.forms import CHOOSE
from fasthold.organisations.models import STAFF_WRITE_ROLES, Organisation, OrganisationKind

# Category 3 was abolished by the 2025 simplification; it stays for cases that began before.
CATEGORY_3_LAST_FIRST_SICK_DAY = dt.date(2024, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "cpr", "phone", "email", "preferred_language"]
        help_texts = {"cpr": _("Optional. 10 digits, with or without a hyphen.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validated after normalising in clean_cpr: "010180-1234" is 11 characters as typed.
        self.fields["cpr"].max_length = 11
        self.fields["cpr"].validators = []
        self.fields["cpr"].widget.attrs.update({"autocomplete": "off", "inputmode": "numeric", "maxlength": 11})

    def clean_cpr(self) -> str:
        value = cpr.normalise(self.cleaned_data.get("cpr", ""))
        if value and cpr.birth_date(value) is None:
            raise forms.ValidationError(
                _("A CPR number is 10 digits whose first six are a real date (DDMMYY)."), code="cpr"
            )
        return value


class PersonEditForm(PersonForm):
    """Editing never pre-fills the CPR number: showing it is a deliberate, audited reveal."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})["cpr"] = ""
        super().__init__(*args, **kwargs)
        self.fields["cpr"].help_text = _("Leave empty to keep the current number.")

    def clean_cpr(self) -> str:
        return super().clean_cpr() or self.instance.cpr


class EmploymentForm(forms.ModelForm):
    class Meta:
        model = Employment
        fields = ["employer", "job_title", "profession_category", "weekly_hours", "status", "ended_on"]
        widgets = {"ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER)
        self.fields["weekly_hours"].widget.attrs.update({"step": "0.5", "min": "0", "max": "80"})

    def clean_weekly_hours(self):
        hours = self.cleaned_data.get("weekly_hours")
        if hours is not None and not (0 < hours <= 80):
            raise forms.ValidationError(_("Normal weekly hours must be between 0 and 80."))
        return hours

    def clean(self):
        data = super().clean()
        if data.get("status") != EmploymentStatus.UNEMPLOYED and not data.get("employer"):
            self.add_error("employer", _("Choose the employer, or set the employment status to unemployed."))
        return data


_PERIOD_SEPARATORS = re.compile(r"\s*(?:\.\.|–|—|\s-\s|\s+til\s+|\s+to\s+)\s*")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")
MAX_EARLIER_ABSENCES = 20


def _parse_day(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _months_before(day: dt.date, n: int) -> dt.date:
    month0 = day.month - 1 - n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PeriodsField(forms.CharField):
    """Periods, one a line: "1.10.2025 – 9.12.2025" (or ISO dates, or ".." between them). Cleans to
    [[first ISO date, last ISO date], ...] in order; overlaps and back-to-front periods are refused."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{dt.date.fromisoformat(a).strftime('%d.%m.%Y')} – {dt.date.fromisoformat(b).strftime('%d.%m.%Y')}"
                for a, b in value
            )
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_EARLIER_ABSENCES:
            raise forms.ValidationError(_("Give at most %(n)s periods.") % {"n": MAX_EARLIER_ABSENCES}, code="too_many")
        periods = []
        for line in lines:
            parts = _PERIOD_SEPARATORS.split(line)
            days = [_parse_day(p) for p in parts] if len(parts) == 2 else [None]
            if None in days:
                raise forms.ValidationError(
                    _("“%(line)s” is not a period. Write the first and the last day, e.g. 1.10.2025 – 9.12.2025.")
                    % {"line": line[:60]},
                    code="bad_period",
                )
            first, last = days
            if last < first:
                raise forms.ValidationError(
                    _("The period %(line)s ends before it starts.") % {"line": line[:60]}, code="backwards"
                )
            periods.append((first, last))
        periods.sort()
        for (_a, end), (start, _b) in zip(periods, periods[1:], strict=False):
            if start <= end:
                raise forms.ValidationError(_("The periods overlap."), code="overlap")
        return [[a.isoformat(), b.isoformat()] for a, b in periods]


class CaseForm(forms.ModelForm):
    earlier_absences = PeriodsField(
        label=_("Earlier absences with sickness benefit in the 9 months before"),
        required=False,
        help_text=_(
            "One period a line, first and last day, e.g. 1.10.2025 – 9.12.2025. Give the days with sickness "
            "benefit, without the employer period. They count towards the 22 weeks before the benefit review "
            "(§ 24). A relapse recorded as a new case: give the earlier case's days here. A relapse in the same "
            "case: record a full return and a relapse on the case calendar."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "coordinator",
            "first_sick_day",
            "cause_category",
            "work_injury",
            "absence_extent",
            "absence_hours_per_week",
            "employer_pays",
            "expected_weeks",
            "referral_source",
            "benefit_category",
            "earlier_absences",
        ]
        widgets = {"first_sick_day": DateInput()}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation, memberships__role__in=STAFF_WRITE_ROLES)
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["coordinator"].label_from_instance = lambda user: user.display_name
        self.fields["absence_hours_per_week"].widget.attrs.update({"step": "0.5", "min": "0"})

    def clean_first_sick_day(self) -> dt.date:
        day = self.cleaned_data["first_sick_day"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("The first sick day cannot be in the future."), code="future")
        # A mistyped year (1990 for 2026) made a case of 1927 weeks. A case already on file keeps its day.
        unchanged = self.instance.pk is not None and day == self.instance.first_sick_day
        if day < _months_before(today, 24) and not unchanged:
            raise forms.ValidationError(
                _("The first sick day cannot be more than 2 years ago. Check the year."), code="too_old"
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("absence_extent") == AbsenceExtent.PARTIAL:
            hours = data.get("absence_hours_per_week")
            if hours is None or hours <= 0:
                self.add_error("absence_hours_per_week", _("Give the absence hours per week for a partial absence."))
            elif hours > 168:
                # The calendar's engine refuses more hours than a week has (and would compute no calendar).
                self.add_error("absence_hours_per_week", _("A week has at most 168 hours."))
        else:
            data["absence_hours_per_week"] = None
        first = data.get("first_sick_day")
        periods = data.get("earlier_absences") or []
        if first and periods and dt.date.fromisoformat(periods[-1][1]) >= first:
            self.add_error("earlier_absences", _("An earlier absence must end before the first sick day."))
        if first and periods and dt.date.fromisoformat(periods[0][1]) < _months_before(first, 9):
            self.add_error(
                "earlier_absences",
                _("An absence that ended more than 9 months before the first sick day does not count; leave it out."),
            )
        if (
            data.get("benefit_category") == BenefitCategory.CATEGORY_3
            and first
            and first > CATEGORY_3_LAST_FIRST_SICK_DAY
        ):
            self.add_error(
                "benefit_category", _("Category 3 applies only to cases whose first sick day was before 2025.")
            )
        return data


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closure date"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", CHOOSE), *Case._meta.get_field("outcome").choices])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_closed_on(self) -> dt.date:
        day = self.cleaned_data["closed_on"]
        if day < self.case.first_sick_day:
            raise forms.ValidationError(_("The closure date cannot be before the first sick day."), code="before")
        if day > timezone.localdate():
            raise forms.ValidationError(_("The closure date cannot be in the future."), code="future")
        return day


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class HealthForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = HealthRecord
        fields = ["diagnosis", "symptoms", "treatment"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class ParticipantSearchForm(forms.Form):
    """The picker's GET form: a role, and part of a name. Works as a plain form and through htmx."""

    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", CHOOSE), *ParticipantRole.choices])
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        max_length=100,
        help_text=_("At least 2 letters. Only people who may take part in the chosen role are found."),
    )


class ParticipantForm(forms.ModelForm):
    """Which user (chosen in the picker) or which external contact, in which role.

    Whether that person may take part is not decided here but by the service, through
    fasthold/cases/eligibility.py, so no form can let an ineligible person in.
    """

    health_agreed = forms.BooleanField(
        label=_("The employee has agreed that this health professional takes part"), required=False
    )

    class Meta:
        model = Participant
        fields = ["role", "user", "name", "organisation_name", "phone", "email", "health_agreement"]
        # Never a list of users: the picker shows only eligible matches of a search.
        widgets = {"user": forms.HiddenInput, "role": forms.HiddenInput}

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["user"].queryset = get_user_model().objects.all()
        self.fields["user"].error_messages["invalid_choice"] = _("Choose a person from the search results.")
        self.fields["health_agreement"].choices = HealthAgreement.choices
        self.fields["health_agreement"].label = _("How did the employee agree?")

    def clean(self):
        data = super().clean()
        user, name, role = data.get("user"), (data.get("name") or "").strip(), data.get("role")
        if role in HEALTH_PROFESSIONAL_ROLES:
            if not data.get("health_agreed"):
                self.add_error(
                    "health_agreed", _("Confirm that the employee has agreed that this health professional takes part.")
                )
            if not data.get("health_agreement"):
                self.add_error("health_agreement", _("Choose how the employee agreed."))
        else:
            data["health_agreement"] = ""
        if not user and not name:
            self.add_error("name", _("Choose a user or give the external contact's name."))
            return data
        if user and name:
            self.add_error("name", _("Leave the name empty when you choose a user."))
            return data
        existing = self.case.participants.filter(role=role)
        duplicate = (
            existing.filter(user=user).exists()
            if user
            else existing.filter(user__isnull=True, name__iexact=name).exists()
        )
        if duplicate:
            self.add_error("role", _("This person already takes part in the case in that role."))
        data["name"] = name
        return data

    def participant_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


SORTS = {
    "sick_day": ("first_sick_day", "id"),
    "-sick_day": ("-first_sick_day", "-id"),
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All open")), *CaseStatus.choices, ("all", _("All"))]
    )
    cause = forms.ChoiceField(
        label=_("Cause"), required=False, choices=[("", _("All")), *CauseGroup.choices, *CauseCategory.choices]
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"), required=False, queryset=Organisation.objects.none(), empty_label=_("All")
    )
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)
    weeks_min = forms.IntegerField(
        label=_("At least weeks since first sick day"), required=False, min_value=0, max_value=520
    )
    weeks_max = forms.IntegerField(
        label=_("At most weeks since first sick day"), required=False, min_value=0, max_value=520
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-sick_day", _("Newest first sick day")),
            ("sick_day", _("Oldest first sick day")),
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
        ],
    )

    def __init__(self, *args, employers, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["coordinator"].choices = [("", _("All")), ("me", _("Mine")), *coordinators]

    def clean(self):
        data = super().clean()
        low, high = data.get("weeks_min"), data.get("weeks_max")
        if low is not None and high is not None and low > high:
            self.add_error("weeks_max", _("The upper limit must not be below the lower limit."))
        return data
