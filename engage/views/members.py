from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.forms import InvitationForm, MembershipRoleForm
from engage.models import Invitation, Membership
from engage.roles import ROLE_DESCRIPTIONS, Capability, Role

from .responses import template_for

PARTIALS = frozenset({"member-row"})


def accept_url_for(request):
    def build(invitation):
        token = selectors.invitation_signed_token(invitation)
        return request.build_absolute_uri(reverse("invitation_accept", kwargs={"token": token}))

    return build


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.MANAGE)
def member_list(request):
    """Everyone sees who is in the workspace; only owners see and make invitations."""
    workspace, can_manage = request.workspace, request.membership.can(Capability.MANAGE)
    form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                workspace=workspace,
                created_by=request.user,
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
                single_use=form.cleaned_data["single_use"],
                valid_for_days=form.cleaned_data["valid_for_days"],
                accept_url_for=accept_url_for(request),
            )
        except BrokerUnavailable as down:
            # Only the mail needs the queue: a link without an address can be made now.
            form.add_error(
                "email", f"{down} Or leave the address empty and send the link yourself."
            )
        else:
            sent = f" and emailed to {invitation.email}" if invitation.email else ""
            messages.success(
                request, f"Invitation link created{sent}. Copy it from the list below."
            )
            return redirect("member_list", workspace=workspace.slug)
    invitations = []
    if can_manage:
        build = accept_url_for(request)
        invitations = [
            (invitation, build(invitation)) for invitation in selectors.invitations_of(workspace)
        ]
    context = {
        "members": selectors.members_of(workspace),
        "invitations": invitations,
        "form": form,
        "can_manage": can_manage,
        "role_descriptions": ROLE_DESCRIPTIONS,
        "roles": Role.choices,
    }
    return TemplateResponse(request, "engage/members/list.html", context)


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def member_role(request, membership):
    membership = get_object_or_404(
        Membership.objects.filter(workspace=request.workspace).select_related("user"), pk=membership
    )
    form = MembershipRoleForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            error = exc.messages[0]
            membership.refresh_from_db()
    else:
        error = "Pick one of the listed roles."
    if request.htmx:
        template = template_for(request, "engage/members/list.html", "member-row", PARTIALS)
        context = {
            "member": membership,
            "roles": Role.choices,
            "can_manage": True,
            "row_error": error,
            "row_saved": not error,
        }
        return TemplateResponse(request, template, context)
    (messages.error if error else messages.success)(
        request, error or f"{membership.user} is now {membership.get_role_display()}."
    )
    return redirect("member_list", workspace=request.workspace.slug)


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def member_remove(request, membership):
    membership = get_object_or_404(
        Membership.objects.filter(workspace=request.workspace).select_related("user"), pk=membership
    )
    try:
        services.membership_remove(membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{membership.user} no longer has access to this workspace.")
    return redirect("member_list", workspace=request.workspace.slug)


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def invitation_revoke(request, invitation):
    invitation = get_object_or_404(
        Invitation.objects.filter(workspace=request.workspace), pk=invitation
    )
    services.invitation_revoke(invitation=invitation)
    messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect("member_list", workspace=request.workspace.slug)
