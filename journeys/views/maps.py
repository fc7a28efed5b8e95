"""The journeys page, and the writes of a journey map's panels (stages, touchpoints, data).

Writes answer htmx with the changed panels redrawn (or a reload when the stages change
the grid) and plain posts with a redirect to the map, as every canvas write does.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from canvases.bdn.forms import first_error
from canvases.selectors import canvases_for_workspace
from canvases.services import SHAPE_AREA
from canvases.views.board import panel_write_response
from canvases.views.common import facilitating
from engage.access import workspace_access
from engage.roles import Capability
from journeys import selectors, services
from journeys.digital import digital_type
from journeys.forms import (
    DataNeedForm,
    EmotionForm,
    JourneyChangeForm,
    JourneyCreateForm,
    StageAddForm,
    StageChangeForm,
    StageMoveForm,
    TouchpointChangeForm,
    TouchpointForm,
)
from journeys.mix import share_of
from journeys.models import DataNeed, Journey, Stage, Touchpoint

ECOSYSTEM_MAP = "ecosystem_map"


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def journey_index(request):
    form = JourneyCreateForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            journey = services.journey_create(
                workspace=request.workspace, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(journey.canvas)
    journeys = list(selectors.journeys_for_workspace(request.workspace))
    for journey in journeys:
        journey.share = share_of(journey.digital_count, journey.touchpoint_count)
        journey.type = digital_type(journey.share)
    context = {
        "form": form,
        "journeys": journeys,
        "ecosystem_maps": canvases_for_workspace(request.workspace).filter(type=ECOSYSTEM_MAP),
        "can_edit": request.membership.can(Capability.EDIT),
    }
    return TemplateResponse(request, "journeys/index.html", context)


def _journey(request, pk) -> Journey:
    return get_object_or_404(
        Journey.objects.in_workspace(request.workspace).select_related("canvas__workspace"), pk=pk
    )


def _stage(request, pk) -> Stage:
    return get_object_or_404(
        Stage.objects.current()
        .filter(journey__workspace=request.workspace)
        .select_related("journey__canvas__workspace"),
        pk=pk,
    )


def _touchpoint(request, pk) -> Touchpoint:
    return get_object_or_404(
        Touchpoint.objects.filter(stage__journey__workspace=request.workspace).select_related(
            "stage__journey__canvas__workspace"
        ),
        pk=pk,
    )


def _write(request, canvas, area: str, write, *, done: str, anchor: str = ""):
    """Run `write()`; answer with the area redrawn, its error shown if it was refused."""
    try:
        write()
    except ValidationError as error:
        # A refused change of the grid changed nothing: show why on the stages row.
        shown = "stages" if area == SHAPE_AREA else area
        return panel_write_response(request, canvas, shown, errors=error.messages, anchor=anchor)
    return panel_write_response(request, canvas, area, done=done, anchor=anchor)


def _refused(request, canvas, area: str, form):
    return panel_write_response(request, canvas, area, errors=[first_error(form)])


def _common(request) -> dict:
    return {"actor": request.user, "facilitating": facilitating(request)}


@require_http_methods(["POST"])
@workspace_access(post=Capability.EDIT)
def journey_update(request, journey):
    journey = _journey(request, journey)
    form = JourneyChangeForm(request.POST)
    if not form.is_valid():
        return _refused(request, journey.canvas, "summary", form)
    data = form.cleaned_data
    return _write(
        request,
        journey.canvas,
        "summary",
        lambda: services.journey_change(
            journey=journey,
            expected_version=data["version"],
            title=data["title"],
            scenario=data["scenario"],
            **_common(request),
        ),
        done="Journey saved.",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.EDIT)
def stage_add(request, journey):
    journey = _journey(request, journey)
    form = StageAddForm(request.POST)
    if not form.is_valid():
        return _refused(request, journey.canvas, "stages", form)
    return _write(
        request,
        journey.canvas,
        SHAPE_AREA,
        lambda: services.stage_add(
            journey=journey, name=form.cleaned_data["name"], **_common(request)
        ),
        done="Stage added.",
        anchor="area-stages",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.EDIT)
def stage_update(request, stage):
    """One endpoint for the stage menu's actions: change, move, remove."""
    stage = _stage(request, stage)
    canvas, action = stage.journey.canvas, request.POST.get("action")
    if action == "change":
        form = StageChangeForm(request.POST)
        if not form.is_valid():
            return _refused(request, canvas, "stages", form)
        data = form.cleaned_data
        return _write(
            request,
            canvas,
            "stages",
            lambda: services.stage_change(
                stage=stage, expected_version=data.pop("version"), **data, **_common(request)
            ),
            done="Stage saved.",
            anchor="area-stages",
        )
    if action == "move":
        form = StageMoveForm(request.POST)
        if not form.is_valid():
            return _refused(request, canvas, "stages", form)
        return _write(
            request,
            canvas,
            SHAPE_AREA,
            lambda: services.stage_move(
                stage=stage, position=form.cleaned_data["position"], **_common(request)
            ),
            done="Stage moved.",
            anchor="area-stages",
        )
    if action == "remove":
        return _write(
            request,
            canvas,
            SHAPE_AREA,
            lambda: services.stage_remove(stage=stage, **_common(request)),
            done=f"Stage “{stage.name}” removed. “Undo my last change” brings it back.",
            anchor="area-stages",
        )
    return panel_write_response(request, canvas, "stages", errors=["Unknown stage action."])


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def stage_emotion(request, stage):
    stage = _stage(request, stage)
    form = EmotionForm(request.POST)
    if not form.is_valid():
        return _refused(request, stage.journey.canvas, "curve", form)
    return _write(
        request,
        stage.journey.canvas,
        "curve",
        lambda: services.stage_set_emotion(
            stage=stage, emotion=form.cleaned_data["emotion"], **_common(request)
        ),
        done="Emotion set.",
        anchor="area-curve",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def touchpoint_add(request, stage):
    stage = _stage(request, stage)
    form = TouchpointForm(request.POST)
    if not form.is_valid():
        return _refused(request, stage.journey.canvas, "touchpoints", form)
    return _write(
        request,
        stage.journey.canvas,
        "touchpoints",
        lambda: services.touchpoint_add(stage=stage, **form.details(), **_common(request)),
        done="Touchpoint added.",
        anchor="area-touchpoints",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def touchpoint_update(request, touchpoint):
    touchpoint = _touchpoint(request, touchpoint)
    canvas = touchpoint.stage.journey.canvas
    form = TouchpointChangeForm(request.POST)
    if not form.is_valid():
        return _refused(request, canvas, "touchpoints", form)
    details = form.details()
    version = details.pop("version")
    return _write(
        request,
        canvas,
        "touchpoints",
        lambda: services.touchpoint_change(
            touchpoint=touchpoint, expected_version=version, **details, **_common(request)
        ),
        done="Touchpoint saved.",
        anchor=f"touchpoint-{touchpoint.pk}",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def touchpoint_remove(request, touchpoint):
    touchpoint = _touchpoint(request, touchpoint)
    return _write(
        request,
        touchpoint.stage.journey.canvas,
        "touchpoints",
        lambda: services.touchpoint_remove(touchpoint=touchpoint, **_common(request)),
        done="Touchpoint removed. “Undo my last change” brings it back.",
        anchor="area-touchpoints",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def data_need_add(request, touchpoint):
    touchpoint = _touchpoint(request, touchpoint)
    canvas = touchpoint.stage.journey.canvas
    form = DataNeedForm(request.POST)
    if not form.is_valid():
        return _refused(request, canvas, "touchpoints", form)
    return _write(
        request,
        canvas,
        "touchpoints",
        lambda: services.data_need_add(
            touchpoint=touchpoint, **form.cleaned_data, **_common(request)
        ),
        done="Data need added.",
        anchor=f"touchpoint-{touchpoint.pk}",
    )


@require_http_methods(["POST"])
@workspace_access(post=Capability.PARTICIPATE)
def data_need_remove(request, need):
    need = get_object_or_404(
        DataNeed.objects.filter(touchpoint__stage__journey__workspace=request.workspace)
        .select_related("touchpoint__stage__journey__canvas__workspace"),
        pk=need,
    )  # fmt: skip
    touchpoint = need.touchpoint
    return _write(
        request,
        touchpoint.stage.journey.canvas,
        "touchpoints",
        lambda: services.data_need_remove(need=need, **_common(request)),
        done="Data need removed.",
        anchor=f"touchpoint-{touchpoint.pk}",
    )
