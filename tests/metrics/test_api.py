"""The event API through HTTP: keys, every message type, dedupe, limits, nothing half-way."""

import base64
import datetime as dt
import gzip
import json

import pytest
from django.utils import timezone

from metrics.models import Customer, InteractionEvent, WriteKey
from metrics.services.keys import write_key_create, write_key_revoke
from tests.engage.factories import WorkspaceFactory

BATCH = "/ingest/v1/batch"


@pytest.fixture
def key(workspace, owner):
    return write_key_create(workspace=workspace, name="Web", actor=owner)


def basic(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}


def track(n=0, **fields):
    return {
        "type": "track",
        "messageId": f"m-{n}",
        "userId": "c1",
        "anonymousId": None,
        "event": "Order placed",
        "properties": {"total": 12.5},
        "timestamp": "2026-03-01T09:30:00.000+00:00",
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
        **fields,
    }


def post(client, secret, body, url=BATCH, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **basic(secret), **headers)


def rows():
    return (
        InteractionEvent.objects.count(),
        list(Customer.objects.order_by("pk").values_list("external_id", "traits", "email")),
    )


def test_basic_auth_stores_a_track_as_an_event_of_a_new_customer(client, workspace, key):
    response = post(client, key[1], {"batch": [track(properties={"channel": "Web"})]})
    assert response.status_code == 200 and response.json() == {"success": True}
    event = InteractionEvent.objects.get()
    assert (event.workspace, event.event, event.channel, event.message_id) == (
        workspace,
        "Order placed",
        "web",
        "m-0",
    )
    assert event.customer.external_id == "c1" and event.customer.workspace == workspace
    assert (
        event.customer.created_at
        == event.timestamp
        == dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    )
    assert event.properties == {"channel": "Web"}


