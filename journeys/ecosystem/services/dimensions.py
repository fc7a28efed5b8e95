"""Dimensions of an ecosystem map: the sectors around its rim, added, renamed and removed.

A dimension that still holds parties is not removed (move or remove them first), and a
map keeps at least one. Each change records an event on the "map" area, with undo (bottom).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases.models import Canvas, CanvasEvent
from canvases.services.events import EditConflict, Kind, record_event
from canvases.services.history import register_undo
from engage.models import User
from journeys.models import EcosystemDimension

from .common import AREA, MAX_DIMENSIONS, clean_name, dimension_state, locked_map, map_dimension


@transaction.atomic
def dimension_add(
    *,
    canvas: Canvas,
    name: str,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> EcosystemDimension:
    canvas = locked_map(canvas, actor, facilitating)
    if canvas.dimensions.count() >= MAX_DIMENSIONS:
        raise ValidationError(f"A map has at most {MAX_DIMENSIONS} dimensions.")
    last = canvas.dimensions.aggregate(Max("position"))["position__max"]
    dimension = EcosystemDimension(
        canvas=canvas, name=clean_name(name, "dimension"), position=0 if last is None else last + 1
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
    canvas = locked_map(dimension.canvas, actor, facilitating)
    dimension = map_dimension(canvas, dimension)
    if dimension.name != expected_name:
        raise EditConflict(
            "Someone renamed this dimension while you were editing it.",
            current_text=dimension.name,
            current_version=0,
        )
    before = dimension_state(dimension)
    dimension.name = clean_name(name, "dimension")
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
    canvas = locked_map(dimension.canvas, actor, facilitating)
    dimension = map_dimension(canvas, dimension)
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
    canvas = locked_map(canvas, actor, facilitating)
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


# --- Undo -----------------------------------------------------------------------------


def _current_dimension(event: CanvasEvent) -> EcosystemDimension:
    pk = event.after["dimension"]
    dimension = EcosystemDimension.objects.select_related("canvas").filter(pk=pk).first()
    if dimension is None:
        raise ValidationError("The dimension of that change no longer exists.")
    return dimension


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


register_undo(Kind.DIMENSION_ADDED, _undo_dimension_added)
register_undo(Kind.DIMENSION_CHANGED, _undo_dimension_changed)
register_undo(Kind.DIMENSION_REMOVED, _undo_dimension_removed)
