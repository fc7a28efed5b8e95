"""How the event API stores a batch: COPY straight in, through the staging table when a
message id is stored already, bulk_create where there is no COPY (the embedded SQLite),
and every number read and stored exactly."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from metrics.api import pgcopy, store
from metrics.api.messages import Event, Identify
from metrics.models import Customer, InteractionEvent
from metrics.services.keys import write_key_create
from tests.metrics.test_api import post, track

REPO = Path(__file__).resolve().parents[2]
AT = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def key(workspace):
    return write_key_create(workspace=workspace, name="Web", actor=None)


@pytest.fixture(params=["copy", "bulk_create"])
def path(request, monkeypatch):
    """Both ways events are stored: COPY, and bulk_create, which the embedded SQLite uses
    (taken here on PostgreSQL by not counting it among the COPY vendors)."""
    if request.param == "bulk_create":
        monkeypatch.setattr(store, "COPY_VENDORS", frozenset())
    return request.param


def stored():
    return sorted(InteractionEvent.objects.values_list("message_id", "event"))


def test_a_batch_partly_stored_already_stores_the_rest_once(client, key, path):
    assert post(client, key[1], {"batch": [track(0), track(1)]}).status_code == 200
    batch = [track(1, event="Resent"), track(2), track(2), track(3)]
    assert post(client, key[1], {"batch": batch}).status_code == 200
    assert stored() == [(f"m-{n}", "Order placed") for n in range(4)]
    assert Customer.objects.count() == 1


def test_customer_ids_with_quotes_braces_and_commas_are_found_again(client, key, path):
    ids = ["o'brien", 'say "hi"', "back\\slash", "{a,b}", "NULL", "ü 42"]
    for round_ in range(2):  # created, then found
        batch = [track(10 * round_ + n, userId=user) for n, user in enumerate(ids)]
        assert post(client, key[1], {"batch": batch}).status_code == 200
    assert sorted(Customer.objects.values_list("external_id", flat=True)) == sorted(ids)
    for user in ids:
        assert Customer.objects.get(external_id=user).events.count() == 2


def test_a_message_repeated_within_a_new_batch_is_stored_once(client, key, path):
    assert post(client, key[1], {"batch": [track(0), track(0), track(1)]}).status_code == 200
    assert [message_id for message_id, _ in stored()] == ["m-0", "m-1"]


def test_a_resent_batch_with_a_new_customer_is_stored_whole_once(client, key, path):
    """A stored message id sends the batch through the staging table in a new transaction:
    the customer it creates and the traits it merges are there once, not twice, not lost."""
    assert post(client, key[1], {"batch": [track(0, userId="c1")]}).status_code == 200
    identify = {
        "type": "identify",
        "messageId": "i-1",
        "userId": "c9",
        "traits": {"plan": "pro", "seats": 3},
        "timestamp": "2026-03-02T00:00:00Z",
    }
    batch = [identify, track(0, userId="c1"), track(1, userId="c9")]
    assert post(client, key[1], {"batch": batch}).status_code == 200
    assert post(client, key[1], {"batch": batch}).status_code == 200
    new = Customer.objects.get(external_id="c9")
    assert new.traits == {"plan": "pro", "seats": 3}
    assert new.created_at == AT  # its track is earlier than its identify
    assert sorted(InteractionEvent.objects.values_list("message_id", "customer__external_id")) == [
        ("m-0", "c1"),
        ("m-1", "c9"),
    ]


def event(message_id, user_id="c1", anonymous_id=""):
    return Event(message_id, user_id, anonymous_id, "Order placed", "web", AT, {"n": 1})


def test_a_batch_the_database_refuses_stores_nothing(workspace, path):
    store.batch_store(workspace_id=workspace.pk, events=[event("a")], identifies=[])
    refused = [event("a"), event("b", user_id="c2"), event("nobody", user_id="")]
    with pytest.raises((IntegrityError, psycopg.IntegrityError)):  # "nobody" has no one
        store.batch_store(
            workspace_id=workspace.pk, events=refused, identifies=[Identify("c3", AT, {"x": 1})]
        )
    assert stored() == [("a", "Order placed")]
    assert list(Customer.objects.values_list("external_id", "traits")) == [("c1", {})]


def test_a_staged_batch_that_fails_leaves_nothing_staged_for_the_next(workspace):
    if connection.vendor != "postgresql":
        pytest.skip("the staging table is PostgreSQL's")
    customers = {
        "c1": Customer.objects.create(workspace=workspace, external_id="c1", created_at=AT).pk
    }
    refused = [event("a"), event("nobody", user_id="")]
    with pytest.raises(IntegrityError), transaction.atomic():
        pgcopy.events_copy_new(workspace_id=workspace.pk, events=refused, customer_ids=customers)
    pgcopy.events_copy_new(workspace_id=workspace.pk, events=[event("b")], customer_ids=customers)
    assert stored() == [("b", "Order placed")]


def test_whole_numbers_past_64_bits_are_stored_exactly(client, key):
    properties = {"big": 123456789012345678901234567890, "low": -9223372036854775809, "x": 0.1}
    assert post(client, key[1], {"batch": [track(properties=properties)]}).status_code == 200
    assert InteractionEvent.objects.get().properties == properties


@pytest.mark.parametrize(
    "value", [b"NaN", b"-Infinity", b"1e400", b"[1e400, 12345678901234567890123]"]
)
def test_numbers_json_cannot_hold_are_refused(client, key, value):
    body = b'{"batch": [{"type": "track", "userId": "u", "event": "e", "properties": {"v": '
    response = post(client, key[1], body + value + b"}}]}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"
    assert InteractionEvent.objects.count() == 0


def test_a_utf8_body_may_start_with_a_byte_order_mark(client, key):
    body = b"\xef\xbb\xbf" + json.dumps({"batch": [track()]}).encode()
    assert post(client, key[1], body).status_code == 200
    assert InteractionEvent.objects.count() == 1


def test_the_32_kb_limit_counts_the_bytes_of_utf8_json(client, key):
    """“é” is two bytes of UTF-8 (six as \\u00e9): 16,000 of them fit, 17,000 don't."""
    fits = track(0, properties={"text": "é" * 16_000})
    assert post(client, key[1], {"batch": [fits]}).status_code == 200
    too_big = track(1, properties={"text": "é" * 17_000})
    response = post(client, key[1], {"batch": [too_big]})
    assert response.status_code == 413 and response.json()["code"] == "message_too_large"


