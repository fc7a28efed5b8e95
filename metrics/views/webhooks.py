"""The webhooks page: owners register endpoints (the secret shown once), rotate a secret,
disable or enable an endpoint and send it a test event; everyone who reads the workspace
reads the delivery log, filtered by endpoint and status, and a delivery's payload. Owners
retry a failed delivery.

htmx requests for the log (filters, pages) and a delivery get that region back; the same
URLs serve whole pages, and POSTs redirect, without JavaScript.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from engage.access import workspace_access
from engage.broker import BrokerUnavailable
from engage.roles import Capability
from engage.views.responses import template_for
from metrics.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from metrics.services import webhooks as services

PAGE = "metrics/webhooks.html"
PAGE_SIZE = 25
SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


class EndpointForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What receives the events, e.g. “CRM”.")
    url = forms.URLField(
        label="URL",
        max_length=500,
        help_text="Engage POSTs signed JSON events here: a public http(s) address.",
    )


class LogFilters(forms.Form):
    endpoint = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, widget=SELECT)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *DeliveryStatus.choices], required=False, widget=SELECT
    )

    def __init__(self, data, *, endpoints):
        super().__init__(data)
        self.fields["endpoint"].choices = [("", "All endpoints")] + [
            (endpoint.pk, endpoint.name) for endpoint in endpoints
        ]


def _kept(data) -> QueryDict:
    """The log's own parameters of a query (filters and page), nothing else."""
    kept = QueryDict(data, mutable=True) if isinstance(data, str) else data.copy()
    for name in list(kept):
        if name not in ("endpoint", "status", "page"):
            del kept[name]
    return kept


def _log_context(request, endpoints) -> dict:
    """One page of the workspace's deliveries, newest first, under the request's filters
    (invalid ones are ignored), and the query string that keeps them for links."""
    filters = LogFilters(request.GET, endpoints=endpoints)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    deliveries = WebhookDelivery.objects.in_workspace(request.workspace)
    if chosen.get("endpoint"):
        deliveries = deliveries.filter(endpoint_id=chosen["endpoint"])
    if chosen.get("status"):
        deliveries = deliveries.filter(status=chosen["status"])
    deliveries = deliveries.select_related("endpoint").defer("payload")
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _kept(request.GET)
    query.pop("page", None)
    here = query.copy()
    if page.number > 1:
        here["page"] = page.number
    return {
        "filters": filters,
        "deliveries": page,
        "query": query.urlencode(),
        "here": here.urlencode(),
    }


def _page(request, template: str = PAGE, **extra) -> TemplateResponse:
    endpoints = list(WebhookEndpoint.objects.in_workspace(request.workspace))
    context = {
        "endpoints": endpoints,
        "can_manage": request.membership.can(Capability.MANAGE),
        "form": EndpointForm(),
        **_log_context(request, endpoints),
        **extra,
    }
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if "secret" in extra:  # in this one response only: never cached, never stored
        response["Cache-Control"] = "no-store"
    return response


def _endpoint(request, pk) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint.objects.in_workspace(request.workspace), pk=pk)


def _delivery(request, pk) -> WebhookDelivery:
    return get_object_or_404(
        WebhookDelivery.objects.in_workspace(request.workspace).select_related(
            "endpoint", "workspace"
        ),
        pk=pk,
    )


def _back(request):
    url = reverse("metrics:webhooks", args=[request.workspace.slug])
    query = _kept(request.POST.get("query", "")).urlencode()
    return redirect(f"{url}?{query}" if query else url)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.VIEW, post=Capability.MANAGE)
def webhooks(request):
    """A created endpoint's secret is in this one response, so this POST renders, not
    redirects: the secret never goes into the session for a redirect to pick up."""
    if request.method == "GET":
        return _page(request, template_for(request, PAGE, "log", frozenset({"log"})))
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(
                workspace=request.workspace, actor=request.user, **form.cleaned_data
            )
        except ValidationError as refused:
            form.add_error(None, refused)  # by field
        else:
            return _page(request, secret=secret, secret_for=endpoint)
    return _page(request, form=form)


@require_http_methods(["GET", "POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def webhook_rotate(request, endpoint):
    endpoint = _endpoint(request, endpoint)
    if request.method == "GET":
        return _page(request, rotating=endpoint)
    secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
    return _page(request, secret=secret, secret_for=endpoint, rotated=True)


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def webhook_active(request, endpoint):
    endpoint = _endpoint(request, endpoint)
    active = request.POST.get("active") == "1"
    services.webhook_endpoint_set_active(endpoint=endpoint, active=active)
    messages.success(
        request, f"“{endpoint.name}” {'receives events again' if active else 'is disabled'}."
    )
    return _back(request)


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def webhook_test(request, endpoint):
    endpoint = _endpoint(request, endpoint)
    try:
        services.webhook_endpoint_test(endpoint=endpoint)
    except (services.WebhookRefused, BrokerUnavailable) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"A test event is on its way to “{endpoint.name}”.")
    return _back(request)


@require_http_methods(["GET"])
@workspace_access(get=Capability.VIEW)
def webhook_delivery(request, delivery):
    delivery = _delivery(request, delivery)
    body = json.dumps(json.loads(services.delivery_body(delivery)), indent=2, ensure_ascii=False)
    page = "metrics/webhook_delivery.html"
    template = template_for(request, page, "row", frozenset({"row"}))
    context = {"delivery": delivery, "body": body}
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["POST"])
@workspace_access(get=Capability.MANAGE, post=Capability.MANAGE)
def webhook_retry(request, delivery):
    delivery = _delivery(request, delivery)
    try:
        services.webhook_retry(delivery=delivery)
    except (services.WebhookRefused, BrokerUnavailable) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Delivery of {delivery.event} queued again.")
    return _back(request)
