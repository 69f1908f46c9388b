"""The pages that give a case (or, for an administrator, all of a coordinator's open cases) to a colleague."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fasthold.cases import reassignment
from fasthold.cases.access import get_case_for_user
from fasthold.formviews import done, form_view


class HandoverForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("New coordinator"), queryset=None, empty_label=gettext_lazy("Choose")
    )
    note = forms.CharField(
        label=gettext_lazy("Handover note"),
        help_text=gettext_lazy(
            "For the new coordinator: what is going on and what comes next. Staff of the case see it on the case "
            "page, the workplace never. Like every case note it is part of the employee's own data export (her "
            "right of access)."
        ),
        max_length=reassignment.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Write a handover note for the new coordinator.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = colleagues
        self.fields["coordinator"].label_from_instance = lambda u: u.display_name
        self.fields["note"].widget.attrs["class"] = "form-input"
        self.fields["coordinator"].widget.attrs["class"] = "form-select"


@require_http_methods(["GET", "POST"])
def case_reassign(request, public_id):
    case, access = get_case_for_user(request.user, public_id)
    access.require_edit()
    colleagues = reassignment.colleagues(case.organisation_id, exclude_user_id=case.coordinator_id)
    form = HandoverForm(request.POST or None, colleagues=colleagues, initial={"version": case.version})

    def save(form):
        reassignment.reassign_case(
            actor=request.user,
            case=case,
            expected_version=form.cleaned_data["version"],
            to_user=form.cleaned_data["coordinator"],
            note=form.cleaned_data["note"],
        )
        return done(
            request,
            _("%(name)s is now the case's coordinator.") % {"name": form.cleaned_data["coordinator"].display_name},
            "cases:detail",
            case.public_id,
        )

    return form_view(request, form, "cases/reassign.html", save, context={"case": case})
