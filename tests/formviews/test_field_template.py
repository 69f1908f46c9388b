"""The site's one field template (templates/forms/field.html) draws each kind of field as DKFDS needs it."""

import re

from django import forms
from django.test import SimpleTestCase


class Example(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the door")
    agreed = forms.BooleanField(label="I agree", required=False, help_text="You can change this later")
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)


class FieldTemplate(SimpleTestCase):
    def test_a_single_checkbox_comes_before_its_label_so_the_box_is_drawn(self):
        html = str(Example()["agreed"].as_field_group())
        # DKFDS hides the input and draws the box on the label that follows it.
        self.assertRegex(
            html, r'<input type="checkbox"[^>]*class="form-checkbox"[^>]*>\s*<label for="id_agreed">I agree</label>'
        )
        self.assertIn('aria-describedby="id_agreed_helptext"', html)
        self.assertIn('id="id_agreed_helptext"', html)

    def test_a_checkbox_with_an_error_says_so_beside_it(self):
        form = Example(data={"name": "x", "colour": "r"})
        form.add_error("agreed", "Tick this")
        html = str(form["agreed"].as_field_group())
        self.assertIn('id="id_agreed_error"', html)
        self.assertIn("form-error", html)

    def test_text_and_choices_keep_their_label_above(self):
        html = str(Example()["name"].as_field_group())
        self.assertLess(html.index("<label"), html.index("<input"))
        self.assertEqual(len(re.findall(r"<fieldset", str(Example()["colour"].as_field_group()))), 1)
