from fasthold.notifications.selectors import unread_count


def unread(request):
    """`notifications_unread` for templates/notifications/_header.html: a callable the template calls,
    so the count is queried only on a page that shows it, and once however often it is used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo: list[int] = []

    def count() -> int:
        if not memo:
            memo.append(unread_count(user))
        return memo[0]

    return {"notifications_unread": count}
