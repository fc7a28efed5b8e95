from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases.models import Canvas, CanvasEvent, Note
from engage.models import User

from .events import (
    EditConflict,
    Kind,
    check_editable,
    check_score,
    note_state,
    notes_area,
    record_event,
)


@transaction.atomic
def note_create(
    *,
    canvas: Canvas,
    area: str,
    text: str,
    author: User,
    colour: str = "",
    score: int | None = None,
    facilitating: bool = False,
) -> Note:
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    check_editable(canvas, author, facilitating=facilitating)
    area_def = notes_area(canvas, area)
    text = text.strip()
    if not text:
        raise ValidationError("A note needs some text.")
    last = canvas.notes.filter(area=area).aggregate(Max("position"))["position__max"]
    note = Note(
        canvas=canvas,
        area=area,
        text=text,
        author=author,
        position=0 if last is None else last + 1,
        score=check_score(area_def, score),
        is_hidden=canvas.is_private and not facilitating,
    )
    if colour:
        note.colour = colour
    note.full_clean()
    note.save()
    record_event(canvas, Kind.NOTE_CREATED, author, note=note, after=note_state(note))
    return note


def _locked_note(note: Note) -> Note:
    """The note, with its canvas locked first: every write to a canvas takes the canvas row
    before anything else, so concurrent writers queue instead of deadlocking."""
    canvas = Canvas.objects.select_for_update().get(pk=note.canvas_id)
    note = Note.objects.select_for_update().get(pk=note.pk)
    note.canvas = canvas
    return note


@transaction.atomic
def note_edit(
    *,
    note: Note,
    actor: User,
    expected_version: int,
    expected_text: str | None = None,
    text: str | None = None,
    colour: str | None = None,
    score: int | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Note:
    """Save a change made to version `expected_version`.

    A text edit raises EditConflict if someone else changed the text since; a move or a
    recolouring in between is no conflict when `expected_text` (the text the editor
    started from) still matches. Colour and score changes never overwrite text.
    """
    note = _locked_note(note)
    check_editable(note.canvas, actor, facilitating=facilitating)
    if note.is_deleted:
        raise ValidationError(
            "This note was deleted while you were editing it; restore it from the history."
        )
    text_changed_since = expected_text is None or note.text != expected_text.strip()
    if text is not None and note.version != expected_version and text_changed_since:
        raise EditConflict(
            "Someone changed this note while you were editing it.",
            current_text=note.text,
            current_version=note.version,
        )
    before = note_state(note)
    if text is not None:
        if not text.strip():
            raise ValidationError("A note needs some text; delete it instead.")
        note.text = text.strip()
    if colour:
        note.colour = colour
    # An undo restores the earlier score exactly, even "no score".
    if score is not None or undoes is not None or (text is None and colour is None):
        note.score = check_score(note.canvas.canvas_type.area(note.area), score)
    if note_state(note) == before:
        return note
    note.version += 1
    note.full_clean()
    note.save()
    record_event(
        note.canvas,
        Kind.NOTE_EDITED,
        actor,
        note=note,
        before=before,
        after=note_state(note),
        undoes=undoes,
    )
    return note


@transaction.atomic
def note_move(
    *,
    note: Note,
    area: str,
    position: int,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Note:
    """Put the note at `position` (0-based) among the live notes of `area`."""
    note = _locked_note(note)
    canvas = note.canvas
    check_editable(canvas, actor, facilitating=facilitating)
    if note.is_deleted:
        raise ValidationError("This note was deleted meanwhile; restore it from the history.")
    area_def = notes_area(canvas, area)
    before = note_state(note)
    siblings = list(
        canvas.notes.filter(area=area, is_deleted=False)
        .exclude(pk=note.pk)
        .order_by("position", "id")
    )
    position = max(0, min(position, len(siblings)))
    if area == note.area and position == _rank(note, siblings):
        return note  # already there: renumbering the others would change them unlogged
    siblings.insert(position, note)
    for index, sibling in enumerate(siblings):
        if sibling.pk != note.pk and sibling.position != index:
            Note.objects.filter(pk=sibling.pk).update(position=index)
    note.area, note.position = area, position
    if area_def.note_score is None:
        note.score = None
    note.version += 1
    note.save(update_fields=["area", "position", "score", "version", "updated_at"])
    record_event(
        canvas,
        Kind.NOTE_MOVED,
        actor,
        note=note,
        before=before,
        after=note_state(note),
        undoes=undoes,
    )
    return note


def _rank(note: Note, siblings: list[Note]) -> int:
    """Where the note stands among the others of its area, ordered as the board shows them."""
    return sum((other.position, other.pk) < (note.position, note.pk) for other in siblings)


def _set_deleted(note: Note, deleted: bool, actor: User, facilitating: bool, undoes) -> Note:
    note = _locked_note(note)
    check_editable(note.canvas, actor, facilitating=facilitating)
    if note.is_deleted == deleted:
        return note
    before = note_state(note)
    note.is_deleted = deleted
    note.version += 1
    note.save(update_fields=["is_deleted", "version", "updated_at"])
    kind = Kind.NOTE_DELETED if deleted else Kind.NOTE_RESTORED
    record_event(
        note.canvas, kind, actor, note=note, before=before, after=note_state(note), undoes=undoes
    )
    return note


@transaction.atomic
def note_delete(
    *, note: Note, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> Note:
    """Soft delete: the note stays in the history and can be restored."""
    return _set_deleted(note, True, actor, facilitating, undoes)


@transaction.atomic
def note_restore(
    *, note: Note, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> Note:
    return _set_deleted(note, False, actor, facilitating, undoes)
