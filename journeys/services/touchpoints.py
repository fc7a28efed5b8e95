"""Touchpoints of a journey's stages and the data each needs (and undo of each change)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases.models import CanvasEvent
from canvases.services.events import Kind, check_editable, record_event
from canvases.services.history import register_undo
from engage.models import User
from journeys.digital import is_digital_channel
from journeys.models import Channel, DataNeed, Function, Journey, Stage, Touchpoint

AREA = "touchpoints"
DETAILS = ("name", "channel", "is_digital", "owner", "value_sign", "value", "pains",
           "expected_duration")  # fmt: skip


def touchpoint_state(touchpoint: Touchpoint) -> dict:
    return {
        "area": AREA,
        "touchpoint": touchpoint.pk,
        "stage": touchpoint.stage_id,
        "position": touchpoint.position,
        **{name: getattr(touchpoint, name) for name in DETAILS},
        "data": [
            [need.kind, need.item, need.source]
            for need in DataNeed.objects.filter(touchpoint=touchpoint).order_by("kind", "id")
        ],
        "summary": touchpoint.name,
    }


def _lock(stage: Stage, actor: User, facilitating: bool) -> None:
    journey = Journey.objects.select_for_update().select_related("canvas").get(pk=stage.journey_id)
    check_editable(journey.canvas, actor, facilitating=facilitating)


def _clean(details: dict) -> dict:
    name = (details.get("name") or "").strip()
    if not name:
        raise ValidationError("A touchpoint needs a name.")
    channel = details.get("channel")
    if channel not in Channel.values:
        raise ValidationError("Pick the touchpoint's channel.")
    if details.get("owner") and details["owner"] not in Function.values:
        raise ValidationError("Pick the function that owns the touchpoint.")
    is_digital = details.get("is_digital")
    cleaned = {
        "name": name[:120],
        "channel": channel,
        "is_digital": is_digital_channel(channel) if is_digital is None else bool(is_digital),
        "owner": details.get("owner") or "",
        "value_sign": details.get("value_sign") or Touchpoint.Value.POSITIVE,
        "value": (details.get("value") or "").strip()[:240],
        "pains": (details.get("pains") or "").strip()[:240],
        "expected_duration": (details.get("expected_duration") or "").strip()[:80],
    }
    if cleaned["value_sign"] not in Touchpoint.Value.values:
        raise ValidationError("A touchpoint's value is positive or negative.")
    return cleaned


def _record(touchpoint, kind, actor, before, undoes):
    record_event(
        touchpoint.stage.journey.canvas,
        kind,
        actor,
        before=before,
        after=touchpoint_state(touchpoint) if kind != Kind.TOUCHPOINT_REMOVED else {"area": AREA},
        undoes=undoes,
    )


@transaction.atomic
def touchpoint_add(
    *,
    stage: Stage,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
    **details,
) -> Touchpoint:
    """Add a touchpoint at the end of its stage; `is_digital` left out defaults from the channel."""
    _lock(stage, actor, facilitating)
    if stage.removed_at is not None:
        raise ValidationError("This stage was removed from the map.")
    last = stage.touchpoints.aggregate(Max("position"))["position__max"]
    touchpoint = Touchpoint.objects.create(
        stage=stage, position=0 if last is None else last + 1, **_clean(details)
    )
    _record(touchpoint, Kind.TOUCHPOINT_ADDED, actor, None, undoes)
    return touchpoint


def _locked(touchpoint: Touchpoint, actor: User, facilitating: bool) -> Touchpoint:
    _lock(touchpoint.stage, actor, facilitating)
    try:
        return (
            Touchpoint.objects.select_for_update()
            .select_related("stage__journey__canvas")
            .get(pk=touchpoint.pk)
        )
    except Touchpoint.DoesNotExist:
        raise ValidationError("This touchpoint was removed while you were editing it.") from None


@transaction.atomic
def touchpoint_change(
    *,
    touchpoint: Touchpoint,
    actor: User,
    expected_version: int,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
    **details,
) -> Touchpoint:
    """Save the touchpoint's details as edited from `expected_version`; refused if it moved on."""
    touchpoint = _locked(touchpoint, actor, facilitating)
    if touchpoint.version != expected_version:
        raise ValidationError(
            f"Someone changed “{touchpoint.name}” while you were editing it. "
            "Look at their change and make yours again if it is still needed."
        )
    before = touchpoint_state(touchpoint)
    for name, value in _clean(details).items():
        setattr(touchpoint, name, value)
    if touchpoint_state(touchpoint) == before:
        return touchpoint
    touchpoint.version += 1
    touchpoint.save()
    _record(touchpoint, Kind.TOUCHPOINT_CHANGED, actor, before, undoes)
    return touchpoint


