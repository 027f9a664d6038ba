"""The bell of the top bar: the signed-in user's unread notifications, on every page.

Lazy: the count is queried once, when a page that shows the bell renders it (fragments do not),
and kept on the request.
"""

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}

    def count():
        if not hasattr(request, "_unread_count"):
            request._unread_count = unread_count(user)
        return request._unread_count

    return {"bell_unread": SimpleLazyObject(count)}
