from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import workspace_access
from engage.forms import SegmentForm
from engage.models import Segment
from engage.roles import Capability

from .responses import template_for

LIST_PARTIALS = frozenset({"segment-section"})


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def segment_list(request):
    form = SegmentForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        segment = services.segment_create(workspace=request.workspace, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, f"Segment “{segment.name}” added.")
            return redirect("segment_list", workspace=request.workspace.slug)
        form = SegmentForm(workspace=request.workspace)
    context = {"segments": selectors.segments_for_workspace(request.workspace), "form": form}
    template = template_for(request, "engage/segments/list.html", "segment-section", LIST_PARTIALS)
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def segment_edit(request, segment):
    segment = get_object_or_404(Segment.objects.in_workspace(request.workspace), pk=segment)
    form = SegmentForm(request.POST or None, instance=segment, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.segment_update(segment=segment, **form.cleaned_data)
        messages.success(request, "Segment saved.")
        return redirect("segment_list", workspace=request.workspace.slug)
    context = {
        "form": form,
        "heading": f"Edit segment “{segment.name}”",
        "submit_label": "Save segment",
        "cancel_url": reverse("segment_list", kwargs={"workspace": request.workspace.slug}),
    }
    return TemplateResponse(request, "engage/form_page.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def segment_delete(request, segment):
    segment = get_object_or_404(Segment.objects.in_workspace(request.workspace), pk=segment)
    if request.method == "POST":
        services.segment_delete(segment=segment)
        messages.success(request, f"Segment “{segment.name}” deleted.")
        return redirect("segment_list", workspace=request.workspace.slug)
    context = {
        "kind": "segment",
        "thing": segment.name,
        "consequence": "Personas in this segment stay, without a segment.",
        "cancel_url": reverse("segment_list", kwargs={"workspace": request.workspace.slug}),
    }
    return TemplateResponse(request, "engage/confirm_delete.html", context)
