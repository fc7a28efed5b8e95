"""Reads of journeys, in a fixed number of queries whatever the number of stages or touchpoints."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from canvases.models import Canvas
from journeys.models import Journey, Stage, Touchpoint


@dataclass
class MapRows:
    journey: Journey | None
    stages: list[Stage] = field(default_factory=list)  # each with `touchpoint_list`


def map_rows(canvas: Canvas) -> MapRows:
    """The journey of a map canvas with its stages, touchpoints and data needs: four queries,
    made once per rendering (the shape and every panel of the map share them)."""
    if "journey" not in canvas.row_cache:
        journey = (
            Journey.objects.filter(canvas=canvas).select_related("canvas__persona__segment").first()
        )
        stages = []
        if journey is not None:
            touchpoints = Touchpoint.objects.prefetch_related("data_needs")
            stages = list(
                journey.stages.current().prefetch_related(
                    Prefetch("touchpoints", queryset=touchpoints, to_attr="touchpoint_list")
                )
            )
        canvas.row_cache["journey"] = MapRows(journey, stages)
    return canvas.row_cache["journey"]


def map_stages(canvas: Canvas) -> list[Stage]:
    return map_rows(canvas).stages


def journeys_for_workspace(workspace):
    """Journeys with their counts for lists; removed stages and their touchpoints don't count."""
    current = Q(stages__removed_at=None)
    return (
        Journey.objects.in_workspace(workspace)
        .select_related("canvas__persona", "canvas__job")
        .annotate(
            stage_count=Count("stages", filter=current, distinct=True),
            touchpoint_count=Count("stages__touchpoints", filter=current),
            digital_count=Count(
                "stages__touchpoints", filter=current & Q(stages__touchpoints__is_digital=True)
            ),
        )
        .order_by("canvas__persona__name", "canvas__title")
    )


def stage_with_journey(workspace, pk: int) -> Stage | None:
    return (
        Stage.objects.current()
        .filter(journey__workspace=workspace, pk=pk)
        .select_related("journey__canvas__persona__segment", "journey__canvas__job")
        .first()
    )
