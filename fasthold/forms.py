"""One form renderer for the whole site: DKFDS classes on every field, one field template."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class DkfdsBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, (forms.CheckboxInput, forms.HiddenInput)):
            css = ""
        else:
            css = "form-input"
        if css:
            attrs["class"] = f"{css} {attrs.get('class', '')}".strip()
        # Django itself links the error message (aria-describedby) and sets aria-invalid.
        return attrs


class FastholdFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
    bound_field_class = DkfdsBoundField