@transaction.atomic
def touchpoint_remove(
    *,
    touchpoint: Touchpoint,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> None:
    """Delete the touchpoint and its data needs; the event keeps both, so undo puts them back."""
    touchpoint = _locked(touchpoint, actor, facilitating)
    before = {**touchpoint_state(touchpoint), "version": touchpoint.version}
    canvas = touchpoint.stage.journey.canvas
    touchpoint.delete()
    record_event(canvas, Kind.TOUCHPOINT_REMOVED, actor, before=before, after={"area": AREA},
                 undoes=undoes)  # fmt: skip


@transaction.atomic
def data_need_add(
    *,
    touchpoint: Touchpoint,
    kind: str,
    item: str,
    source: str = "",
    actor: User,
    facilitating: bool = False,
) -> DataNeed:
    """Note a piece of data the touchpoint needs, and where that data lives."""
    if kind not in DataNeed.Kind.values:
        raise ValidationError("Data is profile, activity or derived data.")
    item = (item or "").strip()
    if not item:
        raise ValidationError("Name the data the touchpoint needs, e.g. “job title”.")
    touchpoint = _locked(touchpoint, actor, facilitating)
    before = touchpoint_state(touchpoint)
    need = DataNeed.objects.create(
        touchpoint=touchpoint, kind=kind, item=item[:120], source=(source or "").strip()[:160]
    )
    touchpoint.version += 1
    touchpoint.save(update_fields=["version"])
    _record(touchpoint, Kind.TOUCHPOINT_CHANGED, actor, before, None)
    return need


@transaction.atomic
def data_need_remove(*, need: DataNeed, actor: User, facilitating: bool = False) -> None:
    touchpoint = _locked(need.touchpoint, actor, facilitating)
    before = touchpoint_state(touchpoint)
    DataNeed.objects.filter(pk=need.pk).delete()
    touchpoint.version += 1
    touchpoint.save(update_fields=["version"])
    _record(touchpoint, Kind.TOUCHPOINT_CHANGED, actor, before, None)


def _set_data(touchpoint: Touchpoint, data: list) -> None:
    DataNeed.objects.filter(touchpoint=touchpoint).delete()
    DataNeed.objects.bulk_create(
        DataNeed(touchpoint=touchpoint, kind=kind, item=item, source=source)
        for kind, item, source in data
    )


def _current(event: CanvasEvent) -> Touchpoint:
    touchpoint = (
        Touchpoint.objects.select_related("stage__journey__canvas")
        .filter(pk=event.after["touchpoint"])
        .first()
    )
    if touchpoint is None or touchpoint_state(touchpoint) != event.after:
        raise ValidationError(
            "Someone changed this touchpoint after you did; undo would overwrite their change."
        )
    return touchpoint


def _undo_added(event, common):
    touchpoint_remove(touchpoint=_current(event), **common)


@transaction.atomic
def _undo_changed(event, common):
    touchpoint = _current(event)
    before = event.before
    touchpoint = touchpoint_change(
        touchpoint=touchpoint,
        expected_version=touchpoint.version,
        **{name: before[name] for name in DETAILS},
        **common,
    )
    if touchpoint_state(touchpoint)["data"] != before["data"]:
        locked = _locked(touchpoint, common["actor"], common["facilitating"])
        state = touchpoint_state(locked)
        _set_data(locked, before["data"])
        locked.version += 1
        locked.save(update_fields=["version"])
        _record(locked, Kind.TOUCHPOINT_CHANGED, common["actor"], state, common["undoes"])


@transaction.atomic
def _undo_removed(event, common):
    before = event.before
    stage = Stage.objects.filter(pk=before["stage"]).select_related("journey__canvas").first()
    if stage is None or Touchpoint.objects.filter(pk=before["touchpoint"]).exists():
        raise ValidationError("That touchpoint can't come back: its stage is gone or it is back.")
    _lock(stage, common["actor"], common["facilitating"])
    touchpoint = Touchpoint(
        pk=before["touchpoint"],
        stage=stage,
        position=before["position"],
        version=before.get("version", 1) + 1,
        **{name: before[name] for name in DETAILS},
    )
    touchpoint.save(force_insert=True)
    _set_data(touchpoint, before["data"])
    _record(touchpoint, Kind.TOUCHPOINT_ADDED, common["actor"], None, common["undoes"])


register_undo(Kind.TOUCHPOINT_ADDED, _undo_added)
register_undo(Kind.TOUCHPOINT_CHANGED, _undo_changed)
register_undo(Kind.TOUCHPOINT_REMOVED, _undo_removed)
