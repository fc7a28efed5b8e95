"""The owners' page for write keys: list, create (the secret shown once), revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.roles import Capability
from metrics.models import WriteKey
from metrics.services import keys as key_services


class WriteKeyForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="Where the key is used, e.g. “web app” or “CRM export”."
    )


def _context(request, **extra):
    keys = WriteKey.objects.in_workspace(request.workspace).select_related("created_by")
    host = request.build_absolute_uri(reverse("ingest:batch")).removesuffix("/v1/batch")
    return {"keys": keys, "ingest_host": host, **extra}


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def write_keys(request):
    """A created key's secret is in this one response only, so this POST renders, not redirects:
    the secret is never stored, not even in the session for a redirect to pick up."""
    form = WriteKeyForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        key, secret = key_services.write_key_create(
            workspace=request.workspace, name=form.cleaned_data["name"], actor=request.user
        )
        created = {"key": key, "secret": secret}
        form = WriteKeyForm()
    response = TemplateResponse(
        request, "metrics/keys.html", _context(request, form=form, created=created)
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def write_key_revoke(request, key):
    key = get_object_or_404(WriteKey.objects.in_workspace(request.workspace), pk=key)
    if request.method == "POST":
        key_services.write_key_revoke(key=key)
        messages.success(request, f"Write key “{key.name}” revoked; it can't send events anymore.")
        return redirect("metrics:write_keys", workspace=request.workspace.slug)
    return TemplateResponse(
        request, "metrics/keys.html", _context(request, form=WriteKeyForm(), revoking=key)
    )
