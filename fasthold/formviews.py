"""One form view: GET renders the form, POST validates it; invalid input is a 400 with the form's
errors, a version conflict is a 409 with the user's input kept and the saved version beside it, and a
refusal by the service is a 4xx with its reason on the form. Nothing is saved on any of those paths.

Views keep their own access checks: the helper runs after them and never decides who may do what.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fasthold.kernel import ConflictError, NotAllowed


def form_view(
    request: HttpRequest,
    form: BaseForm,
    template: str,
    on_valid: Callable[[BaseForm], HttpResponse],
    *,
    context: Mapping[str, Any] | None = None,
    on_conflict: Callable[[], Mapping[str, Any]] | None = None,
    refusals: Iterable[type[Exception]] = (NotAllowed,),
    refused_status: int = 409,
) -> HttpResponse:
    """Render `template` with `form` (and `context`) for GET; for POST call `on_valid(form)` when
    the form is valid and return its response (usually `done(...)`: a message and a redirect). The form,
    the template and `on_valid` may be given by position, like render()'s template and context.

    `on_valid` raising ConflictError gives 409: the same bound form (the user's input) with
    `conflict=True` and whatever `on_conflict()` returns (the version as it is saved now). An
    exception of a type in `refusals` (NotAllowed unless the view says otherwise) gives
    `refused_status` and a non-field error saying nothing was saved (a refusal's own message is a
    code, not a sentence for the user); a view whose
    refusal means something else (a redirect with a message) catches it inside `on_valid`.
    """
    page = {"form": form, **(context or {})}
    if request.method != "POST":
        return render(request, template, page)
    if not form.is_valid():
        return render(request, template, page, status=400)
    refused = tuple(refusals)
    try:
        return on_valid(form)
    except ConflictError:
        saved = on_conflict() if on_conflict is not None else {}
        return render(request, template, {**page, "conflict": True, **saved}, status=409)
    except refused:
        form.add_error(None, _("This cannot be changed now. Nothing was saved."))
        return render(request, template, page, status=refused_status)


def done(request: HttpRequest, message: str, to: str, *args: Any) -> HttpResponse:
    """The end of a change that went through: `message` as a success, and a redirect to `to` (a URL name
    with its `args`, or a URL)."""
    messages.success(request, message)
    return redirect(to, *args)
