"""Writes to an ecosystem map: parties placed on a ring within a dimension, and the dimensions.

Every change records an event naming the "map" area, so live boards redraw the drawing
and the list; each kind has an undo handler (bottom).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases.models import Canvas, CanvasEvent
from canvases.services.events import EditConflict, Kind, check_editable, record_event
from canvases.services.history import register_undo
from engage.models import User
from journeys.models import EcosystemDimension, EcosystemParty, Ring

AREA = "map"
TYPE_SLUG = "ecosystem_map"
DEFAULT_DIMENSIONS = (
    "Work & colleagues",
    "Vendors & partners",
    "Tools & platforms",
    "Money & finance",
    "Community & peers",
    "Regulators",
)
MAX_DIMENSIONS = 12


def party_state(party: EcosystemParty) -> dict:
    return {
        "area": AREA,
        "party": party.pk,
        "name": party.name,
        "note": party.note,
        "ring": party.ring,
        "dimension": party.dimension_id,
        "position": party.position,
        "summary": party.name,
    }


def dimension_state(dimension: EcosystemDimension) -> dict:
    return {
        "area": AREA,
        "dimension": dimension.pk,
        "name": dimension.name,
        "position": dimension.position,
        "summary": dimension.name,
    }


def _map(canvas: Canvas, actor: User, facilitating: bool) -> Canvas:
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    if canvas.type != TYPE_SLUG:
        raise ValidationError("Only an ecosystem map has parties and dimensions.")
    check_editable(canvas, actor, facilitating=facilitating)
    return canvas


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"A {what} needs a name.")
    return value


def _ring(ring: str) -> str:
    if ring not in Ring.values:
        raise ValidationError(f"A map has no ring “{ring}”.")
    return ring


def _dimension(canvas: Canvas, dimension: EcosystemDimension | int) -> EcosystemDimension:
    pk = getattr(dimension, "pk", dimension)
    found = EcosystemDimension.objects.filter(canvas=canvas, pk=pk).first()
    if found is None:
        raise ValidationError("That dimension is not on this map.")
    return found


def _next_position(canvas: Canvas) -> int:
    last = canvas.parties.aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def _locked_party(party: EcosystemParty) -> EcosystemParty:
    found = EcosystemParty.objects.select_for_update().filter(pk=party.pk).first()
    if found is None:
        raise ValidationError("This party was removed meanwhile.")
    return found


def _check_version(party: EcosystemParty, expected_version: int | None) -> None:
    if expected_version is not None and party.version != expected_version:
        raise EditConflict(
            "Someone changed this party while you were working on it.",
            current_text=party.name,
            current_version=party.version,
        )


@transaction.atomic
def party_add(
    *,
    canvas: Canvas,
    name: str,
    ring: str,
    dimension: EcosystemDimension | int,
    actor: User,
    note: str = "",
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemParty:
    canvas = _map(canvas, actor, facilitating)
    party = EcosystemParty(
        canvas=canvas,
        dimension=_dimension(canvas, dimension),
        ring=_ring(ring),
        name=_text(name, "party"),
        note=(note or "").strip(),
        position=_next_position(canvas),
        created_by=actor,
    )
    party.full_clean()
    party.save()
    record_event(canvas, Kind.PARTY_ADDED, actor, after=party_state(party), undoes=undoes)
    return party


@transaction.atomic
def party_change(
    *,
    party: EcosystemParty,
    actor: User,
    expected_version: int,
    name: str,
    note: str = "",
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemParty:
    """Rename a party or change its note, as seen at `expected_version`."""
    canvas = _map(party.canvas, actor, facilitating)
    party = _locked_party(party)
    _check_version(party, expected_version)
    before = party_state(party)
    party.name, party.note = _text(name, "party"), (note or "").strip()
    if party_state(party) == before:
        return party
    party.version += 1
    party.full_clean()
    party.save()
    record_event(
        canvas, Kind.PARTY_CHANGED, actor, before=before, after=party_state(party), undoes=undoes
    )
    return party


@transaction.atomic
def party_move(
    *,
    party: EcosystemParty,
    actor: User,
    ring: str,
    dimension: EcosystemDimension | int,
    expected_version: int | None = None,
    position: int | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemParty:
    """Put a party on another ring and/or in another dimension; it goes last in its new cell
    unless `position` says where (undo puts it back where it was).

    A move made from a stale screen (someone moved or renamed the party since) is refused.
    """
    canvas = _map(party.canvas, actor, facilitating)
    party = _locked_party(party)
    _check_version(party, expected_version)
    target = _dimension(canvas, dimension)
    ring = _ring(ring)
    if (party.ring, party.dimension_id) == (ring, target.pk):
        return party
    before = party_state(party)
    party.ring, party.dimension = ring, target
    party.position = _next_position(canvas) if position is None else position
    party.version += 1
    party.save()
    record_event(
        canvas, Kind.PARTY_MOVED, actor, before=before, after=party_state(party), undoes=undoes
    )
    return party


@transaction.atomic
def party_remove(
    *,
    party: EcosystemParty,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> None:
    canvas = _map(party.canvas, actor, facilitating)
    party = _locked_party(party)
    before = {**party_state(party), "version": party.version}
    party.delete()
    record_event(
        canvas, Kind.PARTY_REMOVED, actor, before=before, after={"area": AREA}, undoes=undoes
    )


@transaction.atomic
def party_restore(
    *, canvas: Canvas, state: dict, actor: User, facilitating: bool = False, undoes=None
) -> EcosystemParty:
    """Put a removed party back where it was, with its id, if its dimension is still there."""
    canvas = _map(canvas, actor, facilitating)
    if EcosystemParty.objects.filter(pk=state["party"]).exists():
        raise ValidationError("That party is already back.")
    if not canvas.dimensions.filter(pk=state["dimension"]).exists():
        raise ValidationError("The dimension of that party was removed since.")
    party = EcosystemParty(
        pk=state["party"],
        canvas=canvas,
        dimension_id=state["dimension"],
        ring=state["ring"],
        name=state["name"],
        note=state["note"],
        position=state["position"],
        version=state.get("version", 1) + 1,
        created_by=actor,
    )
    party.save(force_insert=True)
    record_event(canvas, Kind.PARTY_ADDED, actor, after=party_state(party), undoes=undoes)
    return party


@transaction.atomic
def dimension_add(
    *,
    canvas: Canvas,
    name: str,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemDimension:
    canvas = _map(canvas, actor, facilitating)
    if canvas.dimensions.count() >= MAX_DIMENSIONS:
        raise ValidationError(f"A map has at most {MAX_DIMENSIONS} dimensions.")
    last = canvas.dimensions.aggregate(Max("position"))["position__max"]
    dimension = EcosystemDimension(
        canvas=canvas, name=_text(name, "dimension"), position=0 if last is None else last + 1
    )
    dimension.full_clean()
    dimension.save()
    record_event(
        canvas, Kind.DIMENSION_ADDED, actor, after=dimension_state(dimension), undoes=undoes
    )
    return dimension


@transaction.atomic
def dimension_rename(
    *,
    dimension: EcosystemDimension,
    name: str,
    expected_name: str,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemDimension:
    """Rename a dimension seen as `expected_name`; refused if someone renamed it meanwhile."""
    canvas = _map(dimension.canvas, actor, facilitating)
    dimension = _dimension(canvas, dimension)
    if dimension.name != expected_name:
        raise EditConflict(
            "Someone renamed this dimension while you were editing it.",
            current_text=dimension.name,
            current_version=0,
        )
    before = dimension_state(dimension)
    dimension.name = _text(name, "dimension")
    if dimension.name == before["name"]:
        return dimension
    dimension.full_clean()
    dimension.save()
    record_event(
        canvas,
        Kind.DIMENSION_CHANGED,
        actor,
        before=before,
        after=dimension_state(dimension),
        undoes=undoes,
    )
    return dimension


@transaction.atomic
def dimension_remove(
    *,
    dimension: EcosystemDimension,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> None:
    """Remove an empty dimension. One that still holds parties is refused: move them first."""
    canvas = _map(dimension.canvas, actor, facilitating)
    dimension = _dimension(canvas, dimension)
    held = dimension.parties.count()
    if held:
        raise ValidationError(
            f"“{dimension.name}” still holds {held} part{'y' if held == 1 else 'ies'}: "
            "move or remove them first."
        )
    if canvas.dimensions.count() == 1:
        raise ValidationError("A map needs at least one dimension.")
    before = dimension_state(dimension)
    dimension.delete()
    record_event(
        canvas, Kind.DIMENSION_REMOVED, actor, before=before, after={"area": AREA}, undoes=undoes
    )


@transaction.atomic
def dimension_restore(
    *, canvas: Canvas, state: dict, actor: User, facilitating: bool = False, undoes=None
) -> EcosystemDimension:
    canvas = _map(canvas, actor, facilitating)
    if EcosystemDimension.objects.filter(pk=state["dimension"]).exists():
        raise ValidationError("That dimension is already back.")
    dimension = EcosystemDimension(
        pk=state["dimension"], canvas=canvas, name=state["name"], position=state["position"]
    )
    dimension.save(force_insert=True)
    record_event(
        canvas, Kind.DIMENSION_ADDED, actor, after=dimension_state(dimension), undoes=undoes
    )
    return dimension


# --- Rows of a new map and of a new version (CanvasType hooks) -------------------------


def dimensions_create_default(canvas: Canvas, actor: User) -> None:
    """A new map starts with the usual dimensions (part of canvas_create, which logs it)."""
    EcosystemDimension.objects.bulk_create(
        EcosystemDimension(canvas=canvas, name=name, position=position)
        for position, name in enumerate(DEFAULT_DIMENSIONS)
    )


def ecosystem_copy(source: Canvas, copy: Canvas) -> None:
    """Dimensions and parties into a new version of the map (part of canvas_copy)."""
    dimensions = list(source.dimensions.order_by("position", "pk"))
    made = EcosystemDimension.objects.bulk_create(
        EcosystemDimension(canvas=copy, name=d.name, position=d.position) for d in dimensions
    )
    new_pk = {old.pk: new.pk for old, new in zip(dimensions, made, strict=True)}
    EcosystemParty.objects.bulk_create(
        EcosystemParty(
            canvas=copy,
            dimension_id=new_pk[party.dimension_id],
            ring=party.ring,
            name=party.name,
            note=party.note,
            position=party.position,
            created_by_id=party.created_by_id,
        )
        for party in source.parties.order_by("position", "pk")
    )


# --- Undo -----------------------------------------------------------------------------

CHANGED_SINCE = "Someone changed this party after you did; undo would overwrite their change."


def _current_party(event: CanvasEvent) -> EcosystemParty:
    party = EcosystemParty.objects.select_related("canvas").filter(pk=event.after["party"]).first()
    if party is None:
        raise ValidationError("The party of that change no longer exists.")
    if party_state(party) != event.after:
        raise ValidationError(CHANGED_SINCE)
    return party


def _current_dimension(event: CanvasEvent) -> EcosystemDimension:
    pk = event.after["dimension"]
    dimension = EcosystemDimension.objects.select_related("canvas").filter(pk=pk).first()
    if dimension is None:
        raise ValidationError("The dimension of that change no longer exists.")
    return dimension


def _undo_party_added(event: CanvasEvent, common: dict) -> None:
    party_remove(party=_current_party(event), **common)


def _undo_party_changed(event: CanvasEvent, common: dict) -> None:
    party = _current_party(event)
    party_change(
        party=party,
        expected_version=party.version,
        name=event.before["name"],
        note=event.before["note"],
        **common,
    )


def _undo_party_moved(event: CanvasEvent, common: dict) -> None:
    party = _current_party(event)
    party_move(
        party=party,
        ring=event.before["ring"],
        dimension=event.before["dimension"],
        position=event.before["position"],
        **common,
    )


def _undo_party_removed(event: CanvasEvent, common: dict) -> None:
    party_restore(canvas=event.canvas, state=event.before, **common)


def _undo_dimension_added(event: CanvasEvent, common: dict) -> None:
    dimension_remove(dimension=_current_dimension(event), **common)


def _undo_dimension_changed(event: CanvasEvent, common: dict) -> None:
    dimension = _current_dimension(event)
    dimension_rename(
        dimension=dimension,
        name=event.before["name"],
        expected_name=event.after["name"],
        **common,
    )


def _undo_dimension_removed(event: CanvasEvent, common: dict) -> None:
    dimension_restore(canvas=event.canvas, state=event.before, **common)


register_undo(Kind.PARTY_ADDED, _undo_party_added)
register_undo(Kind.PARTY_CHANGED, _undo_party_changed)
register_undo(Kind.PARTY_MOVED, _undo_party_moved)
register_undo(Kind.PARTY_REMOVED, _undo_party_removed)
register_undo(Kind.DIMENSION_ADDED, _undo_dimension_added)
register_undo(Kind.DIMENSION_CHANGED, _undo_dimension_changed)
register_undo(Kind.DIMENSION_REMOVED, _undo_dimension_removed)
