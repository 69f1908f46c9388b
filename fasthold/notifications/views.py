"""The person's own notifications (the in-app channel), their e-mail choice, and /healthz."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fasthold.notifications import kinds
from fasthold.notifications.forms import SettingsForm
from fasthold.notifications.models import Notification, NotificationSettings
from fasthold.notifications.selectors import close_unseeable, inbox

LIST_SIZE = 50


@require_GET
def notification_list(request):
    close_unseeable(request.user)  # so the header's count (unread_count) agrees with the list
    rows = list(inbox(request.user)[:LIST_SIZE])
    # One batch per kind, not a query per row. A kind no installed app words any more is left out.
    messages_by_pk = kinds.render_many(rows)
    items = []
    for n in rows:
        message = messages_by_pk.get(n.pk)
        if message is not None:
            items.append({"notification": n, "message": message})
    return render(request, "notifications/list.html", {"items": items})


@require_POST
def mark_read(request, public_id):
    n = get_object_or_404(Notification, public_id=public_id, user=request.user)
    if n.read_at is None:
        Notification.objects.filter(pk=n.pk, read_at=None).update(read_at=timezone.now())
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    inbox(request.user).filter(read_at=None).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current, _created = NotificationSettings.objects.get_or_create(user=request.user)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer: 200 when the database answers, 503 when not; the outbox's counts.
    No login and nothing about anyone."""
    from fasthold.notifications.outbox import health

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        outbox = health()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"database": "error"}, status=503)
    return JsonResponse({"database": "ok", "outbox": outbox})
