"""A stall rule with a webhook: one signed "customers.stalled" event per pass with the new
alerts, delivered by a real Celery worker to a real receiver, and nothing sent twice."""

import json

import pytest

from metrics.models import Customer, WebhookDelivery
from metrics.services import alerts as services
from metrics.services.position_runs import position_run
from metrics.services.webhooks import webhook_endpoint_create
from metrics.webhooks.signing import verify
from tests.conftest import wait_for
from tests.metrics.conftest import at, customer_with

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker", "webhook_settings"),
]


def test_stalled_customers_reach_the_crm_once(workspace, onboarding, owner, receiver):
    endpoint, _secret = webhook_endpoint_create(
        workspace=workspace, name="CRM", url=receiver.url, actor=owner
    )
    services.orchestration_rule_create(
        workspace=workspace,
        actor=owner,
        stage=onboarding.signup,
        trigger="behind",
        webhook=endpoint,
    )
    for name in ("ada", "bob"):
        customer_with(workspace, name, ("Signed up", 0))
    customer_with(workspace, "cy", ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"}))

    position_run(workspace=workspace, now=at(30))
    delivered = wait_for(
        lambda: WebhookDelivery.objects.filter(status="delivered").first(), timeout=30
    )
    [request] = receiver.requests
    assert verify(endpoint.secret, request.body, request.headers["X-Engage-Signature"])
    body = json.loads(request.body)
    assert (body["event"], body["id"]) == ("customers.stalled", str(delivered.uuid))
    assert body["data"]["place"] == "Sign up (Onboarding)"
    alerts = body["data"]["alerts"]
    assert sorted(a["customer"] for a in alerts) == ["ada", "bob"]
    assert {a["health"] for a in alerts} == {"behind"}
    ada = next(a for a in alerts if a["customer"] == "ada")
    ada_pk = Customer.objects.get(external_id="ada").pk
    assert ada["url"].endswith(f"/w/{workspace.slug}/metrics/customers/{ada_pk}/")

    position_run(workspace=workspace, now=at(31))  # the same stalls: nothing new to tell
    assert WebhookDelivery.objects.count() == 1
