"""Creating, changing and copying journeys. A journey's map is a canvas: it is created
through the canvas engine and every later change is one of its events."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from canvases.models import Canvas, CanvasEvent
from canvases.services import canvas_create
from canvases.services.events import Kind, check_editable, record_event
from canvases.services.history import register_undo
from engage.models import Job, Persona, User, Workspace
from journeys.digital import DigitalType
from journeys.models import JOURNEY_MAP_TYPE, DataNeed, Journey, Stage

from .mix import AREA as MIX_AREA
from .mix import undo_target_change

PRESETS = {
    "purchase": ("Discover", "Evaluate", "Buy", "Access", "Use", "Get support"),
    "lifecycle": ("Onboard", "Adopt", "Expand", "Renew", "Advocate"),
    "blank": (),
}
PRESET_CHOICES = (
    ("purchase", "Discover → evaluate → buy → access → use → get support"),
    ("lifecycle", "Onboard → adopt → expand → renew → advocate"),
    ("blank", "No stages yet: I'll add my own"),
)


def new_stage_key() -> str:
    """A stage's key names its note areas; random so a removed stage's key is never reused."""
    return f"s{secrets.token_hex(4)}"


def _scenario(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError("Name the scenario the journey follows, e.g. “first payroll run”.")
    return text


@transaction.atomic
def journey_create(
    *,
    workspace: Workspace,
    persona: Persona,
    scenario: str,
    actor: User,
    title: str = "",
    job: Job | None = None,
    preset: str = "purchase",
    target_type: str = "",
    facilitator: str = "",
    session_date=None,
) -> Journey:
    if persona is None:
        raise ValidationError("A journey map follows one persona: pick the persona.")
    if preset not in PRESETS:
        raise ValidationError("Pick one of the offered stage presets.")
    if target_type and target_type not in {t.value for t in DigitalType}:
        raise ValidationError("Pick a digital type: first, hybrid or support.")
    scenario = _scenario(scenario)
    canvas = canvas_create(
        workspace=workspace,
        type_slug=JOURNEY_MAP_TYPE,
        created_by=actor,
        title=title.strip() or f"{persona.name}: {scenario}"[:160],
        persona=persona,
        job=job,
        facilitator=facilitator,
        session_date=session_date,
    )
    journey = Journey.objects.create(
        canvas=canvas, workspace=workspace, scenario=scenario, target_type=target_type
    )
    Stage.objects.bulk_create(
        Stage(journey=journey, key=new_stage_key(), name=name, position=index)
        for index, name in enumerate(PRESETS[preset])
    )
    return journey


def journey_state(journey: Journey) -> dict:
    return {
        "area": "summary",
        "title": journey.canvas.title,
        "scenario": journey.scenario,
        "summary": journey.scenario,
    }


@transaction.atomic
def journey_change(
    *,
    journey: Journey,
    actor: User,
    expected_version: int,
    title: str,
    scenario: str,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> Journey:
    journey = Journey.objects.select_for_update().select_related("canvas").get(pk=journey.pk)
    check_editable(journey.canvas, actor, facilitating=facilitating)
    if journey.version != expected_version:
        raise ValidationError(
            "Someone changed the journey's details while you were editing them; "
            f"they now read “{journey.canvas.title}: {journey.scenario}”."
        )
    before = journey_state(journey)
    title = (title or "").strip()
    if not title:
        raise ValidationError("A journey needs a title.")
    journey.scenario, journey.canvas.title = _scenario(scenario), title[:160]
    if journey_state(journey) == before:
        return journey
    journey.version += 1
    journey.save(update_fields=["scenario", "version"])
    Canvas.objects.filter(pk=journey.canvas_id).update(title=journey.canvas.title)
    record_event(
        journey.canvas,
        Kind.JOURNEY_CHANGED,
        actor,
        before=before,
        after=journey_state(journey),
        undoes=undoes,
    )
    return journey


def _undo_journey_change(event: CanvasEvent, common: dict) -> None:
    """One handler for the kind: the details here, the target digital type in .mix."""
    if event.after.get("area") == MIX_AREA:
        undo_target_change(event, common)
        return
    journey = Journey.objects.get(canvas=event.canvas)
    if journey_state(journey) != event.after:
        raise ValidationError("Someone changed the journey's details since; undo would lose that.")
    journey_change(
        journey=journey,
        expected_version=journey.version,
        title=event.before["title"],
        scenario=event.before["scenario"],
        **common,
    )


register_undo(Kind.JOURNEY_CHANGED, _undo_journey_change)


def journey_copy(*, source: Canvas, copy: Canvas) -> None:
    """A new version of a map: the journey, its stages (same keys, so the copied notes stay
    in their stages), touchpoints and data needs."""
    journey = Journey.objects.filter(canvas=source).first()
    if journey is None:
        return
    new = Journey.objects.create(
        canvas=copy,
        workspace_id=journey.workspace_id,
        scenario=journey.scenario,
        target_type=journey.target_type,
    )
    for stage in journey.stages.current().prefetch_related("touchpoints__data_needs"):
        touchpoints = list(stage.touchpoints.all())
        stage.pk, stage.journey, stage.version = None, new, 1
        stage.save(force_insert=True)
        for touchpoint in touchpoints:
            needs = list(touchpoint.data_needs.all())
            touchpoint.pk, touchpoint.stage, touchpoint.version = None, stage, 1
            touchpoint.save(force_insert=True)
            DataNeed.objects.bulk_create(
                DataNeed(touchpoint=touchpoint, kind=n.kind, item=n.item, source=n.source)
                for n in needs
            )
