"""The signed-in user's unread count, for the inbox link in the navigation."""
from .selectors import unread_count


def unread(request):
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None else 0}
