"""A job's trace: persona → job → timeline/forces → filter → prioritization → benefits →
objectives, read in a fixed number of queries whatever the number of canvases and rows.

Later steps (journeys, metrics) come from higher apps through engage.panels: they
register panels for the page "job_trace" and canvases never learns about them.
"""

from dataclasses import dataclass

from django.db.models import Q

from canvases import scoring, types
from canvases.bdn import graph
from canvases.bdn.measures import attach_measured
from canvases.jtbd import prioritization
from canvases.models import BdnColumn, BdnLink, BdnNode, Canvas, FilterRow, PriorityItem
from engage.models import Job

TRACE_PAGE = "job_trace"  # the engage.panels page later apps register their steps on
JOB_CANVAS_TYPES = (types.JTBD_TIMELINE.slug, types.JTBD_FORCES.slug)


@dataclass(frozen=True)
class PriorityScores:
    importance: float | None
    satisfaction: float | None
    opportunity: float | None
    region: scoring.Region | None


def priority_scores(items: list[PriorityItem]) -> None:
    """Give each item `scores` as its board shows them, from the board's own source."""
    rows = prioritization.item_rows(items)
    for item in items:
        row = rows[item.pk]
        item.scores = PriorityScores(row.importance, row.satisfaction, row.opportunity, row.region)


def job_trace(job: Job) -> dict:
    workspace = job.workspace_id
    canvases = list(
        Canvas.objects.filter(workspace_id=workspace, job=job).order_by("type", "-version", "title")
    )
    filter_rows = list(
        FilterRow.objects.filter(canvas__workspace_id=workspace, job=job)
        .select_related("canvas")
        .order_by("canvas__title", "canvas_id")
    )
    items = list(
        PriorityItem.objects.filter(
            Q(job=job) | Q(outcome__job=job), canvas__workspace_id=workspace
        )
        .select_related("canvas", "job", "outcome", "decided_by")
        .order_by("canvas__title", "canvas_id", "position", "id")
    )
    priority_scores(items)
    benefits = list(
        BdnNode.objects.filter(
            canvas__workspace_id=workspace, job=job, column=BdnColumn.BENEFITS
        ).select_related("canvas")
    )
    attach_measured(workspace, benefits)
    network_ids = {benefit.canvas_id for benefit in benefits}
    nodes = list(BdnNode.objects.filter(canvas_id__in=network_ids)) if network_ids else []
    links = (
        list(
            BdnLink.objects.filter(canvas_id__in=network_ids).values_list("source_id", "target_id")
        )
        if network_ids
        else []
    )
    objectives: dict[int, BdnNode] = {}
    for benefit in benefits:
        benefit.objectives = graph.reachable_in(benefit.pk, nodes, links, BdnColumn.OBJECTIVES)
        objectives.update((objective.pk, objective) for objective in benefit.objectives)
    return {
        "personas": list(job.personas.select_related("segment").order_by("name")),
        "job_canvases": [c for c in canvases if c.type in JOB_CANVAS_TYPES],
        "other_canvases": [c for c in canvases if c.type not in JOB_CANVAS_TYPES],
        "filter_rows": filter_rows,
        "priority_items": items,
        "benefits": benefits,
        "objectives": list(objectives.values()),
    }
