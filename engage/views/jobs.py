from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from engage import selectors, services
from engage.access import workspace_access
from engage.forms import JobForm, JobQuickForm
from engage.models import Job
from engage.panels import panels_for
from engage.roles import Capability

from .responses import template_for

LIST_PARTIALS = frozenset({"job-section"})


def _job(request, pk) -> Job:
    return get_object_or_404(
        Job.objects.in_workspace(request.workspace).select_related("parent"), pk=pk
    )


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.EDIT)
def job_list(request):
    form = JobQuickForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.job_create(
            workspace=request.workspace, created_by=request.user, **form.cleaned_data
        )
        if not request.htmx:
            messages.success(request, f"Job “{job.statement}” added.")
            return redirect("job_list", workspace=request.workspace.slug)
        form = JobQuickForm()
    context = {"jobs": selectors.job_tree(request.workspace), "form": form, "kinds": Job.Kind}
    template = template_for(request, "engage/jobs/list.html", "job-section", LIST_PARTIALS)
    return TemplateResponse(request, template, context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def job_create(request):
    initial = (
        {"parent": request.GET.get("parent")} if request.GET.get("parent", "").isdigit() else None
    )
    form = JobForm(request.POST or None, initial=initial, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        job = services.job_create(
            workspace=request.workspace, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, "Job created.")
        return redirect(job)
    return TemplateResponse(request, "engage/jobs/form.html", {"form": form})


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def job_detail(request, job):
    job = _job(request, job)
    context = {
        "job": job,
        "ancestors": list(job.ancestors())[::-1],
        "children": job.children.order_by("verb", "object"),
        "personas": job.personas.select_related("segment"),
        "panels": panels_for("job_detail", request, job),
    }
    return TemplateResponse(request, "engage/jobs/detail.html", context)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def job_edit(request, job):
    job = _job(request, job)
    form = JobForm(request.POST or None, instance=job, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.job_update(job=job, **form.cleaned_data)
        messages.success(request, "Job saved.")
        return redirect(job)
    return TemplateResponse(request, "engage/jobs/form.html", {"form": form, "job": job})


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def job_delete(request, job):
    job = _job(request, job)
    if request.method == "POST":
        services.job_delete(job=job)
        messages.success(request, "Job deleted; its smaller jobs now stand on their own.")
        return redirect("job_list", workspace=request.workspace.slug)
    context = {
        "kind": "job",
        "thing": job.statement,
        "consequence": "Its smaller jobs stay, no longer part of a bigger job.",
        "cancel_url": job.get_absolute_url(),
    }
    return TemplateResponse(request, "engage/confirm_delete.html", context)
