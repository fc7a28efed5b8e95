from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from canvases import services
from canvases.forms import NoteAddForm, NoteEditForm, NoteMoveForm
from canvases.models import Note, NoteColour
from engage.access import workspace_access
from engage.roles import Capability

from .board import changes_response
from .common import facilitating, get_canvas


def _note(canvas, pk) -> Note:
    return get_object_or_404(canvas.notes.select_related("author"), pk=pk)


def _area_response(request, canvas, area_slug: str, *, error: str = ""):
    """htmx: the changes (an area with an error redrawn); otherwise back to the board at the area."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{canvas.get_absolute_url()}#area-{area_slug}")
    return changes_response(request, canvas, {area_slug} if error else set(), area_error=error)


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def note_add(request, canvas):
    canvas = get_canvas(request, canvas)
    form = NoteAddForm(request.POST)
    area = request.POST.get("area", "")
    if not form.is_valid():
        return _area_response(request, canvas, area, error="Type something before adding a note.")
    try:
        services.note_create(
            canvas=canvas,
            area=area,
            text=form.cleaned_data["text"],
            score=form.cleaned_data["score"],
            author=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as error:
        return _area_response(request, canvas, area, error=error.messages[0])
    canvas.refresh_from_db()
    return _area_response(request, canvas, area)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.PARTICIPATE)
def note_detail(request, canvas, note):
    """The note on its own: the no-JavaScript way to edit it, and the target of inline edits."""
    canvas = get_canvas(request, canvas)
    note = _note(canvas, note)
    form = NoteEditForm(
        request.POST or None,
        initial={
            "text": note.text,
            "colour": note.colour,
            "score": note.score,
            "version": note.version,
            "original": note.text,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.note_edit(
                note=note,
                actor=request.user,
                expected_version=data["version"],
                expected_text=data["original"] if "original" in request.POST else None,
                text=data["text"] if "text" in request.POST else None,
                colour=data["colour"] or None,
                score=data["score"],
                facilitating=facilitating(request),
            )
        except services.EditConflict as error:
            conflict = {
                "mine": data["text"],
                "theirs": error.current_text,
                "version": error.current_version,
            }
        except ValidationError as error:
            form.add_error(None, error)
        else:
            canvas.refresh_from_db()
            return _area_response(request, canvas, note.area)
    context = {
        "canvas": canvas,
        "note": note,
        "form": form,
        "conflict": conflict,
        "area": canvas.canvas_type.area(note.area),
        "colours": NoteColour.choices,
    }
    template = (
        "canvases/note.html#note-conflict" if request.htmx and conflict else "canvases/note.html"
    )
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.PARTICIPATE)
def note_move(request, canvas, note):
    """Move a note to another area or place: a keyboard- and script-free alternative to dragging."""
    canvas = get_canvas(request, canvas)
    note = _note(canvas, note)
    form = NoteMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        origin = note.area
        try:
            services.note_move(
                note=note,
                area=form.cleaned_data["area"],
                position=form.cleaned_data["position"]
                if form.cleaned_data["position"] is not None
                else 10**6,
                actor=request.user,
                facilitating=facilitating(request),
            )
        except ValidationError as error:
            return _area_response(request, canvas, origin, error=error.messages[0])
        canvas.refresh_from_db()
        if request.htmx:
            return changes_response(request, canvas)
        return redirect(f"{canvas.get_absolute_url()}#note-{note.pk}")
    targets = list(canvas.canvas_type.note_areas)
    return TemplateResponse(
        request, "canvases/note_move.html", {"canvas": canvas, "note": note, "targets": targets}
    )


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def note_delete(request, canvas, note):
    canvas = get_canvas(request, canvas)
    note = _note(canvas, note)
    try:
        services.note_delete(note=note, actor=request.user, facilitating=facilitating(request))
    except ValidationError as error:
        return _area_response(request, canvas, note.area, error=error.messages[0])
    canvas.refresh_from_db()
    if not request.htmx:
        messages.success(request, "Note deleted. Restore it from the history if you need it back.")
    return _area_response(request, canvas, note.area)


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def note_restore(request, canvas, note):
    canvas = get_canvas(request, canvas)
    note = _note(canvas, note)
    try:
        services.note_restore(note=note, actor=request.user, facilitating=facilitating(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Note restored.")
    return redirect(f"{canvas.get_absolute_url()}#note-{note.pk}")
