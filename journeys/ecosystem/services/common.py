"""What the ecosystem map's writes share: the area they name, the states their events keep,
and the checks that the canvas is a map that may be changed."""

from django.core.exceptions import ValidationError

from canvases.models import Canvas
from canvases.services.events import check_editable
from engage.models import User
from journeys.models import EcosystemDimension, EcosystemParty

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


def locked_map(canvas: Canvas, actor: User, facilitating: bool) -> Canvas:
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    if canvas.type != TYPE_SLUG:
        raise ValidationError("Only an ecosystem map has parties and dimensions.")
    check_editable(canvas, actor, facilitating=facilitating)
    return canvas


def clean_name(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"A {what} needs a name.")
    return value


def map_dimension(canvas: Canvas, dimension: EcosystemDimension | int) -> EcosystemDimension:
    pk = getattr(dimension, "pk", dimension)
    found = EcosystemDimension.objects.filter(canvas=canvas, pk=pk).first()
    if found is None:
        raise ValidationError("That dimension is not on this map.")
    return found
