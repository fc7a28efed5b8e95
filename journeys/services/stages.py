"""Stages of a journey map: add, change, set the emotion, reorder, remove (and undo each).

Adding, moving and removing a stage changes the map's grid, so those events name the
canvas engine's shape area and live boards reload; a change of name, goals, time or
emotion redraws only the panels that show it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from canvases.models import CanvasEvent
from canvases.services import SHAPE_AREA
from canvases.services.events import Kind, check_editable, record_event
from canvases.services.history import register_undo
from engage.models import User
from journeys.models import Emotion, Journey, Stage

from .journeys import new_stage_key

MAX_STAGES = 12


def stage_state(stage: Stage, area: str = "stages") -> dict:
    return {
        "area": area,
        "stage": stage.pk,
        "name": stage.name,
        "goals": stage.goals,
        "expected_duration": stage.expected_duration,
        "expected_hours": stage.expected_hours,
        "emotion": stage.emotion,
        "position": stage.position,
        "removed": stage.removed_at is not None,
        "summary": stage.name,
    }


THRESHOLDS_AREA = "thresholds"  # stall thresholds: no area of the sheet shows them


def thresholds_state(stage: Stage) -> dict:
    return {
        "area": THRESHOLDS_AREA,
        "stage": stage.pk,
        "expected_hours": stage.expected_hours,
        "stuck_hours": stage.stuck_hours,
        "expected_from": stage.expected_from,
        "summary": f"{stage.name}: expected time",
    }


def _locked_journey(journey: Journey, actor: User, facilitating: bool) -> Journey:
    journey = Journey.objects.select_for_update().select_related("canvas").get(pk=journey.pk)
    check_editable(journey.canvas, actor, facilitating=facilitating)
    return journey


def _locked_stage(stage: Stage, actor: User, facilitating: bool) -> Stage:
    _locked_journey(stage.journey, actor, facilitating)
    try:
        return Stage.objects.select_for_update().select_related("journey__canvas").get(pk=stage.pk)
    except Stage.DoesNotExist:
        raise ValidationError("This stage no longer exists.") from None


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("A stage needs a name.")
    return name[:80]


def _renumber(journey: Journey, order: list[Stage]) -> None:
    for index, stage in enumerate(order):
        if stage.position != index:
            stage.position = index
            stage.save(update_fields=["position"])


@transaction.atomic
def stage_add(
    *,
    journey: Journey,
    name: str,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Stage:
    journey = _locked_journey(journey, actor, facilitating)
    current = journey.stages.current()
    if current.count() >= MAX_STAGES:
        raise ValidationError(f"A journey map holds at most {MAX_STAGES} stages.")
    last = current.aggregate(Max("position"))["position__max"]
    stage = Stage.objects.create(
        journey=journey,
        key=new_stage_key(),
        name=_name(name),
        position=0 if last is None else last + 1,
    )
    record_event(
        journey.canvas,
        Kind.STAGE_ADDED,
        actor,
        after=stage_state(stage, SHAPE_AREA),
        undoes=undoes,
    )
    return stage


@transaction.atomic
def stage_change(
    *,
    stage: Stage,
    actor: User,
    expected_version: int,
    name: str,
    goals: str = "",
    expected_duration: str = "",
    expected_hours: int | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Stage:
    """Rename a stage, or set its goals and time; refused if it moved on from `expected_version`."""
    stage = _locked_stage(stage, actor, facilitating)
    if stage.version != expected_version:
        raise ValidationError(
            f"Someone changed this stage while you were editing it; it is now “{stage.name}”."
        )
    before = stage_state(stage)
    stage.name, stage.goals = _name(name), (goals or "").strip()
    stage.expected_duration = (expected_duration or "").strip()[:80]
    stage.expected_hours = expected_hours
    if stage_state(stage) == before:
        return stage
    stage.version += 1
    stage.save()
    record_event(
        stage.journey.canvas,
        Kind.STAGE_CHANGED,
        actor,
        before=before,
        after=stage_state(stage),
        undoes=undoes,
    )
    return stage


@transaction.atomic
def stage_thresholds_set(
    *,
    stage: Stage,
    actor: User,
    expected_version: int,
    expected_hours: int | None,
    stuck_hours: int | None,
    expected_from: str,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Stage:
    """When customers at this stage count as behind and as stuck (see journeys.stalls)."""
    stage = _locked_stage(stage, actor, facilitating)
    if stage.version != expected_version:
        raise ValidationError(
            f"Someone changed the stage “{stage.name}” while you were editing it; "
            "look at its times again."
        )
    before = thresholds_state(stage)
    stage.expected_hours, stage.stuck_hours = expected_hours, stuck_hours
    stage.expected_from = expected_from
    if thresholds_state(stage) == before:
        return stage
    stage.version += 1
    stage.full_clean()
    stage.save()
    record_event(
        stage.journey.canvas,
        Kind.STAGE_CHANGED,
        actor,
        before=before,
        after=thresholds_state(stage),
        undoes=undoes,
    )
    return stage


@transaction.atomic
def stage_set_emotion(
    *,
    stage: Stage,
    emotion: int | None,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Stage:
    """The persona's emotion at this stage, −2 … +2, or None for not known yet."""
    if emotion is not None and emotion not in Emotion.values:
        raise ValidationError("An emotion runs from −2 (very negative) to +2 (very positive).")
    stage = _locked_stage(stage, actor, facilitating)
    if stage.emotion == emotion:
        return stage
    before = stage_state(stage, "curve")
    stage.emotion = emotion
    stage.version += 1
    stage.save(update_fields=["emotion", "version"])
    record_event(
        stage.journey.canvas,
        Kind.STAGE_CHANGED,
        actor,
        before=before,
        after=stage_state(stage, "curve"),
        undoes=undoes,
    )
    return stage


