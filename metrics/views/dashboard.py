"""The metrics dashboard: cards and trends for a period and slice, its PDF, and the
"Recompute now" button with the progress it polls.

htmx requests get the region they swap (cards and charts, or the run status) back; the
same URLs serve whole pages, and POSTs redirect, when JavaScript is off.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods
from django_htmx.http import trigger_client_event

from canvases.pdf import pdf_download, render_document
from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.roles import Capability
from metrics.models import MetricsRun
from metrics.selectors import snapshot_span
from metrics.services.runs import MetricsBusy, metrics_run_request
from metrics.views.context import dashboard_context, latest_run
from metrics.views.filters import PERIODS, DashboardFilters, query_string, window

PDF_STYLES = ("css/print.css", "css/metrics.css")
COMPUTED_EVENT = "metrics-computed"


def filtered_context(request) -> dict:
    """The dashboard for the request's filters; invalid filters show all time, with why."""
    form = DashboardFilters(request.GET or None, workspace=request.workspace)
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or "all"
    start, end, previous = window(period, data.get("start"), data.get("end"), timezone.localdate())
    return {
        "filters": form,
        "period_label": dict(PERIODS)[period],
        "query": query_string(request.GET),
        **dashboard_context(
            request.workspace,
            start=start,
            end=end,
            previous=previous,
            segment=data.get("segment"),
            persona=data.get("persona"),
        ),
    }


def run_context(request, run: MetricsRun | None, query: str = "", **extra) -> dict:
    return {
        "run": run,
        "busy": bool(run and run.status in (MetricsRun.Status.QUEUED, MetricsRun.Status.RUNNING)),
        "can_edit": request.membership.can(Capability.EDIT),
        "query": query,
        **extra,
    }


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def dashboard(request):
    run = latest_run(request.workspace)
    context = filtered_context(request)
    context |= run_context(request, run, query=context["query"])
    partial = "#dashboard" if request.htmx and not request.htmx.boosted else ""
    response = TemplateResponse(request, f"metrics/index.html{partial}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _status_response(request, run, query: str, **extra) -> TemplateResponse:
    """The run status region; when the run has finished, the cards are told to reload."""
    computed_at = snapshot_span(request.workspace)[2]
    context = run_context(request, run, query=query, computed_at=computed_at, **extra)
    response = TemplateResponse(request, "metrics/index.html#run", context)
    if run and run.status == MetricsRun.Status.DONE and not context["busy"]:
        trigger_client_event(response, COMPUTED_EVENT)
    return response


@require_http_methods(["POST"])
@workspace_access(get=Capability.EDIT, post=Capability.EDIT)
def recompute(request):
    notice, level, query = "", messages.INFO, query_string(request.POST.get("query", ""))
    try:
        run = metrics_run_request(workspace=request.workspace, actor=request.user, enqueue=True)
        run.refresh_from_db()  # without a broker the run has finished already
    except MetricsBusy as busy:
        run, notice = latest_run(request.workspace), str(busy)
    except BrokerUnavailable as down:
        run, notice, level = latest_run(request.workspace), str(down), messages.ERROR
    if not request.htmx:
        if notice:
            messages.add_message(request, level, notice)
        else:
            messages.success(request, "Recomputing the metrics.")
        url = reverse("metrics:index", args=[request.workspace.slug])
        return redirect(f"{url}?{query}" if query else url)
    return _status_response(request, run, query, notice=notice)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def run_progress(request, run):
    run = get_object_or_404(MetricsRun, workspace=request.workspace, pk=run)
    if request.htmx:
        response = _status_response(request, run, query_string(request.GET))
    else:
        response = redirect("metrics:index", request.workspace.slug)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def dashboard_pdf(request):
    context = {
        **filtered_context(request),
        "workspace": request.workspace,
        "generated_at": timezone.now(),
        "is_print": True,
    }
    html = render_to_string("metrics/pdf.html", context)
    filename = f"{slugify(request.workspace.name) or 'workspace'}-metrics.pdf"
    return pdf_download(render_document(html, PDF_STYLES).write_pdf(), filename)
