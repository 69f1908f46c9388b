"""The one form view: GET 200, invalid POST 400 with the error summary, conflict 409 with the input kept
and the saved version, refusal 409 with a reason; nothing is saved on any path but the valid one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.utils import translation

from fasthold.formviews import done, form_view
from fasthold.kernel import ConflictError, NotAllowed

PAGE = (
    "{% load i18n %}{% if conflict %}{% include 'includes/conflict.html' %}<p>saved: {{ current }}</p>"
    "{% else %}{% include 'includes/form_errors.html' %}{% endif %}{{ form.name.value|default:'' }}"
)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [settings.BASE_DIR / "templates"],  # the shared includes
        "OPTIONS": {
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"page.html": PAGE}),
                "django.template.loaders.filesystem.Loader",
            ],
            "context_processors": [],
        },
    }
]


class NameForm(forms.Form):
    name = forms.CharField(max_length=5, label="Name")


@override_settings(TEMPLATES=TEMPLATES)
class FormViewTests(SimpleTestCase):
    def setUp(self):
        self.factory = RequestFactory()
        self.saved = []
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def view(self, request, on_valid=None, **kwargs):
        def save(form):
            self.saved.append(form.cleaned_data["name"])
            return HttpResponse("saved", status=302)

        form = NameForm(request.POST if request.method == "POST" else None)
        return form_view(request, form=form, template="page.html", on_valid=on_valid or save, **kwargs)

    def test_get_renders_without_errors(self):
        response = self.view(self.factory.get("/"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("alert-error", response.content.decode())

    def test_valid_post_calls_on_valid(self):
        response = self.view(self.factory.post("/", {"name": "Kurt"}))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.saved, ["Kurt"])

    def test_invalid_post_is_400_with_linked_error_summary(self):
        response = self.view(self.factory.post("/", {"name": "Kurt Jensen"}))
        self.assertEqual(response.status_code, 400)
        page = response.content.decode()
        self.assertIn("Please correct the fields marked below. Nothing has been saved yet.", page)
        self.assertIn('href="#id_name"', page)
        self.assertIn("Kurt Jensen", page)  # the input is kept
        self.assertEqual(self.saved, [])

    def test_conflict_is_409_with_input_kept_and_saved_version(self):
        def clash(form):
            raise ConflictError

        response = self.view(
            self.factory.post("/", {"name": "Mine"}), on_valid=clash, on_conflict=lambda: {"current": "Theirs"}
        )
        self.assertEqual(response.status_code, 409)
        page = response.content.decode()
        self.assertIn("Nothing of yours was saved yet", page)
        self.assertIn("saved: Theirs", page)
        self.assertIn("Mine", page)

    def test_refusal_is_a_clear_4xx(self):
        def refuse(form):
            raise NotAllowed("locked")

        response = self.view(self.factory.post("/", {"name": "Mine"}), on_valid=refuse)
        self.assertEqual(response.status_code, 409)
        page = response.content.decode()
        self.assertIn("This cannot be changed now. Nothing was saved.", page)
        self.assertNotIn("locked", page)

    def test_other_exceptions_are_not_swallowed(self):
        def boom(form):
            raise ValueError

        with self.assertRaises(ValueError):
            self.view(self.factory.post("/", {"name": "Mine"}), on_valid=boom)

    def test_form_template_and_on_valid_may_be_given_by_position(self):
        def save(form):
            return HttpResponse("saved", status=302)

        response = form_view(self.factory.post("/", {"name": "Kurt"}), NameForm({"name": "Kurt"}), "page.html", save)
        self.assertEqual(response.status_code, 302)
        response = form_view(self.factory.get("/"), NameForm(), "page.html", save)
        self.assertEqual(response.status_code, 200)


class DoneTests(SimpleTestCase):
    def test_done_says_so_and_redirects(self):
        request = RequestFactory().post("/")
        request._messages = CookieStorage(request)
        response = done(request, "The note was saved.", "/notes/")
        self.assertEqual((response.status_code, response["Location"]), (302, "/notes/"))
        self.assertEqual([(m.level, m.message) for m in request._messages], [(messages.SUCCESS, "The note was saved.")])
