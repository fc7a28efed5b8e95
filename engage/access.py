"""The one mechanism every workspace page and endpoint uses to check access.

A person who is not a member gets 404 (the workspace's existence is not
revealed); a member whose role lacks the capability gets 403. Safe methods
(GET, HEAD) need `get`; anything else needs `post`.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_htmx.http import HttpResponseClientRedirect

from engage.models import Membership
from engage.roles import Capability

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def login_redirect(request):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(redirect_to_login(request.get_full_path()).url)
    return redirect_to_login(request.get_full_path())


def login_required(view):
    """Like Django's, but answers htmx requests with a client-side redirect."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


def workspace_access(get: str = Capability.VIEW, post: str = Capability.EDIT):
    """Resolve the `workspace` URL slug to the user's membership, or refuse."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, workspace, *args, **kwargs):
            if not request.user.is_authenticated:
                return login_redirect(request)
            membership = (
                Membership.objects.select_related("workspace")
                .filter(workspace__slug=workspace, user=request.user)
                .first()
            )
            if membership is None:
                raise Http404("No such workspace.")
            needed = get if request.method in SAFE_METHODS else post
            if not membership.can(needed):
                raise PermissionDenied(
                    f"Your role ({membership.get_role_display()}) cannot do this here."
                )
            request.workspace = membership.workspace
            request.membership = membership
            return view(request, *args, **kwargs)

        wrapped.workspace_access = {"get": get, "post": post}
        return wrapped

    return decorator
