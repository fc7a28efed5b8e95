from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import login_redirect
from engage.models import Membership
from engage.roles import ROLE_DESCRIPTIONS


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Public: anyone with the link sees what it offers, then logs in or signs up to join."""
    invitation = selectors.invitation_from_signed_token(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    already_member = (
        request.user.is_authenticated
        and Membership.objects.filter(workspace=invitation.workspace, user=request.user).exists()
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request)
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("invitation_accept", token=token)
        messages.success(request, f"Welcome to {invitation.workspace.name}.")
        return redirect(invitation.workspace)
    context = {
        "invitation": invitation,
        "already_member": already_member,
        "role_description": ROLE_DESCRIPTIONS.get(invitation.role, ""),
    }
    status = 200 if invitation.is_usable or already_member else 410
    return TemplateResponse(request, "engage/invitations/accept.html", context, status=status)
