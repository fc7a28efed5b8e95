"""Checking one Segment message and mapping it to what Engage stores. Pure: no ORM.

A message is refused with a reason (said to the integrator, with its index in the batch);
`read_message` returns what to store, or None for types that are acknowledged and ignored.
"""

import datetime as dt
import hashlib
import json
from typing import NamedTuple

from journeys.models import Channel
from metrics.api import codec
from metrics.imports import parse

MAX_MESSAGE_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
EVENT_TYPES = {"track", "page", "screen"}
IGNORED_TYPES = {"group", "alias"}
TYPES = EVENT_TYPES | IGNORED_TYPES | {"identify"}
CHANNELS = frozenset(Channel.values)
CONSENT_TRAITS = ("consent", "email_opt_in")
ID_LENGTH = 120  # Customer.external_id, InteractionEvent.anonymous_id and message_id
EVENT_LENGTH = 200


class MessageError(ValueError):
    """Why a message can't be stored."""


class Event(NamedTuple):  # a NamedTuple: a third of a frozen dataclass's cost to build
    message_id: str
    user_id: str
    anonymous_id: str
    event: str
    channel: str
    timestamp: dt.datetime
    properties: dict


class Identify(NamedTuple):
    user_id: str
    timestamp: dt.datetime
    traits: dict
    email: str | None = None
    consent: bool | None = None


def _identity(value, name: str) -> str:
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MessageError(f"{name} must be a string")
        value = str(value)
    value = value.strip()
    if len(value) > ID_LENGTH:
        raise MessageError(f"{name} is longer than {ID_LENGTH} characters")
    return value


def _object(message: dict, name: str) -> dict:
    value = message.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MessageError(f"{name} must be an object")
    return value


def _moment(message: dict, fallback: dt.datetime) -> dt.datetime:
    value = message.get("timestamp")
    if value is None:
        return fallback
    if not isinstance(value, str):
        raise MessageError("timestamp must be an ISO 8601 string")
    try:
        return parse.moment(value, "timestamp")
    except parse.CellError as error:
        raise MessageError(str(error)) from None


def channel_of(properties: dict, context: dict) -> str:
    """`properties.channel`, else `context.channel`, when it names one of Engage's channels."""
    for source in (properties, context):
        value = source.get("channel")
        if isinstance(value, str):
            value = value.strip().lower().replace("-", "_")
            if value in CHANNELS:
                return value
    return ""


def consent_of(traits: dict) -> bool | None:
    """The first consent trait given (a boolean, or yes/no/true/false/1/0); None if none is."""
    for name in CONSENT_TRAITS:
        if name not in traits or traits[name] is None:
            continue
        value = traits[name]
        if isinstance(value, bool):
            return value
        if isinstance(value, int | str):
            try:
                return parse.boolean(str(value), f"traits.{name}")
            except parse.CellError as error:
                raise MessageError(str(error)) from None
        raise MessageError(f"traits.{name} must be true or false")
    return None


def email_of(traits: dict) -> str | None:
    """`traits.email` when it looks like an address that fits the column; else None."""
    value = traits.get("email")
    if not isinstance(value, str):
        return None
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or "." not in domain or " " in value or len(value) > 254:
        return None
    return value


def message_id_of(message: dict) -> str:
    """The sender's `messageId`; without one, a digest of the message, so a resend dedupes."""
    value = _identity(message.get("messageId"), "messageId")
    if value:
        return value
    canonical = json.dumps(message, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:48]


def event_name(message: dict, kind: str) -> str:
    if kind == "track":
        name = message.get("event")
        if not isinstance(name, str) or not name.strip():
            raise MessageError("event is missing")
        name = name.strip()
    else:
        label = message.get("name") or message.get("category") or kind
        if not isinstance(label, str):
            raise MessageError("name must be a string")
        name = f"Viewed {label.strip()}"
    if len(name) > EVENT_LENGTH:
        raise MessageError(f"event is longer than {EVENT_LENGTH} characters")
    return name


def read_message(message, *, received: dt.datetime, kind: str | None = None):
    """An Event, an Identify, or None (acknowledged, not stored); MessageError if wrong.

    `kind` is the type the endpoint implies (/v1/track); a batch message names its own.
    `received` is the moment to use without a `timestamp` (the batch's sentAt or now).
    """
    if not isinstance(message, dict):
        raise MessageError("a message must be an object")
    kind = kind or message.get("type")
    if not isinstance(kind, str) or kind not in TYPES:
        raise MessageError(f"type “{str(kind)[:20]}” is not one of {', '.join(sorted(TYPES))}")
    user_id = _identity(message.get("userId"), "userId")
    anonymous_id = _identity(message.get("anonymousId"), "anonymousId")
    timestamp = _moment(message, received)
    context = _object(message, "context")
    if kind in IGNORED_TYPES:
        return None
    if not user_id and not anonymous_id:
        raise MessageError("userId or anonymousId is needed")
    if kind == "identify":
        traits = _object(message, "traits")
        if not user_id:
            return None  # nobody to attach traits to yet
        return Identify(
            user_id=user_id,
            timestamp=timestamp,
            traits=traits,
            email=email_of(traits),
            consent=consent_of(traits),
        )
    properties = _object(message, "properties")
    if kind != "track":
        properties = {
            **properties,
            **{key: message[key] for key in ("name", "category") if message.get(key)},
        }
    return Event(
        message_id=message_id_of(message),
        user_id=user_id,
        anonymous_id=anonymous_id,
        event=event_name(message, kind),
        channel=channel_of(properties, context),
        timestamp=timestamp,
        properties=properties,
    )


def oversized(messages: list, body_bytes: int) -> list[int]:
    """Indexes of messages over 32 KB (as compact UTF-8 JSON); none can be if the body isn't."""
    if body_bytes <= MAX_MESSAGE_BYTES:
        return []
    return [
        index
        for index, message in enumerate(messages)
        if len(codec.dumps(message)) > MAX_MESSAGE_BYTES
    ]


def read_batch(messages, *, received: dt.datetime, kind: str | None = None):
    """(events, identifies, errors) where errors lists (index, reason) of every bad message."""
    if not isinstance(messages, list):
        raise MessageError("batch must be a list of messages")
    events, identifies, errors = [], [], []
    for index, message in enumerate(messages):
        try:
            read = read_message(message, received=received, kind=kind)
        except MessageError as error:
            errors.append((index, str(error)))
            continue
        if isinstance(read, Event):
            events.append(read)
        elif isinstance(read, Identify):
            identifies.append(read)
    return events, identifies, errors
