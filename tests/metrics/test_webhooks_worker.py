"""Webhooks on a real Celery worker: retries with the (tiny, in tests) configured delays,
Retry-After, giving up, and the beat sweep that queues again what a lost task left."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from metrics.models import WebhookDelivery
from metrics.services.webhooks import webhook_endpoint_create, webhook_send
from metrics.tasks import requeue_lost_webhooks
from metrics.webhooks.signing import verify
from tests.conftest import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker", "webhook_settings"),
]


@pytest.fixture
def endpoint(workspace, owner, receiver):
    endpoint, _secret = webhook_endpoint_create(
        workspace=workspace, name="CRM", url=receiver.url, actor=owner
    )
    return endpoint


def finished(delivery, status):
    return wait_for(
        lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status=status).first(), timeout=30
    )


def test_server_errors_are_retried_on_schedule_until_delivered(endpoint, receiver):
    receiver.answer(500, 503)
    delivery = webhook_send(endpoint=endpoint, event="customer.stuck", data={"customer": "c-7"})
    done = finished(delivery, "delivered")
    assert done.attempts == 3 and done.last_status_code == 200
    first, second, third = receiver.requests
    # The schedule is 0.3 s, 0.6 s, 0.9 s in tests, each ± 10 %.
    assert second.at - first.at >= 0.27
    assert third.at - second.at >= 0.54
    assert first.body == second.body == third.body
    assert json.loads(third.body)["id"] == str(delivery.uuid)
    for request in receiver.requests:  # each attempt signed afresh, each one valid
        assert verify(endpoint.secret, request.body, request.headers["X-Engage-Signature"])


def test_retry_after_is_honoured(endpoint, receiver):
    receiver.answer((429, {"Retry-After": "2"}))
    delivery = webhook_send(endpoint=endpoint, event="customer.stuck", data={})
    finished(delivery, "delivered")
    first, second = receiver.requests
    assert 2.0 <= second.at - first.at < 10  # honoured, not left to the sweep


def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_delay(endpoint, receiver):
    receiver.answer(500, 500, 500, 500, 500)
    delivery = webhook_send(endpoint=endpoint, event="customer.stuck", data={})
    failed = finished(delivery, "failed")
    assert failed.attempts == 4 and failed.last_status_code == 500
    assert failed.next_attempt_at is None
    assert len(receiver.requests) == 4


def test_a_permanent_client_error_is_not_retried(endpoint, receiver):
    receiver.answer(410, 500)
    delivery = webhook_send(endpoint=endpoint, event="customer.stuck", data={})
    failed = finished(delivery, "failed")
    assert failed.attempts == 1 and failed.last_status_code == 410
    with pytest.raises(AssertionError):  # nothing more arrives
        wait_for(lambda: len(receiver.requests) > 1, timeout=1.5)


def test_the_sweep_queues_again_what_lost_tasks_left_behind(workspace, endpoint, receiver):
    long_ago = timezone.now() - dt.timedelta(minutes=5)

    def stored(**fields):  # as a webhook_send whose task never reached a worker leaves it
        return WebhookDelivery.objects.create(
            workspace=workspace,
            endpoint=endpoint,
            event="customer.stuck",
            attempts_allowed=4,
            next_attempt_at=long_ago,
            **fields,
        )

    lost = stored(status="pending")
    cut_off = stored(status="retrying", attempts=2, claimed_until=long_ago)
    last_cut_off = stored(status="retrying", attempts=4, claimed_until=long_ago)
    in_hand = stored(
        status="retrying", attempts=1, claimed_until=timezone.now() + dt.timedelta(minutes=4)
    )
    assert requeue_lost_webhooks() == 2
    assert finished(lost, "delivered").attempts == 1
    assert finished(cut_off, "delivered").attempts == 3
    last_cut_off.refresh_from_db()
    assert last_cut_off.status == "failed"
    assert last_cut_off.last_error == "The last attempt was cut off: its worker went away."
    in_hand.refresh_from_db()
    assert in_hand.status == "retrying" and in_hand.attempts == 1
    assert len(receiver.requests) == 2
