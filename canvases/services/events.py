"""The event log every canvas write goes through, and the checks writes share."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F

from canvases import types
from canvases.models import Canvas, CanvasEvent, Note
from engage.models import User

Kind = CanvasEvent.Kind


class EditConflict(ValidationError):
    """Someone saved the same note or field first; carries what they saved."""

    def __init__(self, message, *, current_text: str, current_version: int):
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version


# The area an event names when it changes a canvas's shape (a journey's stages): live
# boards reload instead of redrawing areas that no longer match the grid.
SHAPE_AREA = "shape"


def revision_cache_key(canvas_id: int) -> str:
    return f"canvas:{canvas_id}:revision"


def record_event(canvas: Canvas, kind: str, actor: User | None, **details) -> CanvasEvent:
    """Bump the canvas revision and log the event, inside the caller's transaction."""
    Canvas.objects.filter(pk=canvas.pk).update(revision=F("revision") + 1)
    canvas.revision = Canvas.objects.values_list("revision", flat=True).get(pk=canvas.pk)
    event = CanvasEvent.objects.create(
        canvas=canvas, revision=canvas.revision, kind=kind, actor=actor, **details
    )
    # Published now, while this transaction holds the canvas row, so publishes land in
    # revision order (after the commit, a late one could put a board a revision behind
    # for good). A poll seeing it before the commit finds the database unchanged and
    # answers "nothing new" until the commit shows.
    published = f"{canvas.workspace_id}:{canvas.revision}"
    cache.set(revision_cache_key(canvas.pk), published, timeout=None)
    return event


def note_state(note: Note) -> dict:
    return {
        "area": note.area,
        "text": note.text,
        "colour": note.colour,
        "position": note.position,
        "score": note.score,
        "is_deleted": note.is_deleted,
    }


def check_editable(canvas: Canvas, actor: User, *, facilitating: bool) -> None:
    if canvas.is_locked and not facilitating:
        raise ValidationError("This canvas is locked: only facilitators can change it.")


def check_score(area: types.Area, score: int | None) -> int | None:
    if score is None or area.note_score is None:
        return None
    low, high = area.note_score
    if not low <= score <= high:
        raise ValidationError(f"{area.title} scores run from {low} to {high}.")
    return score


def notes_area(canvas: Canvas, area_slug: str) -> types.Area:
    try:
        area = canvas.canvas_type.area(area_slug)
    except KeyError:
        raise ValidationError(f"This canvas has no area “{area_slug}”.") from None
    if area.kind != types.AreaKind.NOTES:
        raise ValidationError(f"“{area.title}” holds fields, not notes.")
    return area
