from django.utils.functional import SimpleLazyObject

from fasthold.notifications.selectors import unread_count


def unread(request):
    """`notifications_unread` for templates/notifications/_header.html: counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
