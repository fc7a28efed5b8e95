"""Undo: apply the inverse of someone's last change, unless others have built on it since."""

from django.core.exceptions import ValidationError
from django.db import transaction

from canvases.models import Canvas, CanvasEvent
from engage.models import User

from .events import Kind, note_state
from .fields import field_set
from .notes import note_delete, note_edit, note_move, note_restore

UNDOABLE = {
    Kind.NOTE_CREATED,
    Kind.NOTE_EDITED,
    Kind.NOTE_MOVED,
    Kind.NOTE_DELETED,
    Kind.NOTE_RESTORED,
    Kind.FIELD_CHANGED,
}


def last_undoable(canvas: Canvas, actor: User) -> CanvasEvent | None:
    return (
        canvas.events.filter(actor=actor, kind__in=UNDOABLE, undoes=None, undone_by=None)
        .select_related("note")
        .order_by("-revision")
        .first()
    )


@transaction.atomic
def undo_last(*, canvas: Canvas, actor: User, facilitating: bool = False) -> CanvasEvent | None:
    """Undo `actor`'s most recent change that is not undone yet; None if there is nothing."""
    event = last_undoable(canvas, actor)
    if event is None:
        return None
    note, common = event.note, {"actor": actor, "facilitating": facilitating, "undoes": event}
    if event.kind == Kind.FIELD_CHANGED:
        field_set(
            canvas=canvas,
            field=event.field,
            value=event.before["value"],
            expected_value=event.after["value"],
            **common,
        )
    elif note is None:
        raise ValidationError("The note of that change no longer exists.")
    elif note_state(note) != event.after:
        raise ValidationError(
            "Someone changed this note after you did; undo would overwrite their change."
        )
    elif event.kind == Kind.NOTE_CREATED or event.kind == Kind.NOTE_RESTORED:
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
    return event
