"""The organisation administrator's pages for API clients: create one (its token shown once), issue a new
token (rotation: the old one stays valid until it expires or is revoked), revoke a token or the client."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fasthold.api import services
from fasthold.api.forms import ClientForm, RotateForm
from fasthold.api.models import ApiClient, ApiToken
from fasthold.people.services import administered_organisation


def _administered(request):
    organisation = administered_organisation(request.user)
    if organisation is None:
        raise Http404
    return organisation


def _token_shown(request, client, token):
    # Shown in this response only; nothing keeps it (the page is no-store, like every page).
    return render(request, "api/token_shown.html", {"client": client, "token": token})


def client_list(request):
    organisation = _administered(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client, token = services.client_create(
            actor=request.user,
            organisation=organisation,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            days=form.cleaned_data["days"],
        )
        return _token_shown(request, client, token)
    clients = ApiClient.objects.filter(organisation=organisation).prefetch_related("tokens")
    return render(
        request,
        "api/client_list.html",
        {"organisation": organisation, "clients": clients, "form": form, "rotate_form": RotateForm()},
        status=400 if form.is_bound else 200,
    )


@require_POST
def client_rotate(request, public_id):
    organisation = _administered(request)
    client = get_object_or_404(ApiClient, public_id=public_id, organisation=organisation, revoked_at__isnull=True)
    form = RotateForm(request.POST)
    if not form.is_valid():
        return redirect("api-admin:clients")
    token = services.token_rotate(actor=request.user, client=client, days=form.cleaned_data["days"])
    return _token_shown(request, client, token)


@require_POST
def token_revoke(request, public_id):
    organisation = _administered(request)
    token_id = request.POST.get("token", "")
    if not token_id.isdigit():
        raise Http404
    token = get_object_or_404(ApiToken, pk=token_id, client__public_id=public_id, client__organisation=organisation)
    services.token_revoke(actor=request.user, token=token)
    return redirect("api-admin:clients")


@require_POST
def client_revoke(request, public_id):
    organisation = _administered(request)
    client = get_object_or_404(ApiClient, public_id=public_id, organisation=organisation)
    services.client_revoke(actor=request.user, client=client)
    return redirect("api-admin:clients")
