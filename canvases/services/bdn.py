"""Writes to a benefits dependency network: nodes in columns and links left to right.

Every change records an event naming the "network" area, so live boards redraw the
drawing, the editor and the findings; each kind has an undo handler (bottom).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from canvases import types
from canvases.models import BdnColumn, BdnLink, BdnNode, Canvas, CanvasEvent
from engage.models import Job, User

from .events import EditConflict, Kind, check_editable, record_event
from .history import register_undo

AREA = "network"
BENEFIT_FIELDS = ("owner", "measure", "stakeholder")
KEEP = object()  # node_change's metric_id when the change leaves the bound metric as it is


def node_state(node: BdnNode) -> dict:
    return {
        "area": AREA,
        "node": node.pk,
        "column": node.column,
        "label": node.label,
        "position": node.position,
        "owner": node.owner,
        "measure": node.measure,
        "stakeholder": node.stakeholder,
        "job": node.job_id,
        "metric": node.metric_id,
        "summary": node.label,
    }


def link_state(link: BdnLink) -> dict:
    return {
        "area": AREA,
        "link": link.pk,
        "source": link.source_id,
        "target": link.target_id,
        "summary": f"{link.source.label} → {link.target.label}",
    }


def _network(canvas: Canvas, actor: User, facilitating: bool) -> Canvas:
    canvas = Canvas.objects.select_for_update().get(pk=canvas.pk)
    if canvas.type != types.BENEFITS_DEPENDENCY_NETWORK.slug:
        raise ValidationError("Only a benefits dependency network has nodes and links.")
    check_editable(canvas, actor, facilitating=facilitating)
    return canvas


def _label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError("A node needs a label.")
    return label


def _job(canvas: Canvas, job: Job | int | None) -> Job | None:
    if job is None:
        return None
    pk = job.pk if isinstance(job, Job) else job
    found = Job.objects.filter(workspace_id=canvas.workspace_id, pk=pk).first()
    if found is None:
        raise ValidationError("That job is not in this workspace.")
    return found


@transaction.atomic
def node_add(
    *,
    canvas: Canvas,
    column: str,
    label: str,
    actor: User,
    owner: str = "",
    measure: str = "",
    stakeholder: str = "",
    job: Job | int | None = None,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> BdnNode:
    canvas = _network(canvas, actor, facilitating)
    if column not in BdnColumn.values:
        raise ValidationError(f"A network has no column “{column}”.")
    last = canvas.bdn_nodes.filter(column=column).aggregate(Max("position"))["position__max"]
    node = BdnNode(
        canvas=canvas,
        column=column,
        label=_label(label),
        position=0 if last is None else last + 1,
    )
    if column == BdnColumn.BENEFITS:
        node.owner, node.measure, node.stakeholder = (
            owner.strip(),
            measure.strip(),
            stakeholder.strip(),
        )
        node.job = _job(canvas, job)
    node.full_clean()
    node.save()
    record_event(canvas, Kind.NODE_ADDED, actor, after=node_state(node), undoes=undoes)
    return node


def _locked_node(node: BdnNode) -> BdnNode:
    return BdnNode.objects.select_for_update().select_related("canvas").get(pk=node.pk)


@transaction.atomic
def node_change(
    *,
    node: BdnNode,
    actor: User,
    expected_version: int,
    label: str,
    owner: str = "",
    measure: str = "",
    stakeholder: str = "",
    job: Job | int | None = None,
    metric_id=KEEP,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> BdnNode:
    """Save a change made to version `expected_version`; EditConflict if it moved on.

    `metric_id` binds the benefit's measure to a metric of a higher app (checked there).
    """
    _network(node.canvas, actor, facilitating)
    try:
        node = _locked_node(node)
    except BdnNode.DoesNotExist:
        raise ValidationError("This node was removed while you were editing it.") from None
    if node.version != expected_version:
        raise EditConflict(
            "Someone changed this node while you were editing it.",
            current_text=node.label,
            current_version=node.version,
        )
    before = node_state(node)
    node.label = _label(label)
    if node.column == BdnColumn.BENEFITS:
        node.owner, node.measure, node.stakeholder = (
            owner.strip(),
            measure.strip(),
            stakeholder.strip(),
        )
        node.job = _job(node.canvas, job)
        if metric_id is not KEEP:
            node.metric_id = metric_id
    if node_state(node) == before:
        return node
    node.version += 1
    node.full_clean()
    node.save()
    record_event(
        node.canvas, Kind.NODE_CHANGED, actor, before=before, after=node_state(node), undoes=undoes
    )
    return node


@transaction.atomic
def node_remove(
    *, node: BdnNode, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> None:
    """Remove the node and its links; the event keeps both, so undo puts them back."""
    canvas = _network(node.canvas, actor, facilitating)
    node = _locked_node(node)
    links = list(
        BdnLink.objects.filter(canvas=canvas, source=node).values_list("pk", "source", "target")
    ) + list(
        BdnLink.objects.filter(canvas=canvas, target=node).values_list("pk", "source", "target")
    )
    before = {**node_state(node), "version": node.version, "links": links}
    node.delete()
    record_event(
        canvas, Kind.NODE_REMOVED, actor, before=before, after={"area": AREA}, undoes=undoes
    )


@transaction.atomic
def node_restore(
    *, canvas: Canvas, state: dict, actor: User, facilitating: bool = False, undoes=None
) -> BdnNode:
    """Put a removed node back as it was, with its id and the links whose other end still exists."""
    canvas = _network(canvas, actor, facilitating)
    if BdnNode.objects.filter(pk=state["node"]).exists():
        raise ValidationError("That node is already back.")
    node = BdnNode(
        pk=state["node"],
        canvas=canvas,
        column=state["column"],
        label=state["label"],
        position=state["position"],
        owner=state["owner"],
        measure=state["measure"],
        stakeholder=state["stakeholder"],
        job=Job.objects.filter(workspace_id=canvas.workspace_id, pk=state["job"]).first(),
        metric_id=state["metric"],
        version=state.get("version", 1) + 1,
    )
    node.save(force_insert=True)
    ends = {node.pk} | set(
        canvas.bdn_nodes.filter(
            pk__in=[pk for _, s, t in state.get("links", []) for pk in (s, t)]
        ).values_list("pk", flat=True)
    )
    BdnLink.objects.bulk_create(
        BdnLink(pk=pk, canvas=canvas, source_id=source, target_id=target)
        for pk, source, target in state.get("links", [])
        if source in ends and target in ends
    )
    record_event(canvas, Kind.NODE_ADDED, actor, after=node_state(node), undoes=undoes)
    return node


@transaction.atomic
def link_add(
    *,
    canvas: Canvas,
    source: BdnNode | int,
    target: BdnNode | int,
    actor: User,
    facilitating: bool = False,
    undoes: CanvasEvent | None = None,
) -> BdnLink:
    """Link `source` to `target`; only from a column to a later one, once."""
    canvas = _network(canvas, actor, facilitating)
    nodes = {
        node.pk: node
        for node in BdnNode.objects.filter(
            pk__in=[getattr(end, "pk", end) for end in (source, target)]
        )
    }
    source = nodes.get(getattr(source, "pk", source))
    target = nodes.get(getattr(target, "pk", target))
    if source is None or target is None:
        raise ValidationError("One end of that link no longer exists.")
    if source.canvas_id != canvas.pk or target.canvas_id != canvas.pk:
        raise ValidationError("Both ends of a link must be on this network.")
    source_column, target_column = BdnColumn(source.column), BdnColumn(target.column)
    if target_column.order == source_column.order:
        raise ValidationError(
            f"“{source.label}” and “{target.label}” are both {source_column.label.lower()}: "
            "a link must lead to a later column."
        )
    if target_column.order < source_column.order:
        raise ValidationError(
            f"Links run left to right: {source_column.label.lower()} cannot lead to "
            f"{target_column.label.lower()}. Link “{target.label}” to “{source.label}” instead."
        )
    if BdnLink.objects.filter(source=source, target=target).exists():
        raise ValidationError(f"“{source.label}” already leads to “{target.label}”.")
    link = BdnLink.objects.create(canvas=canvas, source=source, target=target)
    record_event(canvas, Kind.LINK_ADDED, actor, after=link_state(link), undoes=undoes)
    return link


@transaction.atomic
def link_remove(
    *, link: BdnLink, actor: User, facilitating: bool = False, undoes: CanvasEvent | None = None
) -> None:
    canvas = _network(link.canvas, actor, facilitating)
    link = BdnLink.objects.select_related("source", "target").filter(pk=link.pk).first()
    if link is None:
        raise ValidationError("That link was already removed.")
    before = link_state(link)
    link.delete()
    record_event(
        canvas, Kind.LINK_REMOVED, actor, before=before, after={"area": AREA}, undoes=undoes
    )


def network_copy(*, source: Canvas, copy: Canvas) -> None:
    """Nodes and links into a new version of the canvas (part of canvas_copy)."""
    nodes = list(source.bdn_nodes.order_by("pk"))
    if not nodes:
        return
    copies = BdnNode.objects.bulk_create(
        BdnNode(
            canvas=copy,
            column=node.column,
            label=node.label,
            position=node.position,
            owner=node.owner,
            measure=node.measure,
            stakeholder=node.stakeholder,
            job_id=node.job_id,
            metric_id=node.metric_id,
        )
        for node in nodes
    )
    new_pk = {node.pk: made.pk for node, made in zip(nodes, copies, strict=True)}
    BdnLink.objects.bulk_create(
        BdnLink(canvas=copy, source_id=new_pk[s], target_id=new_pk[t])
        for s, t in source.bdn_links.values_list("source_id", "target_id")
    )


# --- Undo -----------------------------------------------------------------------------

CHANGED_SINCE = "Someone changed this node after you did; undo would overwrite their change."


def _current(pk) -> BdnNode:
    node = BdnNode.objects.select_related("canvas").filter(pk=pk).first()
    if node is None:
        raise ValidationError("The node of that change no longer exists.")
    return node


def _undo_node_added(event: CanvasEvent, common: dict) -> None:
    node = _current(event.after["node"])
    if node_state(node) != event.after:
        raise ValidationError(CHANGED_SINCE)
    node_remove(node=node, **common)


def _undo_node_changed(event: CanvasEvent, common: dict) -> None:
    node = _current(event.after["node"])
    if node_state(node) != event.after:
        raise ValidationError(CHANGED_SINCE)
    before = event.before
    node_change(
        node=node,
        expected_version=node.version,
        label=before["label"],
        owner=before["owner"],
        measure=before["measure"],
        stakeholder=before["stakeholder"],
        job=before["job"] if Job.objects.filter(pk=before["job"]).exists() else None,
        metric_id=before["metric"],
        **common,
    )


def _undo_node_removed(event: CanvasEvent, common: dict) -> None:
    node_restore(canvas=event.canvas, state=event.before, **common)


def _undo_link_added(event: CanvasEvent, common: dict) -> None:
    link = BdnLink.objects.filter(pk=event.after["link"]).select_related("canvas").first()
    if link is None:
        raise ValidationError("That link was already removed.")
    link_remove(link=link, **common)


def _undo_link_removed(event: CanvasEvent, common: dict) -> None:
    link_add(
        canvas=event.canvas, source=event.before["source"], target=event.before["target"], **common
    )


register_undo(Kind.NODE_ADDED, _undo_node_added)
register_undo(Kind.NODE_CHANGED, _undo_node_changed)
register_undo(Kind.NODE_REMOVED, _undo_node_removed)
register_undo(Kind.LINK_ADDED, _undo_link_added)
register_undo(Kind.LINK_REMOVED, _undo_link_removed)
