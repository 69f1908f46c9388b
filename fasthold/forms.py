"""One form renderer for the whole site: DKFDS classes and accessible error links on every field."""

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
        if self.form.is_bound and self.errors:
            attrs["aria-invalid"] = "true"
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} {self.auto_id}_error".strip()
        return attrs


class FastholdFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
    bound_field_class = DkfdsBoundField
