from django.db.models import Q

from fasthold.cases.models import Case
from fasthold.notifications.models import Notification, Status


def inbox(user):
    """The person's open, sent notifications, newest first; those about a case only while they may
    still see it (the page policy, asked at every read)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user, status=Status.SENT).select_related("case")
    visible = Case.objects.visible_to(user).values("pk")
    return rows.filter(Q(case__isnull=True) | Q(case__in=visible)).order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return inbox(user).filter(read_at=None).count()
