"""Customers: a searchable list, and each customer's one picture (profile, where they
stand, open alerts, and the timeline of everything they did), filterable by channel."""

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.roles import Capability
from journeys.models import Channel
from metrics.models import Alert, Customer
from metrics.selectors.customers import customer_search, customer_timeline
from metrics.selectors.positions import customer_positions

PER_PAGE = 50


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def customer_list(request):
    text = request.GET.get("q", "")[:120]
    page = Paginator(customer_search(request.workspace, text), PER_PAGE).get_page(
        request.GET.get("page", 1)
    )
    context = {"page": page, "q": text}
    return TemplateResponse(request, "metrics/customers.html", context)


def _before(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def customer_detail(request, customer):
    customer = get_object_or_404(
        Customer.objects.select_related("segment", "persona"),
        workspace=request.workspace,
        pk=customer,
    )
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    moments, older = customer_timeline(
        customer, channel=channel, before=_before(request.GET.get("before", ""))
    )
    context = {
        "customer": customer,
        "moments": moments,
        "older": older,
        "channel": channel,
        "channels": Channel.choices,
        "positions": customer_positions(customer),
        "alerts": list(
            Alert.objects.filter(customer=customer, status=Alert.Status.OPEN).select_related(
                "stage", "job_state", "assignee"
            )
        ),
        "traits": sorted(customer.traits.items()),
    }
    partial = "#timeline" if request.htmx and not request.htmx.boosted else ""
    response = TemplateResponse(request, f"metrics/customer_detail.html{partial}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
