from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from fasthold.accounts.models import Language
from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, HealthAgreement
from fasthold.organisations.models import STAFF_ROLES, Organisation, OrganisationKind, OrgRole
from fasthold.people.services import EMPLOYER_INVITE_ROLES


class _PersonFields(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        initial=Language.DANISH,
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


class CaseInvitationForm(_PersonFields):
    participant_role = forms.ChoiceField(label=_("Role in the case"))
    health_practice = forms.ModelChoiceField(
        label=_("Practice"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.HEALTH_PRACTICE),
        required=False,
        empty_label=_("(a practice not in the list)"),
        help_text=_("For a health professional: where they work."),
    )
    new_practice = forms.CharField(
        label=_("Practice not in the list"),
        max_length=200,
        required=False,
        help_text=_("Its name, if it is not in the list above."),
    )
    health_agreement = forms.ChoiceField(
        label=_("How the employee agreed that this health professional takes part"),
        choices=[("", _("(not a health professional)")), *HealthAgreement.choices],
        required=False,
    )
    field_order = ["participant_role", "first_name", "last_name", "email", "language"]

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_role"].choices = [("", _("Choose a role")), *roles]

    def clean(self):
        data = super().clean()
        if data.get("participant_role") in HEALTH_PROFESSIONAL_ROLES:
            if not data.get("health_practice") and not data.get("new_practice", "").strip():
                self.add_error("health_practice", _("Choose the health professional's practice, or give its name."))
            if not data.get("health_agreement"):
                self.add_error(
                    "health_agreement",
                    _("Record that the employee has agreed that this health professional takes part, and how."),
                )
        else:
            data["health_agreement"] = ""
        return data


class OrganisationInvitationForm(_PersonFields):
    org_role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)
    field_order = ["first_name", "last_name", "email", "org_role", "language"]

    def __init__(self, *args, employer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        roles = EMPLOYER_INVITE_ROLES if employer else STAFF_ROLES
        self.fields["org_role"].choices = [(r, OrgRole(r).label) for r in roles]
        self.fields["org_role"].initial = roles[0]


class AcceptForm(forms.Form):
    """The invitee's own login: language first (the page follows it), then a password twice."""

    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, widget=forms.RadioSelect)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            # The validators compare the password with the person's name and address, as the account will have them.
            user = get_user_model()(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=self.invitation.first_name,
                last_name=self.invitation.last_name,
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(r, OrgRole(r).label) for r in STAFF_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )


class ReassignForm(forms.Form):
    cases = forms.MultipleChoiceField(label=_("Cases"), widget=forms.CheckboxSelectMultiple)
    coordinator = forms.ModelChoiceField(label=_("New coordinator"), queryset=None, empty_label=_("Choose"))

    def __init__(self, *args, cases, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(str(c.pk), str(c.pk)) for c in cases]
        self.fields["coordinator"].queryset = coordinators
        self.fields["coordinator"].label_from_instance = lambda u: u.display_name
