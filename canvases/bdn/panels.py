"""The network's three panel areas: the drawing, the editor (or, printed, the benefits
register) and the findings. Each reads the nodes and links in two queries."""

from dataclasses import dataclass

from canvases.area_panels import Viewer
from canvases.models import BdnColumn, BdnLink, BdnNode, Canvas
from engage.models import Job

from . import graph
from .layout import layout
from .measures import attach_measured, measure_source

EMPTY_ADVICE = (
    "Start from the right: add the drivers, then the objectives they call for, the benefits "
    "that show an objective is met, the business and enabling changes that deliver them, and "
    "last the digital enablers."
)


ADD_PROMPTS = {
    BdnColumn.ENABLERS: "Add a digital enabler…",
    BdnColumn.ENABLING_CHANGES: "Add an enabling change…",
    BdnColumn.BUSINESS_CHANGES: "Add a business change…",
    BdnColumn.BENEFITS: "Add a business benefit…",
    BdnColumn.OBJECTIVES: "Add an investment objective…",
    BdnColumn.DRIVERS: "Add a driver…",
}


@dataclass
class ColumnView:
    slug: str
    title: str
    nodes: list
    add_prompt: str = ""


def network(canvas: Canvas, *, with_pks: bool = False) -> tuple[list[BdnNode], list[tuple]]:
    """The nodes, and the links as (source, target) pairs, or (pk, source, target) triples."""
    nodes = list(canvas.bdn_nodes.select_related("job"))
    fields = ("pk", "source_id", "target_id") if with_pks else ("source_id", "target_id")
    links = list(BdnLink.objects.filter(canvas=canvas).order_by("pk").values_list(*fields))
    return nodes, links


def flagged_nodes(found: list[graph.Finding]) -> set[int]:
    return {pk for finding in found for pk in finding.nodes}


def network_panel(canvas: Canvas, viewer: Viewer) -> dict:
    nodes, links = network(canvas)
    found = graph.findings(nodes, links)
    return {
        "layout": layout(nodes, links, flagged_nodes(found)) if nodes else None,
        "flagged_count": len(flagged_nodes(found)),
        "empty_advice": EMPTY_ADVICE,
    }


def findings_panel(canvas: Canvas, viewer: Viewer) -> dict:
    nodes, links = network(canvas)
    labels = {node.pk: node.label for node in nodes}
    found = graph.findings(nodes, links)
    return {
        "has_nodes": bool(nodes),
        "empty_columns": [
            column.label for column in BdnColumn if not any(n.column == column for n in nodes)
        ],
        "findings": [
            {"finding": finding, "labels": [labels.get(pk, "?") for pk in finding.nodes]}
            for finding in found
        ],
    }


def editor_panel(canvas: Canvas, viewer: Viewer) -> dict:
    """Per column: its nodes, each with what it links to and the nodes it may still link to."""
    nodes, rows = network(canvas, with_pks=True)
    links = [(source, target) for _, source, target in rows]
    by_pk = {node.pk: node for node in nodes}
    outgoing: dict[int, list[tuple[int, BdnNode]]] = {}
    for pk, source, target in rows:
        outgoing.setdefault(source, []).append((pk, by_pk[target]))
    in_order = sorted(nodes, key=lambda node: BdnColumn(node.column).order)
    columns = []
    for column in BdnColumn:
        members = []
        for node in nodes:
            if node.column != column.value:
                continue
            node.targets = outgoing.get(node.pk, [])
            linked = {target.pk for _, target in node.targets}
            node.candidates = [
                other
                for other in in_order
                if BdnColumn(other.column).order > column.order and other.pk not in linked
            ]
            if column == BdnColumn.BENEFITS:
                node.objectives = graph.reachable_in(node.pk, nodes, links, BdnColumn.OBJECTIVES)
            members.append(node)
        columns.append(ColumnView(column.value, column.label, members, ADD_PROMPTS[column]))
    benefits = next(c for c in columns if c.slug == BdnColumn.BENEFITS).nodes
    attach_measured(canvas.workspace_id, benefits)
    jobs, metric_choices, source = [], [], measure_source()
    if viewer.can_write:
        jobs = list(
            Job.objects.filter(workspace_id=canvas.workspace_id).only(
                "id", "verb", "object", "context"
            )
        )
        if source and benefits:
            metric_choices = source.choices(canvas.workspace_id)
    return {
        "columns": columns,
        "benefits": benefits,
        "jobs": jobs,
        "metric_choices": metric_choices,
        "viewer": viewer,
        "benefits_column": BdnColumn.BENEFITS.value,
    }
