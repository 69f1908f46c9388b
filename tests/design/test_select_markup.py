"""The site's select template (templates/django/forms/widgets/select.html) writes each option in place
instead of including Django's option template: the markup must stay exactly Django's, selected, disabled
and grouped options included."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase

from fasthold.forms import FastholdFormRenderer


class DisablingSelect(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "b":
            option["attrs"]["disabled"] = True
        return option


class SelectMarkupTest(SimpleTestCase):
    def _both(self, widget, name, value):
        ours = widget.render(name, value, attrs={"id": "id_x", "class": "form-select"}, renderer=FastholdFormRenderer())
        django = widget.render(name, value, attrs={"id": "id_x", "class": "form-select"}, renderer=DjangoTemplates())
        return ours, django

    def test_same_markup_as_django(self):
        cases = [
            (forms.Select(choices=[("", "Vælg …"), ("a", "Æble"), ("b", "<b>Bær</b>")]), "a"),
            (DisablingSelect(choices=[("a", "A"), ("b", "B"), (3, "Tre")]), 3),
            (forms.Select(choices=[("Frugt", [("a", "Æble"), ("b", "Bær")]), ("c", "Citron")]), "b"),
            (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
        ]
        for widget, value in cases:
            with self.subTest(widget=type(widget).__name__, value=value):
                ours, django = self._both(widget, "x", value)
                self.assertHTMLEqual(ours, django)
        ours, _django = self._both(cases[0][0], "x", "a")
        self.assertIn("&lt;b&gt;Bær&lt;/b&gt;", ours, "labels are escaped")
        self.assertIn('<option value="a" selected>', ours)
        ours, _django = self._both(cases[1][0], "x", 3)
        self.assertIn('<option value="b" disabled>', ours)
