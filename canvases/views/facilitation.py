from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_http_methods

from canvases import services
from engage.access import workspace_access
from engage.roles import Capability

from .board import changes_response
from .common import get_canvas


def _seconds(request, name="minutes", default=5) -> int:
    try:
        return max(0, round(float(request.POST.get(name, default)) * 60))
    except (ValueError, OverflowError):
        return 0


ACTIONS = {
    "lock": lambda request, canvas: services.canvas_set_locked(
        canvas=canvas, locked=True, actor=request.user
    ),
    "unlock": lambda request, canvas: services.canvas_set_locked(
        canvas=canvas, locked=False, actor=request.user
    ),
    "private_on": lambda request, canvas: services.canvas_set_private(
        canvas=canvas, private=True, actor=request.user
    ),
    "private_off": lambda request, canvas: services.canvas_set_private(
        canvas=canvas, private=False, actor=request.user
    ),
    "reveal": lambda request, canvas: services.notes_reveal(canvas=canvas, actor=request.user),
    "timer_start": lambda request, canvas: services.timer_control(
        canvas=canvas, action="start", seconds=_seconds(request), actor=request.user
    ),
    "timer_add": lambda request, canvas: services.timer_control(
        canvas=canvas, action="add", seconds=60, actor=request.user
    ),
    "timer_pause": lambda request, canvas: services.timer_control(
        canvas=canvas, action="pause", actor=request.user
    ),
    "timer_resume": lambda request, canvas: services.timer_control(
        canvas=canvas, action="resume", actor=request.user
    ),
    "timer_stop": lambda request, canvas: services.timer_control(
        canvas=canvas, action="stop", actor=request.user
    ),
    "round_start": lambda request, canvas: services.round_start(
        canvas=canvas,
        actor=request.user,
        votes_per_person=int(request.POST.get("votes", "3") or 3),
        anonymous=request.POST.get("anonymous") == "on",
    ),
    "round_end": lambda request, canvas: services.round_end(canvas=canvas, actor=request.user),
}


def _board_response(request, canvas, error=""):
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(canvas)
    canvas.refresh_from_db()
    return changes_response(request, canvas, bar_error=error)


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def board_facilitate(request, canvas):
    """The facilitator's controls: lock, private mode, timer and voting rounds."""
    canvas = get_canvas(request, canvas)
    action = ACTIONS.get(request.POST.get("action", ""))
    error = "" if action else "Unknown action."
    if action:
        try:
            action(request, canvas)
        except (ValidationError, ValueError) as exc:
            error = exc.messages[0] if isinstance(exc, ValidationError) else "Enter a number."
    return _board_response(request, canvas, error)


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def note_vote(request, canvas, note):
    canvas = get_canvas(request, canvas)
    note = get_object_or_404(canvas.notes, pk=note)
    error = ""
    try:
        if request.POST.get("remove"):
            services.vote_remove(note=note, voter=request.user)
        else:
            services.vote_cast(note=note, voter=request.user)
    except ValidationError as exc:
        error = exc.messages[0]
    return _board_response(request, canvas, error)
