from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from canvases import trace
from engage.access import workspace_access
from engage.models import Job
from engage.panels import panels_for
from engage.roles import Capability


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def job_trace(request, job):
    """One page for the chain from persona to objectives, linking to every canvas on it."""
    job = get_object_or_404(Job.objects.in_workspace(request.workspace), pk=job)
    context = {
        "job": job,
        **trace.job_trace(job),
        "extensions": panels_for(trace.TRACE_PAGE, request, job),
    }
    return TemplateResponse(request, "canvases/trace.html", context)
