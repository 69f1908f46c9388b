"""One form renderer for the whole site: DKFDS classes on every field, one field template."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# Django's empty choice, "---------", means nothing to a reader; every select says "Choose …" instead.
DASHES = "---------"
CHOOSE = _("Choose …")


def name_the_empty_choice(field: forms.Field) -> None:
    """Replace Django's "---------" empty choice of a select with "Choose …" (the form's own copy)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = CHOOSE
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(label == DASHES for _value, label in choices):
            field.choices = [(value, CHOOSE if label == DASHES else label) for value, label in choices]


class DkfdsBoundField(BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        name_the_empty_choice(self.field)
        return super().as_widget(widget, attrs, only_initial)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-checkbox"
        elif isinstance(widget, forms.HiddenInput):
            css = ""
        else:
            css = "form-input"
        if css:
            attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
        # Django itself links the error message (aria-describedby) and sets aria-invalid.
        return attrs

    @property
    def choice_type(self) -> str:
        """ "radio" or "checkbox" for a field shown as a group of choices (a fieldset with a legend,
        templates/forms/choices.html), else ""."""
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return widget.input_type
        return ""

    @property
    def is_checkbox(self) -> bool:
        """A single checkbox: DKFDS draws the box from the label that follows the input."""
        return isinstance(self.field.widget, forms.CheckboxInput)


# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses an id beyond 64 bits as unknown. Django guards exact lookups
    against such integers, not the `__in` lookup this field ends with: SQLite raised OverflowError and
    PostgreSQL a DataError (a 500). Every ModelMultipleChoiceField of the site should be this one."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                out_of_range = abs(int(str(pk).strip())) > MAX_ID
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


class FastholdFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
    bound_field_class = DkfdsBoundField