EMBEDDED = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from engage.models import Workspace
from metrics.models import InteractionEvent
from metrics.services.keys import write_key_create
call_command("migrate", verbosity=0)
_, secret = write_key_create(workspace=Workspace.objects.create(name="W", slug="w"), name="K", actor=None)
track = {"type": "track", "userId": "c1", "event": "Signed in", "properties": {"n": 1}}
batch = [{**track, "messageId": "m-0"}, {**track, "messageId": "m-1"}, {**track, "messageId": "m-1"}]
statuses = [
    Client().post("/ingest/v1/batch", json.dumps({"batch": batch, "writeKey": secret}),
                  content_type="application/json").status_code
    for _ in range(2)
]
print(json.dumps({"statuses": statuses, "stored": sorted(
    InteractionEvent.objects.values_list("message_id", "customer__external_id"))}))
"""


def test_the_embedded_sqlite_run_stores_events_once(tmp_path):
    """`make run` with nothing configured: SQLite, no COPY, no Redis."""
    unset = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env |= {
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    env["DJANGO_SETTINGS_MODULE"] = "engage.settings"
    run = subprocess.run(
        [sys.executable, "-c", EMBEDDED], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == {
        "statuses": [200, 200],
        "stored": [["m-0", "c1"], ["m-1", "c1"]],
    }
