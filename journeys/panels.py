"""The journey map's panel areas: the summary, the stage heads, the touchpoints and the
emotion curve. All read the rows `selectors.map_rows` loads once per rendering."""

from canvases.area_panels import Viewer
from canvases.models import Canvas
from journeys.curve import emotion_curve, signed
from journeys.digital import DigitalType, digital_share, digital_type
from journeys.measures import journey_links, stage_presence, touchpoint_measures
from journeys.models import Channel, DataNeed, Emotion, Function, Touchpoint
from journeys.selectors import journeys_for_workspace, map_rows

EMPTY_STAGES = (
    "A journey map needs stages: add the first one, e.g. “Discover”, and then what the "
    "persona does, thinks and feels there."
)


def _common(canvas: Canvas, viewer: Viewer) -> dict:
    rows = map_rows(canvas)
    return {
        "journey": rows.journey,
        "stages": rows.stages,
        "viewer": viewer,
        "ws": canvas.workspace.slug,
    }


def summary_panel(canvas: Canvas, viewer: Viewer) -> dict:
    context = _common(canvas, viewer)
    flags = [tp.is_digital for stage in context["stages"] for tp in stage.touchpoint_list]
    share = digital_share(flags)
    journey = context["journey"]
    return {
        **context,
        "persona": canvas.persona,
        "share": share,
        "type": digital_type(share),
        "target": DigitalType(journey.target_type) if journey and journey.target_type else None,
        "touchpoint_count": len(flags),
        "digital_count": sum(flags),
        "links": journey_links(journey) if journey and not viewer.is_print else [],
    }


def stages_panel(canvas: Canvas, viewer: Viewer) -> dict:
    context = _common(canvas, viewer)
    if context["journey"]:
        presence = stage_presence(context["journey"])
        for stage in context["stages"]:
            stage.presence = presence.get(stage.pk)
    return {**context, "empty_advice": EMPTY_STAGES}


def touchpoints_panel(canvas: Canvas, viewer: Viewer) -> dict:
    context = _common(canvas, viewer)
    touchpoints = [tp for stage in context["stages"] for tp in stage.touchpoint_list]
    measured = touchpoint_measures(canvas.workspace_id, [tp.pk for tp in touchpoints])
    for touchpoint in touchpoints:
        touchpoint.measured = measured.get(touchpoint.pk, [])
    return {
        **context,
        "channels": Channel.choices,
        "functions": Function.choices,
        "values": Touchpoint.Value.choices,
        "data_kinds": DataNeed.Kind.choices,
    }


def curve_panel(canvas: Canvas, viewer: Viewer) -> dict:
    context = _common(canvas, viewer)
    return {
        **context,
        "curve": emotion_curve([(stage.name, stage.emotion) for stage in context["stages"]]),
        "emotions": [
            (value, f"{signed(value)} {label}") for value, label in reversed(Emotion.choices)
        ],
    }


def home_panel(request, workspace) -> dict:
    """The workspace home's journeys panel: the latest few maps and their mix."""
    return {"journeys": list(journeys_for_workspace(workspace)[:4])}


def job_journeys(request, job) -> dict:
    """The trace page's journeys step: the maps that follow this job."""
    return {
        "journeys": list(journeys_for_workspace(job.workspace).filter(canvas__job=job)),
        "empty": "No journey map follows this job yet — create one on the Journeys page and "
        "pick this job.",
    }


def persona_journeys(request, persona) -> dict:
    return {
        "journeys": list(journeys_for_workspace(persona.workspace).filter(canvas__persona=persona)),
        "empty": "No journey map follows this persona yet.",
    }
