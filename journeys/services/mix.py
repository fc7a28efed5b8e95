"""Setting a journey's target digital type: a change to its canvas, logged and undoable."""

from django.core.exceptions import ValidationError
from django.db import transaction

from canvases.models import CanvasEvent
from canvases.services.events import Kind, check_editable, record_event
from engage.models import User
from journeys.digital import DigitalType
from journeys.models import Journey

AREA = "mix"


def target_state(journey: Journey) -> dict:
    return {"area": AREA, "target_type": journey.target_type}


def target_label(target_type: str) -> str:
    return DigitalType(target_type).label if target_type else "no target"


@transaction.atomic
def journey_set_target(
    *,
    journey: Journey,
    target_type: str,
    actor: User,
    expected_version: int,
    facilitating: bool = True,
    undoes: CanvasEvent | None = None,
) -> Journey:
    """Set the type the journey's mix should reach ("" for none), from version `expected_version`."""
    if target_type and target_type not in DigitalType:
        raise ValidationError(f"“{target_type}” is not a digital type.")
    journey = Journey.objects.select_for_update().select_related("canvas").get(pk=journey.pk)
    check_editable(journey.canvas, actor, facilitating=facilitating)
    if journey.version != expected_version:
        raise ValidationError(
            "Someone changed this journey while you were looking at it: its target is now "
            f"{target_label(journey.target_type)}. Choose again if yours is still needed."
        )
    if journey.target_type == target_type:
        return journey
    before = target_state(journey)
    journey.target_type = target_type
    journey.version += 1
    journey.save(update_fields=["target_type", "version"])
    record_event(
        journey.canvas,
        Kind.JOURNEY_CHANGED,
        actor,
        before=before,
        after=target_state(journey),
        undoes=undoes,
    )
    return journey


def undo_target_change(event: CanvasEvent, common: dict) -> None:
    """Undo a target change (a JOURNEY_CHANGED event whose area is "mix")."""
    journey = Journey.objects.filter(canvas=event.canvas).first()
    if journey is None:
        raise ValidationError("The journey of that change no longer exists.")
    if target_state(journey) != event.after:
        raise ValidationError(
            "Someone changed the target after you did; undo would overwrite their change."
        )
    journey_set_target(
        journey=journey,
        target_type=event.before["target_type"],
        expected_version=journey.version,
        **common,
    )
