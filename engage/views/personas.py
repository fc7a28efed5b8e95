from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import workspace_access
from engage.forms import PersonaForm, PersonaQuickForm
from engage.models import Persona
from engage.models.people import PERSONA_ROLE_HELP
from engage.panels import panels_for
from engage.roles import Capability

from .responses import template_for

LIST_PARTIALS = frozenset({"persona-section"})


def _persona(request, pk) -> Persona:
    return get_object_or_404(
        Persona.objects.in_workspace(request.workspace).select_related("segment"), pk=pk
    )


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def persona_list(request):
    form = PersonaQuickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        persona = services.persona_create(
            workspace=request.workspace, created_by=request.user, **form.cleaned_data
        )
        if not request.htmx:
            messages.success(request, f"Persona “{persona.name}” added.")
            return redirect("persona_list", workspace=request.workspace.slug)
        form = PersonaQuickForm()
    context = {
        "personas": selectors.personas_for_workspace(request.workspace),
        "form": form,
        "role_help": PERSONA_ROLE_HELP,
    }
    template = template_for(request, "engage/personas/list.html", "persona-section", LIST_PARTIALS)
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def persona_create(request):
    form = PersonaForm(request.POST or None, request.FILES or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        persona = services.persona_create(
            workspace=request.workspace, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Persona “{persona.name}” created.")
        return redirect(persona)
    return TemplateResponse(request, "engage/personas/form.html", {"form": form})


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def persona_detail(request, persona):
    persona = _persona(request, persona)
    jobs = persona.jobs.select_related("parent").order_by("verb", "object")
    context = {
        "persona": persona,
        "jobs": jobs,
        "role_help": PERSONA_ROLE_HELP,
        "panels": panels_for("persona_detail", request, persona),
    }
    return TemplateResponse(request, "engage/personas/detail.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def persona_edit(request, persona):
    persona = _persona(request, persona)
    form = PersonaForm(
        request.POST or None, request.FILES or None, instance=persona, workspace=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        services.persona_update(persona=persona, **form.cleaned_data)
        messages.success(request, "Persona saved.")
        return redirect(persona)
    return TemplateResponse(
        request, "engage/personas/form.html", {"form": form, "persona": persona}
    )


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def persona_delete(request, persona):
    persona = _persona(request, persona)
    if request.method == "POST":
        services.persona_delete(persona=persona)
        messages.success(request, f"Persona “{persona.name}” deleted.")
        return redirect("persona_list", workspace=request.workspace.slug)
    context = {
        "kind": "persona",
        "thing": persona.name,
        "consequence": "Jobs keep existing but lose this persona; canvases linked to it lose the link.",
        "cancel_url": persona.get_absolute_url(),
    }
    return TemplateResponse(request, "engage/confirm_delete.html", context)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def persona_avatar(request, persona):
    """Avatars are served through the app so only members can see them."""
    persona = _persona(request, persona)
    if not persona.avatar_image:
        raise Http404("No avatar.")
    response = FileResponse(persona.avatar_image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
