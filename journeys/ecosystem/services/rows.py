"""The rows of a new map and of a new version of one (the CanvasType's hooks)."""

from canvases.models import Canvas
from engage.models import User
from journeys.models import EcosystemDimension, EcosystemParty

from .common import DEFAULT_DIMENSIONS


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
