"""Parties on an ecosystem map: placed on a ring within a dimension, moved, renamed, removed.

Every change records an event naming the "map" area; each kind has an undo handler (bottom).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases.models import Canvas, CanvasEvent
from canvases.services.events import EditConflict, Kind, record_event
from canvases.services.history import register_undo
from engage.models import User
from journeys.models import EcosystemDimension, EcosystemParty, Ring

from .common import AREA, clean_name, locked_map, map_dimension, party_state


def _ring(ring: str) -> str:
    if ring not in Ring.values:
        raise ValidationError(f"A map has no ring “{ring}”.")
    return ring


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
    canvas = locked_map(canvas, actor, facilitating)
    party = EcosystemParty(
        canvas=canvas,
        dimension=map_dimension(canvas, dimension),
        ring=_ring(ring),
        name=clean_name(name, "party"),
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
    canvas = locked_map(party.canvas, actor, facilitating)
    party = _locked_party(party)
    _check_version(party, expected_version)
    before = party_state(party)
    party.name, party.note = clean_name(name, "party"), (note or "").strip()
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
    canvas = locked_map(party.canvas, actor, facilitating)
    party = _locked_party(party)
    _check_version(party, expected_version)
    target = map_dimension(canvas, dimension)
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
    canvas = locked_map(party.canvas, actor, facilitating)
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
    canvas = locked_map(canvas, actor, facilitating)
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


# --- Undo -----------------------------------------------------------------------------


CHANGED_SINCE = "Someone changed this party after you did; undo would overwrite their change."


def _current_party(event: CanvasEvent) -> EcosystemParty:
    party = EcosystemParty.objects.select_related("canvas").filter(pk=event.after["party"]).first()
    if party is None:
        raise ValidationError("The party of that change no longer exists.")
    if party_state(party) != event.after:
        raise ValidationError(CHANGED_SINCE)
    return party


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


register_undo(Kind.PARTY_ADDED, _undo_party_added)
register_undo(Kind.PARTY_CHANGED, _undo_party_changed)
register_undo(Kind.PARTY_MOVED, _undo_party_moved)
register_undo(Kind.PARTY_REMOVED, _undo_party_removed)
