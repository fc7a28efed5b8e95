"""Editing a benefits dependency network: POST-only actions from the editor panel.

htmx requests get the network's areas back out of band; plain posts go back to the board.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from canvases import services
from canvases.bdn.forms import LinkAddForm, NodeAddForm, NodeChangeForm, first_error
from canvases.bdn.measures import measure_source
from canvases.models import BdnLink, BdnNode
from canvases.services.bdn import KEEP
from engage.access import workspace_access
from engage.roles import Capability

from .board import panel_write_response
from .common import facilitating, get_canvas


def _node(request, pk) -> BdnNode:
    return get_object_or_404(
        BdnNode.objects.filter(canvas__workspace=request.workspace).select_related(
            "canvas__workspace", "canvas__persona", "canvas__job"
        ),
        pk=pk,
    )


def _metric_id(request, node: BdnNode, choice: str):
    """The metric the benefit's form binds (its source checks the choice), or KEEP when
    the form had no metric field."""
    source = measure_source()
    if source is None or "metric" not in request.POST:
        return KEEP
    return source.bind(node.canvas.workspace_id, choice) if choice else None


def _respond(request, canvas, *, error: str = "", done: str = "", anchor: str = "area-editor"):
    errors = [error] if error else []
    return panel_write_response(request, canvas, "network", errors=errors, done=done, anchor=anchor)


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def node_add(request, canvas):
    canvas = get_canvas(request, canvas)
    form = NodeAddForm(request.POST)
    if not form.is_valid():
        return _respond(request, canvas, error="Type a label before adding a node.")
    try:
        services.node_add(
            canvas=canvas,
            actor=request.user,
            facilitating=facilitating(request),
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _respond(request, canvas, error=error.messages[0])
    return _respond(request, canvas, done="Node added.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def node_change(request, node):
    node = _node(request, node)
    form = NodeChangeForm(request.POST)
    if not form.is_valid():
        return _respond(request, node.canvas, error=first_error(form))
    data = form.cleaned_data
    try:
        services.node_change(
            node=node,
            metric_id=_metric_id(request, node, data["metric"]),
            actor=request.user,
            expected_version=data["version"],
            label=data["label"],
            owner=data["owner"],
            measure=data["measure"],
            stakeholder=data["stakeholder"],
            job=data["job"],
            facilitating=facilitating(request),
        )
    except services.EditConflict as conflict:
        return _respond(
            request,
            node.canvas,
            error=f"Not saved: someone changed this node while you were editing it; it now "
            f"reads “{conflict.current_text}”. Make your change again if it is still needed.",
        )
    except ValidationError as error:
        return _respond(request, node.canvas, error=error.messages[0])
    return _respond(request, node.canvas, done="Node saved.", anchor=f"bdn-item-{node.pk}")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def node_remove(request, node):
    node = _node(request, node)
    canvas = node.canvas
    try:
        services.node_remove(node=node, actor=request.user, facilitating=facilitating(request))
    except ValidationError as error:
        return _respond(request, canvas, error=error.messages[0])
    return _respond(request, canvas, done="Node removed. Undo brings it back with its links.")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def link_add(request, node):
    node = _node(request, node)
    form = LinkAddForm(request.POST)
    if not form.is_valid():
        return _respond(request, node.canvas, error="Choose the node this one leads to.")
    try:
        services.link_add(
            canvas=node.canvas,
            source=node,
            target=form.cleaned_data["target"],
            actor=request.user,
            facilitating=facilitating(request),
        )
    except ValidationError as error:
        return _respond(request, node.canvas, error=error.messages[0])
    return _respond(request, node.canvas, done="Linked.", anchor=f"bdn-item-{node.pk}")


@require_http_methods(["POST"])
@workspace_access(get=Capability.PARTICIPATE, post=Capability.PARTICIPATE)
def link_remove(request, link):
    link = get_object_or_404(
        BdnLink.objects.filter(canvas__workspace=request.workspace).select_related(
            "canvas__workspace", "canvas__persona", "canvas__job"
        ),
        pk=link,
    )
    canvas = link.canvas
    try:
        services.link_remove(link=link, actor=request.user, facilitating=facilitating(request))
    except ValidationError as error:
        return _respond(request, canvas, error=error.messages[0])
    return _respond(request, canvas, done="Link removed.")