@transaction.atomic
def stage_move(
    *,
    stage: Stage,
    position: int,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Stage:
    """Put the stage at `position` (0 = first) among the current stages."""
    stage = _locked_stage(stage, actor, facilitating)
    current = list(stage.journey.stages.current())
    position = max(0, min(position, len(current) - 1))
    if [s.pk for s in current].index(stage.pk) == position:
        return stage
    order = [s for s in current if s.pk != stage.pk]
    before = stage_state(stage, SHAPE_AREA)
    order.insert(position, stage)
    _renumber(stage.journey, order)
    stage.refresh_from_db()
    record_event(
        stage.journey.canvas,
        Kind.STAGE_MOVED,
        actor,
        before=before,
        after=stage_state(stage, SHAPE_AREA),
        undoes=undoes,
    )
    return stage


@transaction.atomic
def stage_remove(
    *, stage: Stage, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> None:
    """Take the stage off the map. Its notes and touchpoints stay, so undo brings it all back."""
    stage = _locked_stage(stage, actor, facilitating)
    if stage.removed_at is not None:
        raise ValidationError("This stage is already removed.")
    before = stage_state(stage, SHAPE_AREA)
    stage.removed_at = timezone.now()
    stage.save(update_fields=["removed_at"])
    _renumber(stage.journey, list(stage.journey.stages.current()))
    record_event(
        stage.journey.canvas,
        Kind.STAGE_REMOVED,
        actor,
        before=before,
        after=stage_state(stage, SHAPE_AREA),
        undoes=undoes,
    )


@transaction.atomic
def stage_restore(
    *, stage: Stage, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> Stage:
    """Put a removed stage back where it was."""
    stage = _locked_stage(stage, actor, facilitating)
    if stage.removed_at is None:
        raise ValidationError("This stage is on the map already.")
    before = stage_state(stage, SHAPE_AREA)
    order = list(stage.journey.stages.current())
    order.insert(min(stage.position, len(order)), stage)
    stage.removed_at = None
    stage.save(update_fields=["removed_at"])
    _renumber(stage.journey, order)
    stage.refresh_from_db()
    record_event(
        stage.journey.canvas,
        Kind.STAGE_ADDED,
        actor,
        before=before,
        after=stage_state(stage, SHAPE_AREA),
        undoes=undoes,
    )
    return stage


def _current_state(event: CanvasEvent) -> tuple[Stage, dict]:
    stage = Stage.objects.filter(pk=(event.after or event.before)["stage"]).first()
    if stage is None:
        raise ValidationError("The stage of that change no longer exists.")
    area = event.after["area"]
    now = thresholds_state(stage) if area == THRESHOLDS_AREA else stage_state(stage, area)
    if now != event.after:
        raise ValidationError(
            "Someone changed this stage after you did; undo would overwrite their change."
        )
    return stage, event.before


def _undo_added(event, common):
    stage, _ = _current_state(event)
    stage_remove(stage=stage, **common)


def _undo_changed(event, common):
    stage, before = _current_state(event)
    if before["area"] == "curve":
        stage_set_emotion(stage=stage, emotion=before["emotion"], **common)
    elif before["area"] == THRESHOLDS_AREA:
        stage_thresholds_set(
            stage=stage,
            expected_version=stage.version,
            expected_hours=before["expected_hours"],
            stuck_hours=before["stuck_hours"],
            expected_from=before["expected_from"],
            **common,
        )
    else:
        stage_change(
            stage=stage,
            expected_version=stage.version,
            name=before["name"],
            goals=before["goals"],
            expected_duration=before["expected_duration"],
            expected_hours=before["expected_hours"],
            **common,
        )


def _undo_moved(event, common):
    stage, before = _current_state(event)
    stage_move(stage=stage, position=before["position"], **common)


def _undo_removed(event, common):
    stage, _ = _current_state(event)
    stage_restore(stage=stage, **common)


register_undo(Kind.STAGE_ADDED, _undo_added)
register_undo(Kind.STAGE_CHANGED, _undo_changed)
register_undo(Kind.STAGE_MOVED, _undo_moved)
register_undo(Kind.STAGE_REMOVED, _undo_removed)
