from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from canvases import presence, selectors, services
from canvases.area_panels import Viewer
from canvases.models import Canvas, NoteColour
from engage.access import workspace_access
from engage.roles import Capability

from .common import facilitating, get_canvas

TIMER_ACTIONS = (
    ("timer_pause", "Pause"),
    ("timer_resume", "Resume"),
    ("timer_add", "+1 min"),
    ("timer_stop", "Stop"),
)


def board_context(
    request,
    canvas: Canvas,
    only: set[str] | None = None,
    deltas: list | None = None,
    *,
    bar: bool = True,
    header: bool = True,
    present: list | None = None,
) -> dict:
    """What the board shows; `only` limits the areas (and their notes) to load,
    `deltas` (selectors.NoteDelta) adds notes sent one by one, and the facilitation bar
    and the header fields are left out unless asked for."""
    facilitator = facilitating(request)
    can_write = request.membership.can(Capability.PARTICIPATE) and (
        not canvas.is_locked or facilitator
    )
    viewer = Viewer(
        user=request.user,
        can_write=can_write,
        can_edit=can_write and request.membership.can(Capability.EDIT),
        can_review=request.membership.can(Capability.REVIEW),
        facilitating=facilitator,
        options=panel_options(request, canvas),
    )
    areas = selectors.board_areas(
        canvas, request.user, facilitating=facilitator, only=only, viewer=viewer
    )
    deltas = deltas or []
    notes = [note for part in (*areas, *deltas) for note in part.notes]
    return {
        **selectors.attach_votes(canvas, notes, request.user, bar=bar),
        "bar": bar,
        "note_deltas": deltas,
        "canvas": canvas,
        "canvas_type": canvas.canvas_type,
        "areas": areas,
        "notes_url": reverse(
            "canvases:note_add", kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk}
        ),
        "header_fields": selectors.header_fields(canvas) if header else [],
        "can_write": can_write,
        "can_vote": request.membership.can(Capability.PARTICIPATE),
        "can_edit_fields": viewer.can_edit,
        "facilitating": facilitator,
        "colours": NoteColour.choices,
        "present": presence.present(canvas.pk, request.user) if present is None else present,
        "timer_actions": TIMER_ACTIONS,
    }


def panel_options_key(canvas: Canvas) -> str:
    return f"canvas:{canvas.pk}:panel-options"


def panel_options(request, canvas: Canvas) -> dict:
    """The table sort and filters this person chose on this canvas, kept in their session."""
    return request.session.get(panel_options_key(canvas), {})


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def board(request, canvas):
    canvas = get_canvas(request, canvas)
    return TemplateResponse(request, "canvases/board.html", board_context(request, canvas))


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def board_poll(request, canvas):
    """Cheap when nothing changed: one cache read answers 204; otherwise the changes.

    The cached value carries the workspace id, so a poll never learns about another
    workspace's canvas: anything not matching goes through the database lookup (404).
    """
    known, people = request.GET.get("rev", ""), request.GET.get("people", "")
    unchanged = cache.get(services.revision_cache_key(canvas)) == f"{request.workspace.pk}:{known}"
    board_canvas = None if unchanged else get_canvas(request, canvas)
    if board_canvas is not None and str(board_canvas.revision) == known:
        # The cache lost the revision (restart, eviction): put it back so later polls stay cheap.
        published = f"{request.workspace.pk}:{known}"
        cache.add(services.revision_cache_key(canvas), published, timeout=None)
        unchanged = True
    present = presence.present(canvas, request.user)
    if unchanged and people == ",".join(str(person.pk) for person in present):
        return HttpResponse(status=204)
    board_canvas = board_canvas or get_canvas(request, canvas)
    return changes_response(request, board_canvas, known=known, present=present)


def changes_response(
    request,
    canvas: Canvas,
    redraw: set[str] | None = frozenset(),
    *,
    known: str | None = None,
    header: bool = False,
    present: list | None = None,
    **extra,
):
    """Out-of-band updates: what changed since the revision the viewer's board shows,
    the `redraw` areas whole (None: everything) and the facilitation bar and live marker.

    That revision comes from the poll's `rev`, or from the X-Board-Revision header
    board.js puts on every request: so an answer to a write brings others' changes too.
    Without it, the whole board is sent.
    """
    if known is None:
        known = request.headers.get("X-Board-Revision", "")
    changes = selectors.board_changes(canvas, known, request.user.pk)
    if reshaped(canvas, changes.areas):
        return HttpResponseClientRefresh()
    whole = None if changes.areas is None or redraw is None else changes.areas | redraw
    deltas = []
    if whole is not None:
        changes.orders -= whole
        deltas = selectors.note_deltas(
            canvas, request.user, facilitating=facilitating(request), changes=changes
        )
        whole |= {delta.area for delta in deltas if not delta.order}  # its prompt shows again
        deltas = [delta for delta in deltas if delta.order]
    header = header or changes.header
    bar = changes.whole_bar or "bar_error" in extra
    context = board_context(request, canvas, whole, deltas, bar=bar, header=header, present=present)
    context.update(changed_areas=context["areas"], header_changed=header, **extra)
    response = TemplateResponse(request, "canvases/board_changes.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Board-Revision"] = str(canvas.revision)
    return response


def panel_write_response(
    request, canvas: Canvas, area: str, *, errors=(), done: str = "", anchor: str = ""
):
    """After a write to a panel area: htmx gets the area, and the areas drawn from it,
    redrawn with the errors; a plain post goes back to the board with a message."""
    errors = list(errors)
    if not request.htmx:
        for message in errors:
            messages.error(request, message)
        if done and not errors:
            messages.success(request, done)
        return redirect(f"{canvas.get_absolute_url()}#{anchor or f'area-{area}'}")
    canvas.refresh_from_db()
    if reshaped(canvas, {area}):
        return HttpResponseClientRefresh()
    areas = {area} | {a.slug for a in canvas.canvas_type.areas if area in a.depends_on}
    return changes_response(request, canvas, areas, area_errors=errors)


def reshaped(canvas: Canvas, changed: set[str] | None) -> bool:
    """Whether the board must reload: its grid changed, or a shaped board is sent whole."""
    if changed is None:
        return canvas.canvas_type.shape is not None
    return services.SHAPE_AREA in changed


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def board_undo(request, canvas):
    canvas = get_canvas(request, canvas)
    try:
        undone = services.undo_last(
            canvas=canvas, actor=request.user, facilitating=facilitating(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if undone is None:
            messages.info(request, "You have no change left to undo on this canvas.")
        else:
            messages.success(request, f"Undone: you {undone.get_kind_display()}.")
    return redirect(canvas)
