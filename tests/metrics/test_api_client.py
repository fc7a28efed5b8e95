"""The official `segment-analytics-python` client, pointed at Engage, stores what it sends."""

import datetime as dt
import threading
import time

import pytest
from segment.analytics import Client, request
from segment.analytics.request import APIError

from metrics.models import Customer, InteractionEvent
from metrics.services.keys import write_key_create, write_key_revoke
from tests.engage.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _hang_up():
    """The client keeps one HTTP connection alive for the process; the live server's thread
    serving it holds a database connection until it is closed."""
    yield
    request._session.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def client_for(live_server, secret, **options):
    errors = []
    client = Client(
        write_key=secret,
        host=live_server.url + "/ingest",
        on_error=lambda error, batch: errors.append(error),
        max_retries=0,
        **options,
    )
    return client, errors


@pytest.mark.parametrize("gzip", [False, True])
def test_the_segment_client_batches_arrive_as_events_and_traits(live_server, gzip):
    workspace = WorkspaceFactory()
    _, secret = write_key_create(workspace=workspace, name="Python", actor=None)
    client, errors = client_for(live_server, secret, gzip=gzip, upload_size=50)
    client.identify("c-1", {"email": "ada@example.com", "plan": "pro", "consent": True})
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    for n in range(120):
        client.track("c-1", "Order placed", {"n": n, "channel": "web"}, timestamp=at)
    client.page(anonymous_id="anon-1", name="Pricing")
    client.screen("c-1", name="Home", properties={"channel": "mobile_app"})
    client.group("c-1", "acme")
    client.alias("anon-1", "c-1")
    client.flush()
    client.join()
    assert errors == []
    events = InteractionEvent.objects.in_workspace(workspace)
    assert events.filter(event="Order placed", channel="web", timestamp=at).count() == 120
    assert sorted(events.exclude(event="Order placed").values_list("event", "anonymous_id")) == [
        ("Viewed Home", ""),
        ("Viewed Pricing", "anon-1"),
    ]
    customer = Customer.objects.get(workspace=workspace)
    assert (customer.external_id, customer.email, customer.consent) == (
        "c-1",
        "ada@example.com",
        True,
    )
    assert customer.traits["plan"] == "pro"


def test_the_client_sees_a_revoked_key_as_a_401(live_server):
    workspace = WorkspaceFactory()
    key, secret = write_key_create(workspace=workspace, name="Python", actor=None)
    write_key_revoke(key=key)
    client, _ = client_for(live_server, secret, sync_mode=True)
    refused = None
    try:
        client.track("c-1", "Order placed")
    except APIError as error:  # not pytest.raises: its traceback would keep the socket open
        refused = (error.status, error.code)
    assert refused == (401, "unauthorized")
    assert InteractionEvent.objects.count() == 0


def test_a_message_sent_twice_by_the_client_is_stored_once(live_server):
    workspace = WorkspaceFactory()
    _, secret = write_key_create(workspace=workspace, name="Python", actor=None)
    client, _ = client_for(live_server, secret, sync_mode=True)
    for _ in range(2):
        client.track("c-1", "Signed up", message_id="fixed-id")
    assert InteractionEvent.objects.in_workspace(workspace).get().message_id == "fixed-id"
