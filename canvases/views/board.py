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
from canvases.models import Canvas, CanvasEvent, NoteColour
from engage.access import workspace_access
from engage.models import User
from engage.roles import Capability

from .common import facilitating, get_canvas

TIMER_ACTIONS = (
    ("timer_pause", "Pause"),
    ("timer_resume", "Resume"),
    ("timer_add", "+1 min"),
    ("timer_stop", "Stop"),
)


def board_context(request, canvas: Canvas, only: set[str] | None = None) -> dict:
    """What the board shows; `only` limits the areas (and their notes) to load."""
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
    return {
        **selectors.attach_votes(canvas, areas, request.user),
        "canvas": canvas,
        "canvas_type": canvas.canvas_type,
        "areas": areas,
        "notes_url": reverse(
            "canvases:note_add", kwargs={"workspace": canvas.workspace.slug, "canvas": canvas.pk}
        ),
        "header_fields": selectors.header_fields(canvas),
        "can_write": can_write,
        "can_vote": request.membership.can(Capability.PARTICIPATE),
        "can_edit_fields": viewer.can_edit,
        "facilitating": facilitator,
        "colours": NoteColour.choices,
        "present": present_people(canvas, request.user),
        "timer_actions": TIMER_ACTIONS,
    }


def panel_options_key(canvas: Canvas) -> str:
    return f"canvas:{canvas.pk}:panel-options"


def panel_options(request, canvas: Canvas) -> dict:
    """The table sort and filters this person chose on this canvas, kept in their session."""
    return request.session.get(panel_options_key(canvas), {})


def present_people(canvas: Canvas, viewer) -> list:
    ids = presence.present_ids(canvas.pk, viewer.pk)
    return list(User.objects.filter(pk__in=ids).only("id", "name", "email").order_by("pk"))


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def board(request, canvas):
    canvas = get_canvas(request, canvas)
    return TemplateResponse(request, "canvases/board.html", board_context(request, canvas))


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def board_poll(request, canvas):
    """Cheap when nothing changed: one cache read answers 204; otherwise the changed areas.

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
    present = presence.present_ids(canvas, request.user.pk)
    if unchanged and people == ",".join(map(str, present)):
        return HttpResponse(status=204)
    board_canvas = board_canvas or get_canvas(request, canvas)
    changed = changed_areas(board_canvas, known, request.user.pk)
    if reshaped(board_canvas, changed):
        return HttpResponseClientRefresh()
    return changes_response(
        request, board_canvas, changed, header=changed is None or "header" in changed
    )


def changes_response(
    request, canvas: Canvas, areas: set[str] | None, *, header: bool = False, **extra
):
    """Out-of-band updates of some areas (None: all), the facilitation bar and the live marker."""
    context = board_context(request, canvas, only=areas)
    context.update(changed_areas=context["areas"], header_changed=header or areas is None, **extra)
    response = TemplateResponse(request, "canvases/board_changes.html", context)
    response["Cache-Control"] = "no-store"
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


VOTE_KINDS = {CanvasEvent.Kind.VOTE_CAST, CanvasEvent.Kind.VOTE_REMOVED}


def changed_areas(canvas: Canvas, known: str, viewer_id: int) -> set[str] | None:
    """Areas that look different to the viewer since revision `known`; None means
    "re-send everything"."""
    if not known.isdigit() or canvas.revision - int(known) > 100:
        return None
    changed, counts_hidden = set(), None
    field_areas = {f.slug: a.slug for a in canvas.canvas_type.areas for f in a.fields}
    for event in selectors.events_since(canvas, int(known)):
        if event.kind in VOTE_KINDS and event.actor_id != viewer_id:
            if counts_hidden is None:
                voting = services.open_round(canvas)
                counts_hidden = voting is not None and voting.is_anonymous
            if counts_hidden:
                continue  # someone else's dot, in a round whose counts show at the end
        areas = {
            state["area"] for state in (event.before, event.after) if state and "area" in state
        }
        if event.field:
            areas.add(field_areas.get(event.field, "header"))
        if not areas and not event.note_id:
            return None
        changed |= areas
    for area in canvas.canvas_type.areas:
        if changed.intersection(area.depends_on):
            changed.add(area.slug)
    return changed


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