def test_write_key_in_the_body_is_enough(client, workspace, key):
    body = {"batch": [track()], "writeKey": key[1]}
    response = client.post(BATCH, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert InteractionEvent.objects.in_workspace(workspace).count() == 1


@pytest.mark.parametrize(
    "auth",
    [
        {},
        basic("ek_not-a-key"),
        basic("someone-elses"),
        {"HTTP_AUTHORIZATION": "Basic !!!"},
        {"HTTP_AUTHORIZATION": "Bearer ek_x"},
    ],
)
def test_no_or_a_wrong_key_is_401_and_stores_nothing(client, key, auth):
    body = json.dumps({"batch": [track()], "writeKey": None if auth else "ek_wrong"})
    response = client.post(BATCH, body, content_type="application/json", **auth)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized" and response.json()["message"]
    assert InteractionEvent.objects.count() == 0


def test_a_wrong_header_is_not_rescued_by_a_right_body_key(client, key):
    body = json.dumps({"batch": [track()], "writeKey": key[1]})
    response = client.post(BATCH, body, content_type="application/json", **basic("ek_wrong"))
    assert response.status_code == 401


def test_a_revoked_key_is_refused_at_once_even_after_being_used(client, key):
    assert post(client, key[1], {"batch": [track(0)]}).status_code == 200  # now cached
    write_key_revoke(key=key[0])
    response = post(client, key[1], {"batch": [track(1)]})
    assert response.status_code == 401
    assert InteractionEvent.objects.count() == 1


def test_another_workspaces_key_writes_into_its_own_workspace_only(client, workspace, key):
    other = WorkspaceFactory()
    _, other_secret = write_key_create(workspace=other, name="Theirs", actor=None)
    assert (
        post(
            client,
            other_secret,
            {"batch": [track(), {**track(1), "type": "identify", "traits": {"plan": "x"}}]},
        ).status_code
        == 200
    )
    assert InteractionEvent.objects.in_workspace(workspace).count() == 0
    assert Customer.objects.in_workspace(workspace).count() == 0
    assert InteractionEvent.objects.in_workspace(other).get().customer.workspace == other
    # the same customer id and message id in this workspace are a different customer and event
    assert post(client, key[1], {"batch": [track()]}).status_code == 200
    assert Customer.objects.filter(external_id="c1").count() == 2
    assert InteractionEvent.objects.filter(message_id="m-0").count() == 2


def test_a_resent_batch_is_stored_once(client, key):
    body = {"batch": [track(0), track(1), track(1)]}
    assert post(client, key[1], body).status_code == 200
    assert post(client, key[1], body).status_code == 200
    assert InteractionEvent.objects.count() == 2 and Customer.objects.count() == 1


def test_anonymous_events_have_no_customer(client, key):
    post(client, key[1], {"batch": [track(userId=None, anonymousId="anon-7")]})
    event = InteractionEvent.objects.get()
    assert event.customer is None and event.anonymous_id == "anon-7"
    assert Customer.objects.count() == 0


def test_page_and_screen_are_viewed_events_and_channel_may_come_from_context(client, key):
    batch = [
        track(0, type="page", name="Pricing", event=None, context={"channel": "web"}),
        track(1, type="screen", name="Home", event=None, properties={"channel": "mobile-app"}),
        track(2, type="page", event=None, properties={"channel": "carrier pigeon"}),
    ]
    assert post(client, key[1], {"batch": batch}).status_code == 200
    stored = InteractionEvent.objects.order_by("message_id")
    assert [(event.event, event.channel) for event in stored] == [
        ("Viewed Pricing", "web"),
        ("Viewed Home", "mobile_app"),
        ("Viewed page", ""),
    ]
    assert stored[0].properties["name"] == "Pricing"


def test_group_and_alias_are_acknowledged_and_ignored(client, key):
    batch = [
        {"type": "group", "messageId": "g", "userId": "c1", "groupId": "acme", "traits": {}},
        {"type": "alias", "messageId": "a", "userId": "c1", "previousId": "anon-1"},
    ]
    assert post(client, key[1], {"batch": batch}).status_code == 200
    assert rows() == (0, [])


def test_identify_creates_then_merges_traits_email_and_consent(client, workspace, key):
    first = {
        "type": "identify",
        "messageId": "i1",
        "userId": "c1",
        "traits": {"plan": "basic", "email": "ada@example.com", "seats": 3},
        "timestamp": "2026-03-01T09:00:00Z",
    }
    assert post(client, key[1], {"batch": [first]}).status_code == 200
    customer = Customer.objects.get()
    assert (customer.email, customer.consent, customer.traits["plan"]) == (
        "ada@example.com",
        False,
        "basic",
    )
    second = {
        "type": "identify",
        "messageId": "i2",
        "userId": "c1",
        "traits": {"plan": "pro", "consent": True},
        "timestamp": "2026-03-02T09:00:00Z",
    }
    assert post(client, key[1], second, url="/ingest/v1/identify").status_code == 200
    customer.refresh_from_db()
    assert customer.traits == {
        "plan": "pro",
        "email": "ada@example.com",
        "seats": 3,
        "consent": True,
    }
    assert (customer.email, customer.consent) == ("ada@example.com", True)
    assert customer.created_at == dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    third = {
        "type": "identify",
        "messageId": "i3",
        "userId": "c1",
        "traits": {"email_opt_in": "no"},
    }
    post(client, key[1], {"batch": [third]})
    customer.refresh_from_db()
    assert customer.consent is False and customer.traits["plan"] == "pro"


def test_identify_in_one_batch_applies_in_timestamp_order(client, key):
    batch = [
        {
            "type": "identify",
            "messageId": "late",
            "userId": "c1",
            "traits": {"plan": "pro"},
            "timestamp": "2026-03-02T00:00:00Z",
        },
        {
            "type": "identify",
            "messageId": "early",
            "userId": "c1",
            "traits": {"plan": "basic"},
            "timestamp": "2026-03-01T00:00:00Z",
        },
    ]
    post(client, key[1], {"batch": batch})
    assert Customer.objects.get().traits == {"plan": "pro"}


def test_single_message_endpoints_take_the_type_from_the_path(client, key):
    response = post(client, key[1], {**track(), "type": None}, url="/ingest/v1/track")
    assert response.status_code == 200
    assert InteractionEvent.objects.get().event == "Order placed"


def test_a_missing_timestamp_falls_back_to_sent_at_then_to_now(client, key):
    body = {"batch": [track(0, timestamp=None)], "sentAt": "2026-05-01T12:00:00Z"}
    post(client, key[1], body)
    assert InteractionEvent.objects.get().timestamp == dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    before = timezone.now()
    post(client, key[1], {"batch": [track(1, timestamp=None)]})
    assert InteractionEvent.objects.get(message_id="m-1").timestamp >= before


def test_gzip_bodies_are_read(client, key):
    body = gzip.compress(json.dumps({"batch": [track()]}).encode())
    response = post(client, key[1], body, HTTP_CONTENT_ENCODING="gzip")
    assert response.status_code == 200 and InteractionEvent.objects.count() == 1
    broken = post(client, key[1], b"not gzip", HTTP_CONTENT_ENCODING="gzip")
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_gzip"


@pytest.mark.parametrize(
    "body,code",
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "invalid_request"),
        (b"\xff\xfe", "invalid_json"),
        (
            b'{"batch": [{"type": "track", "userId": "u", "event": "e", "properties": {"v": NaN}}]}',
            "invalid_json",
        ),
        (b'{"batch": [{"type": "track", "userId": "u", "event": "e\\u0000"}]}', "invalid_json"),
        (b'{"batch": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "invalid_json"),
        ({"batch": {"type": "track"}}, "invalid_batch"),
        ({"nobatch": []}, "invalid_batch"),
    ],
)
def test_malformed_bodies_are_400_and_store_nothing(client, key, body, code):
    before = rows()
    response = post(client, key[1], body)
    assert response.status_code == 400 and response.json()["code"] == code
    assert rows() == before


