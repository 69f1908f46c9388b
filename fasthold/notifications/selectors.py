from django.db.models import Count, Q
from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.kernel import prepared
from fasthold.notifications.models import CloseReason, Notification, Status


def inbox(user):
    """The person's open, sent notifications, newest first; those about a case only while they may
    still see it (the page policy, asked at every read)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user, status=Status.SENT).select_related("case")
    visible = Case.objects.visible_to(user).values("pk")
    return rows.filter(Q(case__isnull=True) | Q(case__in=visible)).order_by("-created_at", "-pk")


# Compiled once per process (kernel.prepared): the count runs on every page.
_unread = prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, status=Status.SENT, read_at=None)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
)


def unread_count(user) -> int:
    """The header's number, on every page: one query on the person's own sent, unread rows. Each was
    allowed when it was sent; one about a case the reader has since lost is closed when the list is
    opened (close_unseeable), so the number is at most that much too high until then, and never text."""
    if user is None or not user.is_authenticated:
        return 0
    rows = _unread(user.pk)  # one row, or none when nothing is unread
    return rows[0]["n"] if rows else 0


def close_unseeable(user) -> int:
    """Close the person's sent rows about a case they may no longer open (the page policy)."""
    visible = Case.objects.visible_to(user).values("pk")
    return (
        Notification.objects.filter(user=user, status=Status.SENT, case__isnull=False)
        .exclude(case__in=visible)
        .update(status=Status.CLOSED, closed_at=timezone.now(), close_reason=CloseReason.NO_ACCESS)
    )
