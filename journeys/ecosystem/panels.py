"""The map's two panel areas: the drawing, and the list of parties by dimension and ring
(printed as a register). Each reads the dimensions and the parties in two queries."""

from dataclasses import dataclass

from canvases.area_panels import Viewer
from canvases.models import Canvas, FieldValue
from journeys.models import EcosystemDimension, EcosystemParty, Ring

from . import layout

RING_PROMPTS = {
    Ring.ESSENTIAL: "They cannot do without them.",
    Ring.VALUED: "They add real value.",
    Ring.DESIRABLE: "Nice to have.",
}


@dataclass
class RingView:
    slug: str
    title: str
    parties: list


@dataclass
class DimensionView:
    dimension: EcosystemDimension
    rings: list
    count: int


def rows(canvas: Canvas) -> tuple[list[EcosystemDimension], list[EcosystemParty]]:
    dimensions = list(EcosystemDimension.objects.filter(canvas=canvas).order_by("position", "pk"))
    parties = list(EcosystemParty.objects.filter(canvas=canvas).order_by("position", "pk"))
    return dimensions, parties


def subject(canvas: Canvas) -> str:
    value = (
        FieldValue.objects.filter(canvas=canvas, field="subject")
        .values_list("value", flat=True)
        .first()
    )
    return value or (canvas.persona.name if canvas.persona_id else "")


def map_panel(canvas: Canvas, viewer: Viewer) -> dict:
    dimensions, parties = rows(canvas)
    drawing = layout.layout(
        subject(canvas),
        [(d.pk, d.name) for d in dimensions],
        [layout.Party(p.pk, p.name, p.ring, p.dimension_id) for p in parties],
    )
    by_pk = {party.pk: party for party in parties}
    names = {d.pk: d.name for d in dimensions}
    labels = dict(Ring.choices)
    return {
        "layout": drawing,
        "chips": [
            (chip, by_pk[chip.pk], f"{chip.name}: {labels[chip.ring]}, {names[chip.dimension]}")
            for chip in drawing.chips
        ],
        "overflows": [
            (o.count, labels[o.ring].lower(), names[o.dimension]) for o in drawing.overflows
        ],
        "party_count": len(parties),
        "can_move": viewer.can_write and not viewer.is_print,
        "viewer": viewer,
    }


def parties_panel(canvas: Canvas, viewer: Viewer) -> dict:
    dimensions, parties = rows(canvas)
    views = []
    for dimension in dimensions:
        mine = [party for party in parties if party.dimension_id == dimension.pk]
        rings = [
            RingView(ring.value, ring.label, [p for p in mine if p.ring == ring.value])
            for ring in Ring
        ]
        views.append(DimensionView(dimension, rings, len(mine)))
    labels = dict(Ring.choices)
    names = {d.pk: d.name for d in dimensions}
    register = sorted(
        parties,
        key=lambda p: (
            [d.pk for d in dimensions].index(p.dimension_id),
            Ring.values.index(p.ring),
            p.position,
        ),
    )
    return {
        "dimensions": views,
        "rings": [(ring.value, ring.label, RING_PROMPTS[ring]) for ring in Ring],
        "register": [(party, names[party.dimension_id], labels[party.ring]) for party in register],
        "party_count": len(parties),
        "viewer": viewer,
    }
