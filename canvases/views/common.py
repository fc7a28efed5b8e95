from django.shortcuts import get_object_or_404

from canvases.models import Canvas
from engage.roles import Capability


def get_canvas(request, pk) -> Canvas:
    return get_object_or_404(
        Canvas.objects.in_workspace(request.workspace).select_related(
            "persona", "job", "workspace"
        ),
        pk=pk,
    )


def facilitating(request) -> bool:
    return request.membership.can(Capability.EDIT)
