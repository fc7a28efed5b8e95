"""The JTBD filter table and the prioritization board: their rows, items, decisions, survey."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from canvases import services, types
from canvases.jtbd.filter import parse_sort
from canvases.models import FilterRow, PriorityItem
from canvases.services.survey import MAX_BYTES
from engage.access import workspace_access
from engage.models import Job
from engage.roles import Capability

from .board import changes_response, panel_options_key, panel_write_response
from .common import facilitating, get_canvas


def _error(exc: ValidationError) -> list[str]:
    if isinstance(exc, services.EditConflict):
        return [f"{exc.messages[0]} It now reads: {exc.current_text}. Yours was not saved."]
    return exc.messages


def _job(request, value) -> Job | None:
    if not str(value or "").isdigit():
        return None
    return get_object_or_404(Job.objects.in_workspace(request.workspace), pk=value)


def _version(request) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else 0


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def panel_options(request, canvas):
    """Sort the filter table or show only items awaiting a decision; remembered per person."""
    canvas = get_canvas(request, canvas)
    options = dict(request.session.get(panel_options_key(canvas), {}))
    if "sort" in request.GET:
        key, order = parse_sort(request.GET["sort"])
        options["sort"] = f"{key}:{order}" if key else ""
    if "show" in request.GET:
        options["show"] = "awaiting" if request.GET["show"] == "awaiting" else ""
    request.session[panel_options_key(canvas)] = options
    panels = {a.slug for a in canvas.canvas_type.areas if a.kind == types.AreaKind.PANEL}
    if not request.htmx:
        return redirect(f"{canvas.get_absolute_url()}#area-{min(panels, default='')}")
    return changes_response(request, canvas, panels)


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def filter_row_add(request, canvas):
    canvas = get_canvas(request, canvas)
    post = request.POST
    try:
        services.filter_row_add(
            canvas=canvas,
            job=_job(request, post.get("job")),
            verb=post.get("verb", "")[:60],
            object=post.get("object", "")[:160],
            context=post.get("context", "")[:200],
            kind="" if post.get("job") else post.get("kind", ""),
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as exc:
        return panel_write_response(request, canvas, "jobs", errors=_error(exc))
    return panel_write_response(request, canvas, "jobs")


def _row(request, pk) -> FilterRow:
    return get_object_or_404(
        FilterRow.objects.filter(canvas__workspace=request.workspace).select_related("job"), pk=pk
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def filter_row_update(request, row):
    """One cell of the filter: `field` is the tag or a score, `value` its new value."""
    row = _row(request, row)
    canvas = get_canvas(request, row.canvas_id)
    try:
        services.filter_row_set(
            row=row,
            field=request.POST.get("field", ""),
            value=request.POST.get("value", ""),
            expected_version=_version(request),
            expected_value=request.POST.get("original"),
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as exc:
        return panel_write_response(request, canvas, "jobs", errors=_error(exc))
    return panel_write_response(request, canvas, "jobs")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def filter_row_remove(request, row):
    row = _row(request, row)
    canvas = get_canvas(request, row.canvas_id)
    try:
        services.filter_row_remove(row=row, actor=request.user, facilitating=facilitating(request))
    except ValidationError as exc:
        return panel_write_response(request, canvas, "jobs", errors=_error(exc))
    return panel_write_response(request, canvas, "jobs")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def item_add(request, canvas):
    """Put a job of the workspace on the board, or a desired outcome composed from its parts."""
    canvas = get_canvas(request, canvas)
    post, common = request.POST, {"actor": request.user, "facilitating": facilitating(request)}
    try:
        if post.get("job"):
            services.item_add(canvas=canvas, job=_job(request, post["job"]), **common)
        else:
            services.outcome_item_add(
                canvas=canvas,
                direction=post.get("direction", "")[:20],
                metric=post.get("metric", "")[:100],
                object=post.get("object", "")[:150],
                context=post.get("context", "")[:150],
                job=_job(request, post.get("outcome_job")),
                **common,
            )
    except ValidationError as exc:
        return panel_write_response(request, canvas, "items", errors=_error(exc))
    return panel_write_response(request, canvas, "items")


def _item(request, pk) -> PriorityItem:
    return get_object_or_404(
        PriorityItem.objects.filter(canvas__workspace=request.workspace).select_related(
            "job", "outcome"
        ),
        pk=pk,
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def item_update(request, item):
    """Directly entered importance and satisfaction, 0–10."""
    item = _item(request, item)
    canvas = get_canvas(request, item.canvas_id)
    try:
        services.item_score(
            item=item,
            importance=request.POST.get("importance", ""),
            satisfaction=request.POST.get("satisfaction", ""),
            expected_version=_version(request),
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as exc:
        return panel_write_response(request, canvas, "items", errors=_error(exc))
    return panel_write_response(request, canvas, "items")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def item_remove(request, item):
    item = _item(request, item)
    canvas = get_canvas(request, item.canvas_id)
    try:
        services.item_remove(item=item, actor=request.user, facilitating=facilitating(request))
    except ValidationError as exc:
        return panel_write_response(request, canvas, "items", errors=_error(exc))
    return panel_write_response(request, canvas, "items")


@require_http_methods(["POST"])
@workspace_access(get=Capability.REVIEW, post=Capability.REVIEW)
def item_decide(request, item):
    """The reviewer's decision: accept, defer or reject, with a comment."""
    item = _item(request, item)
    canvas = get_canvas(request, item.canvas_id)
    try:
        if not request.POST.get("decision"):
            raise ValidationError("Choose accept, defer or reject.")
        services.item_decide(
            item=item,
            decision=request.POST["decision"],
            comment=request.POST.get("comment", "")[:2000],
            expected_version=_version(request) if "version" in request.POST else None,
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as exc:
        return panel_write_response(request, canvas, "items", errors=_error(exc))
    return panel_write_response(request, canvas, "items")


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def survey_import(request, canvas):
    """A CSV of survey answers (respondent_id,outcome,importance,satisfaction): all or nothing."""
    canvas = get_canvas(request, canvas)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError("Choose a CSV file to import.")
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        event = services.survey_import(
            canvas=canvas,
            data=upload.read(),
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as exc:
        messages.error(request, "Nothing was imported.")
        return panel_write_response(request, canvas, "items", errors=_error(exc))
    messages.success(request, f"Imported {event.after['label']}.")
    return panel_write_response(request, canvas, "items")
