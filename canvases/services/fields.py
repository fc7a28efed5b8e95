"""Single-value fields of a canvas. A persona card's fields are the persona record itself."""

from django.core.exceptions import ValidationError
from django.db import transaction

from canvases import types
from canvases.models import Canvas, CanvasEvent, FieldValue
from engage import services as engage_services
from engage.models import Segment, User

from .events import EditConflict, Kind, check_editable, record_event

PERSONA_FIELDS = {
    "name",
    "short_description",
    "scenario",
    "expectations",
    "age",
    "sex",
    "income_band",
    "role",
    "segment",
    "personal_story",
}


def field_definition(canvas_type: types.CanvasType, slug: str) -> types.Field:
    for definition in canvas_type.header_fields:
        if definition.slug == slug:
            return definition
    for area in canvas_type.areas:
        for definition in area.fields:
            if definition.slug == slug:
                return definition
    raise ValidationError(f"This canvas has no field “{slug}”.")


def is_persona_bound(canvas: Canvas, slug: str) -> bool:
    return canvas.type == types.PERSONA_CARD.slug and slug in PERSONA_FIELDS


def persona_field_value(persona, slug: str) -> str:
    value = getattr(persona, "segment_id" if slug == "segment" else slug)
    return "" if value is None else str(value)


def clean_value(canvas: Canvas, definition: types.Field, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    # isdecimal() takes any length, and int() refuses strings past 4,300 digits.
    number = int(value) if value.isdecimal() and len(value) <= 6 else None
    if definition.kind == types.FieldKind.NUMBER:
        if number is None or number > 150:
            raise ValidationError(f"{definition.label}: enter a whole number.")
    elif definition.kind == types.FieldKind.SCALE:
        low, high = definition.scale
        if number is None or not low <= number <= high:
            raise ValidationError(f"{definition.label}: pick a value from {low} to {high}.")
    elif definition.kind == types.FieldKind.CHOICE:
        allowed = {choice for choice, _ in definition.choices}
        if definition.slug == "segment" and canvas.type == types.PERSONA_CARD.slug:
            allowed = {
                str(pk)
                for pk in Segment.objects.filter(workspace=canvas.workspace_id).values_list(
                    "pk", flat=True
                )
            }
        if value not in allowed:
            raise ValidationError(f"{definition.label}: pick one of the listed options.")
    return value


def _current(canvas: Canvas, definition: types.Field) -> tuple[str, FieldValue | None]:
    slug = definition.slug
    if is_persona_bound(canvas, slug):
        if canvas.persona is None:
            raise ValidationError("The persona of this card was deleted: its details are gone.")
        return persona_field_value(canvas.persona, slug), None
    stored, _ = FieldValue.objects.select_for_update().get_or_create(canvas=canvas, field=slug)
    return stored.value or definition.default, stored


@transaction.atomic
def field_set(
    *,
    canvas: Canvas,
    field: str,
    value: str,
    actor: User,
    expected_value: str | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> str:
    """Set a field; `expected_value` is what the editor saw, so a concurrent change is not lost."""
    canvas = (
        Canvas.objects.select_for_update(of=("self",)).select_related("persona").get(pk=canvas.pk)
    )
    check_editable(canvas, actor, facilitating=facilitating)
    definition = field_definition(canvas.canvas_type, field)
    value = clean_value(canvas, definition, value) or definition.default
    current, stored = _current(canvas, definition)
    if expected_value is not None and current != expected_value.strip():
        raise EditConflict(
            f"Someone changed “{definition.label}” while you were editing it.",
            current_text=current,
            current_version=0,
        )
    if current == value:
        return value
    if stored is None:
        _save_to_persona(canvas, field, value)
    else:
        stored.value, stored.updated_by = value, actor
        stored.version += 1
        stored.save()
    record_event(
        canvas,
        Kind.FIELD_CHANGED,
        actor,
        field=field,
        before={"value": current},
        after={"value": value},
        undoes=undoes,
    )
    return value


def _save_to_persona(canvas: Canvas, field: str, value: str) -> None:
    persona = canvas.persona
    if field == "name" and not value:
        raise ValidationError("A persona needs a name.")
    if field == "segment":
        converted = Segment.objects.filter(pk=value).first() if value else None
    elif field == "age":
        converted = int(value) if value else None
    else:
        converted = value
    engage_services.persona_update(persona=persona, **{field: converted})
