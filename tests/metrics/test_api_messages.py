"""Pure parts of the event API: reading one message, and the token bucket's arithmetic."""

import datetime as dt
import re

import pytest

from metrics.api import messages
from metrics.api.messages import Event, Identify, MessageError, read_message
from metrics.api.throttle import refill

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def read(message, **options):
    return read_message(message, received=NOW, **options)


def test_a_track_maps_every_field():
    event = read(
        {"type": "track", "messageId": "m", "userId": 42, "event": " Paid ",
         "properties": {"channel": "EMAIL"}, "timestamp": "2026-02-01T10:00:00+01:00"}
    )  # fmt: skip
    assert event == Event(
        message_id="m",
        user_id="42",
        anonymous_id="",
        event="Paid",
        channel="email",
        timestamp=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC),
        properties={"channel": "EMAIL"},
    )


def test_without_a_timestamp_the_received_moment_is_used():
    assert read({"type": "track", "userId": "u", "event": "e"}).timestamp == NOW


def test_without_a_message_id_the_content_names_it_the_same_each_time():
    message = {"type": "track", "userId": "u", "event": "e"}
    first, again = read(message), read(dict(message))
    assert first.message_id == again.message_id and first.message_id.startswith("sha256:")
    assert read({**message, "event": "f"}).message_id != first.message_id
    assert len(first.message_id) <= messages.ID_LENGTH


@pytest.mark.parametrize(
    "properties,context,channel",
    [
        ({"channel": "web"}, {}, "web"),
        ({}, {"channel": "In-App"}, "in_app"),
        ({"channel": "fax"}, {"channel": "phone"}, "phone"),
        ({"channel": 3}, {}, ""),
        ({}, {}, ""),
    ],
)
def test_channel_comes_from_properties_then_context_when_it_is_known(properties, context, channel):
    assert messages.channel_of(properties, context) == channel


@pytest.mark.parametrize(
    "traits,consent",
    [
        ({}, None),
        ({"consent": True}, True),
        ({"consent": False, "email_opt_in": True}, False),
        ({"consent": None, "email_opt_in": "yes"}, True),
        ({"email_opt_in": 0}, False),
    ],
)
def test_consent_comes_from_the_first_consent_trait_given(traits, consent):
    assert messages.consent_of(traits) is consent


@pytest.mark.parametrize("value", ["maybe", [True], {"a": 1}, 2])
def test_a_consent_that_is_not_yes_or_no_is_refused(value):
    with pytest.raises(MessageError, match=re.escape("traits.consent")):
        messages.consent_of({"consent": value})


@pytest.mark.parametrize(
    "email,kept",
    [("ada@example.com", "ada@example.com"), (" ada@example.com ", "ada@example.com"),
     ("ada", None), ("ada@localhost", None), ("a b@example.com", None), (7, None),
     ("x" * 250 + "@example.com", None)],
)  # fmt: skip
def test_only_an_address_fills_the_email(email, kept):
    assert messages.email_of({"email": email}) == kept


def test_identify_without_a_user_is_acknowledged_not_stored():
    assert read({"type": "identify", "anonymousId": "a", "traits": {"x": 1}}) is None
    assert read({"type": "identify", "userId": "u", "traits": {"x": 1}}) == Identify(
        user_id="u", timestamp=NOW, traits={"x": 1}, email=None, consent=None
    )


def test_page_and_screen_are_named_viewed():
    assert read({"type": "page", "userId": "u", "name": "Pricing"}).event == "Viewed Pricing"
    assert read({"type": "screen", "userId": "u", "category": "Shop"}).event == "Viewed Shop"
    assert read({"type": "page", "userId": "u"}).event == "Viewed page"


@pytest.mark.parametrize(
    "message,reason",
    [
        ({"type": "track", "userId": "u", "event": "x" * 201}, "event is longer than 200"),
        ({"type": "track", "userId": True, "event": "e"}, "userId must be a string"),
        ({"type": "track", "userId": "u", "event": "e", "timestamp": 5}, "ISO 8601 string"),
        ({"type": "track", "userId": "u", "event": "e", "context": "x"}, "context must be"),
        ({"type": "identify", "userId": "u", "traits": []}, "traits must be an object"),
        ({"type": "page", "userId": "u", "name": 3}, "name must be a string"),
        ({"type": "group", "userId": "u", "timestamp": "soon"}, "not an ISO 8601 date"),
        ({"userId": "u"}, "type “None” is not one of"),
    ],
)
def test_wrong_messages_say_why(message, reason):
    with pytest.raises(MessageError, match=re.escape(reason)):
        read(message)


def test_the_endpoint_type_wins_over_the_message_type():
    assert read({"type": "identify", "userId": "u", "event": "e"}, kind="track").event == "e"


def test_a_batch_reads_every_message_and_collects_every_error():
    events, identifies, errors = messages.read_batch(
        [{"type": "track", "userId": "u", "event": "e"}, 3,
         {"type": "identify", "userId": "u"}, {"type": "alias", "userId": "u"}],
        received=NOW,
    )  # fmt: skip
    assert (len(events), len(identifies)) == (1, 1)
    assert errors == [(1, "a message must be an object")]


def test_oversized_measures_only_when_the_body_could_hold_one():
    big = {"blob": "x" * messages.MAX_MESSAGE_BYTES}
    assert messages.oversized([big], body_bytes=100) == []  # the body says it can't be
    assert messages.oversized([{"a": 1}, big], body_bytes=40_000) == [1]


@pytest.mark.parametrize(
    "tokens,elapsed,cost,left,wait",
    [
        (10, 0, 4, 6, 0),  # enough: take
        (10, 0, 10, 0, 0),  # exactly enough
        (2, 0, 4, 2, 0.2),  # short by 2 at 10/s: wait 0.2 s, nothing taken
        (2, 0.1, 3, 0, 0),  # refilled by 1 in 0.1 s
        (0, 100, 5, 15, 0),  # refill stops at the capacity (20)
        (5, -3, 1, 4, 0),  # a clock going back refills nothing
    ],
)
def test_the_token_bucket(tokens, elapsed, cost, left, wait):
    got = refill(tokens, 1000.0, 1000.0 + elapsed, rate=10, capacity=20, cost=cost)
    assert got == pytest.approx((left, wait))
