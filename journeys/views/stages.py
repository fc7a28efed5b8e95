"""The journey stage detail: one stage of a map on a page of its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from canvases.selectors import visible_notes
from canvases.views.common import facilitating
from engage.access import workspace_access
from engage.roles import Capability
from journeys import selectors, services
from journeys.canvas_type import NOTE_ROWS
from journeys.forms import StageChangeForm


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def stage_detail(request, stage):
    stage = selectors.stage_with_journey(request.workspace, stage)
    if stage is None:
        raise Http404("No such stage.")
    form = StageChangeForm(
        request.POST or None,
        initial={
            "version": stage.version,
            "name": stage.name,
            "goals": stage.goals,
            "expected_duration": stage.expected_duration,
            "expected_hours": stage.expected_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.stage_change(
                stage=stage,
                actor=request.user,
                facilitating=facilitating(request),
                expected_version=data.pop("version"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Stage saved.")
            return redirect(
                reverse("journeys:stage_detail", args=[request.workspace.slug, stage.pk])
            )
    return TemplateResponse(
        request, "journeys/stage_detail.html", stage_context(request, stage, form)
    )


def stage_context(request, stage, form) -> dict:
    canvas = stage.journey.canvas
    stages = selectors.map_stages(canvas)
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    areas = {stage.area(row): row for row, _, _ in NOTE_ROWS}
    notes = {row: [] for row, _, _ in NOTE_ROWS}
    rows = visible_notes(canvas, request.user, facilitating=facilitating(request), areas=areas)
    for area, text in rows.values_list("area", "text"):
        notes[areas[area]].append(text)
    return {
        "stage": stages[index],
        "journey": stage.journey,
        "canvas": canvas,
        "persona": canvas.persona,
        "previous": stages[index - 1] if index else None,
        "next": stages[index + 1] if index + 1 < len(stages) else None,
        "number": index + 1,
        "stage_count": len(stages),
        "rows": [(row, title, notes[row]) for row, title, _ in NOTE_ROWS],
        "form": form,
        "can_edit": request.membership.can(Capability.EDIT),
    }
