"""Undo: apply the inverse of someone's last change, unless others have built on it since."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from canvases.models import Canvas, CanvasEvent
from engage.models import User

from .events import Kind, note_state
from .fields import field_set
from .notes import note_delete, note_edit, note_move, note_restore


def _undo_field(event: CanvasEvent, common: dict) -> None:
    field_set(
        canvas=event.canvas,
        field=event.field,
        value=event.before["value"],
        expected_value=event.after["value"],
        **common,
    )


def _undo_note(event: CanvasEvent, common: dict) -> None:
    note = event.note
    if note is None:
        raise ValidationError("The note of that change no longer exists.")
    if note_state(note) != event.after:
        raise ValidationError(
            "Someone changed this note after you did; undo would overwrite their change."
        )
    if event.kind in (Kind.NOTE_CREATED, Kind.NOTE_RESTORED):
        note_delete(note=note, **common)
    elif event.kind == Kind.NOTE_DELETED:
        note_restore(note=note, **common)
    elif event.kind == Kind.NOTE_MOVED:
        note_move(note=note, area=event.before["area"], position=event.before["position"], **common)
    else:
        before = event.before
        note_edit(
            note=note,
            expected_version=note.version,
            text=before["text"],
            colour=before["colour"],
            score=before["score"],
            **common,
        )


# kind → handler(event, common): applies the inverse through the usual services, which
# record it with undoes=event. `common` holds actor, facilitating and undoes. A handler
# raises ValidationError when someone else changed the thing since.
_undo_handlers: dict[str, Callable[[CanvasEvent, dict], None]] = {
    Kind.FIELD_CHANGED: _undo_field,
    **dict.fromkeys(
        [
            Kind.NOTE_CREATED,
            Kind.NOTE_EDITED,
            Kind.NOTE_MOVED,
            Kind.NOTE_DELETED,
            Kind.NOTE_RESTORED,
        ],
        _undo_note,
    ),
}


def register_undo(kind: str, handler: Callable[[CanvasEvent, dict], None]) -> None:
    _undo_handlers[kind] = handler


def last_undoable(canvas: Canvas, actor: User) -> CanvasEvent | None:
    return (
        canvas.events.filter(
            actor=actor, kind__in=list(_undo_handlers), undoes=None, undone_by=None
        )
        .select_related("note", "canvas")
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def undo_last(*, canvas: Canvas, actor: User, facilitating: bool = False) -> CanvasEvent | None:
    """Undo `actor`'s most recent change that is not undone yet; None if there is nothing."""
    # Locked before the event and its note are read, so no one changes them in between.
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    event = last_undoable(canvas, actor)
    if event is None:
        return None
    common = {"actor": actor, "facilitating": facilitating, "undoes": event}
    _undo_handlers[event.kind](event, common)
    return event
