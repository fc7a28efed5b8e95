from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import login_required, workspace_access
from engage.forms import WorkspaceForm
from engage.panels import panels_for
from engage.roles import Capability

from .responses import redirect_to, template_for
from .transfers import exports_context


def root(request):
    return redirect("workspace_list" if request.user.is_authenticated else "login")


@require_http_methods(["GET", "POST"])
@login_required
def workspace_list(request):
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workspace = services.workspace_create(created_by=request.user, **form.cleaned_data)
        messages.success(request, f"Workspace “{workspace.name}” created. You are its owner.")
        return redirect_to(request, workspace)
    workspaces = list(selectors.workspaces_for_user(request.user))
    roles = selectors.role_in([w.pk for w in workspaces], request.user)
    for workspace in workspaces:
        workspace.my_role = roles.get(workspace.pk)
    template = template_for(
        request, "engage/workspaces/list.html", "create-form", frozenset({"create-form"})
    )
    return TemplateResponse(request, template, {"workspaces": workspaces, "form": form})


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def workspace_home(request):
    workspace = request.workspace
    context = {
        "personas": selectors.personas_for_workspace(workspace)[:12],
        "jobs": selectors.jobs_for_workspace(workspace).filter(parent=None)[:12],
        "segments": selectors.segments_for_workspace(workspace),
        "member_count": selectors.members_of(workspace).count(),
        "panels": panels_for("workspace_home", request, workspace),
    }
    return TemplateResponse(request, "engage/workspaces/home.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def workspace_settings(request):
    form = WorkspaceForm(request.POST or None, instance=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.workspace_update(workspace=request.workspace, **form.cleaned_data)
        messages.success(request, "Workspace saved.")
        return redirect(request.workspace)
    context = {
        "form": form,
        "heading": "Workspace settings",
        "submit_label": "Save settings",
        "cancel_url": request.workspace.get_absolute_url(),
        **exports_context(request.workspace),
    }
    return TemplateResponse(request, "engage/workspaces/settings.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def workspace_delete(request):
    workspace = request.workspace
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip() != workspace.name:
            messages.error(request, "Type the workspace's name exactly to delete it.")
            return redirect("workspace_delete", workspace=workspace.slug)
        services.workspace_delete(workspace=workspace)
        messages.success(request, f"Workspace “{workspace.name}” deleted.")
        return redirect("workspace_list")
    return TemplateResponse(request, "engage/workspaces/delete.html", {})