def test_one_bad_message_refuses_the_whole_batch_naming_each_bad_index(client, key):
    post(
        client,
        key[1],
        {"batch": [{"type": "identify", "messageId": "i", "userId": "c0", "traits": {"a": 1}}]},
    )
    before = rows()
    batch = [
        track(0),
        track(1, event=""),
        {"type": "identify", "userId": "c0", "traits": {"a": 2}},
        track(3, userId=None, anonymousId=None),
        track(4, timestamp="yesterday"),
        track(5, type="purchase"),
        track(6, properties=[1]),
        "not an object",
        track(8, userId="x" * 121),
        {"type": "identify", "userId": "c0", "traits": {"consent": "maybe"}},
    ]
    response = post(client, key[1], {"batch": batch})
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid_messages"
    message = error["message"]
    assert message.startswith("8 of 10 messages are wrong, nothing was stored")
    for index, reason in [
        (1, "event is missing"),
        (3, "userId or anonymousId is needed"),
        (4, "timestamp “yesterday” is not an ISO 8601 date"),
        (5, "type “purchase” is not one of"),
        (6, "properties must be an object"),
        (7, "a message must be an object"),
        (8, "userId is longer than 120 characters"),
        (9, "traits.consent “maybe” is not yes or no"),
    ]:
        assert f"message {index}: {reason}" in message
    assert "message 0:" not in message and "message 2:" not in message
    assert rows() == before


def test_a_message_over_32_kb_is_413_with_its_index(client, key):
    big = track(1, properties={"blob": "x" * (32 * 1024)})
    before = rows()
    response = post(client, key[1], {"batch": [track(0), big]})
    assert response.status_code == 413
    assert response.json()["code"] == "message_too_large" and "1" in response.json()["message"]
    assert rows() == before


def test_a_batch_over_500_kb_is_413(client, key):
    batch = [track(n, properties={"blob": "x" * 20_000}) for n in range(30)]  # ~600 KB
    before = rows()
    response = post(client, key[1], {"batch": batch})
    assert response.status_code == 413 and response.json()["code"] == "batch_too_large"
    zipped = post(
        client,
        key[1],
        gzip.compress(json.dumps({"batch": batch}).encode()),
        HTTP_CONTENT_ENCODING="gzip",
    )
    assert zipped.status_code == 413 and zipped.json()["code"] == "batch_too_large"
    assert rows() == before


def test_just_under_the_limits_is_fine(client, key):
    message = track(0, properties={"blob": ""})
    room = 32 * 1024 - len(json.dumps(message, separators=(",", ":")).encode())
    message["properties"]["blob"] = "x" * room
    assert post(client, key[1], {"batch": [message]}).status_code == 200


def test_over_the_rate_limit_is_429_with_retry_after(client, key, settings):
    settings.INGEST_RATE_PER_SECOND = 1
    settings.INGEST_BURST_SECONDS = 3  # a bucket of 3 events
    assert post(client, key[1], {"batch": [track(0), track(1)]}).status_code == 200
    response = post(client, key[1], {"batch": [track(2), track(3)]})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    assert InteractionEvent.objects.count() == 2
    # the limit is per key: another key of the same workspace still passes
    _, other = write_key_create(workspace=key[0].workspace, name="Other", actor=None)
    assert post(client, other, {"batch": [track(4)]}).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(client, key):
    assert key[0].last_used_at is None
    post(client, key[1], {"batch": [track(0)]})
    first = WriteKey.objects.get().last_used_at
    assert first is not None
    post(client, key[1], {"batch": [track(1)]})
    assert WriteKey.objects.get().last_used_at == first


def test_a_batch_of_known_customers_costs_two_statements_at_any_size(
    client, key, django_assert_num_queries
):
    post(client, key[1], {"batch": [track(n, userId=f"c{n % 7}") for n in range(50)]})  # warm
    # find the customers, COPY the events; plus the savepoint and release of the test's own
    # transaction
    for size, start in ((3, 100), (300, 200)):
        batch = [track(start + n, userId=f"c{n % 7}") for n in range(size)]
        with django_assert_num_queries(4):
            assert post(client, key[1], {"batch": batch}).status_code == 200
    assert InteractionEvent.objects.count() == 353


def test_only_post_is_offered(client):
    response = client.get(BATCH)
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_the_openapi_description_lists_every_endpoint(client):
    response = client.get("/ingest/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) == {
        f"/v1/{kind}" for kind in ("batch", "track", "identify", "page", "screen", "group", "alias")
    }
    assert set(paths["/v1/batch"]["post"]["responses"]) >= {"200", "400", "401", "413", "429"}
