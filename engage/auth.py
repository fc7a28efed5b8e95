"""Signing in: by email address, throttled per address and client (django-axes)."""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import render


class EmailBackend(ModelBackend):
    """Sign in with an email address, whatever its case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email", username)
        if not email or password is None:
            return None
        user = get_user_model()._default_manager.filter(email__iexact=email.strip()).first()
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out address and client before any password is checked.

    Only web log-ins are throttled: a check without a request (a management command,
    the test client's `login`) has no client to count against.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def login_username(request, credentials) -> str:
    """The address counted against: `Priya@X.com ` and `priya@x.com` are one account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind `PROXY_COUNT` reverse proxies the
    address the outermost of them saw (X-Forwarded-For's entries before it are the client's
    to write, so they are not trusted)."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """The log-in page again, saying why and for how long, with 429 Too Many Requests."""
    from engage.forms import EmailLoginForm

    minutes = max(1, math.ceil(get_cool_off(request).total_seconds() / 60))
    form = EmailLoginForm(request, initial={"username": login_username(request, credentials)})
    context = {"form": form, "next": request.POST.get("next", ""), "locked_out_minutes": minutes}
    return render(request, "registration/login.html", context, status=429)
