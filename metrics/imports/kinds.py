"""What each kind of CSV file holds: its columns, how a row is checked, what makes two rows
the same, and how checked rows are stored. Lookups (customers, segments, personas,
touchpoints) are loaded once per file."""

import hashlib
import json
from dataclasses import dataclass, field

from journeys.models import Channel, Touchpoint
from metrics.models import (
    SCORE_RANGES,
    Customer,
    InteractionEvent,
    Purchase,
    Sentiment,
    SocialMention,
    SurveyKind,
    SurveyResponse,
)

from . import parse

CHANNELS = set(Channel.values)


def digest(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Lookups:
    """Names the rows of a file may refer to, in this workspace (lower-cased)."""

    segments: dict[str, int] = field(default_factory=dict)
    personas: dict[str, int] = field(default_factory=dict)
    touchpoints: dict[str, int | None] = field(default_factory=dict)  # None: name not unique

    @classmethod
    def load(cls, workspace) -> "Lookups":
        lookups = cls(
            segments={
                name.lower(): pk for pk, name in workspace.segments.values_list("pk", "name")
            },
            personas={
                name.lower(): pk for pk, name in workspace.personas.values_list("pk", "name")
            },
        )
        rows = Touchpoint.objects.filter(
            stage__journey__workspace=workspace, stage__removed_at=None
        ).values_list("pk", "name")
        for pk, name in rows:
            lookups.touchpoints[str(pk)] = pk
            key = name.strip().lower()
            lookups.touchpoints[key] = None if key in lookups.touchpoints else pk
        return lookups

    def find(self, table: dict, value: str, column: str) -> int | None:
        value = (value or "").strip()
        if not value:
            return None
        if value.lower() not in table:
            raise parse.CellError(f"{column} “{value[:60]}” is not in this workspace")
        found = table[value.lower()]
        if found is None:
            raise parse.CellError(f"{column} “{value[:60]}” names several; use its id")
        return found


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    model: type
    extra_columns_are_traits: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


def check_survey(row: dict, lookups: Lookups) -> dict:
    kind = parse.choice(row["kind"], "kind", set(SurveyKind.values))
    low, high = SCORE_RANGES[kind]
    return {
        "customer_id": parse.text(row["customer_id"], "customer_id", max_length=120, required=True),
        "kind": kind,
        "score": parse.integer(row["score"], f"{kind} score", low=low, high=high),
        "answered_at": parse.moment(row["answered_at"], "answered_at"),
        "comment": parse.text(row.get("comment"), "comment", max_length=5000),
        "touchpoint_id": lookups.find(lookups.touchpoints, row.get("touchpoint"), "touchpoint"),
        "channel": _channel(row.get("channel")),
    }


def _channel(value) -> str:
    value = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    return parse.choice(value, "channel", CHANNELS) if value else ""


def check_purchase(row: dict, lookups: Lookups) -> dict:
    profit = (row.get("profit") or "").strip()
    return {
        "customer_id": parse.text(row["customer_id"], "customer_id", max_length=120, required=True),
        "purchased_at": parse.moment(row["purchased_at"], "purchased_at"),
        "amount": parse.decimal(row["amount"], "amount"),
        "profit": parse.decimal(profit, "profit") if profit else None,
    }


def check_event(row: dict, lookups: Lookups) -> dict:
    properties = (row.get("properties") or "").strip()
    try:
        properties = json.loads(properties) if properties else {}
    except ValueError:
        raise parse.CellError('properties is not JSON, e.g. {"plan": "pro"}') from None
    if not isinstance(properties, dict):
        raise parse.CellError("properties must be a JSON object")
    if "\\u0000" in json.dumps(properties):
        raise parse.CellError("properties contain a NUL character (\\u0000)")
    values = {
        "customer_id": parse.text(row["customer_id"], "customer_id", max_length=120, required=True),
        "event": parse.text(row["event"], "event", max_length=200, required=True),
        "timestamp": parse.moment(row["timestamp"], "timestamp"),
        "channel": _channel(row.get("channel")),
        "properties": properties,
    }
    message_id = parse.text(row.get("message_id"), "message_id", max_length=120)
    values["message_id"] = message_id or "csv-" + digest(
        values["customer_id"],
        values["event"],
        values["timestamp"].isoformat(),
        values["channel"],
        json.dumps(properties, sort_keys=True),
    )
    return values


def check_mention(row: dict, lookups: Lookups) -> dict:
    reach = (row.get("reach") or "").strip()
    values = {
        "platform": parse.text(row["platform"], "platform", max_length=60, required=True),
        "posted_at": parse.moment(row["posted_at"], "posted_at"),
        "sentiment": parse.choice(row["sentiment"], "sentiment", set(Sentiment.values)),
        "reach": parse.integer(reach, "reach", low=0, high=2**31 - 1) if reach else 0,
        "author": parse.text(row.get("author"), "author", max_length=160),
        "url": parse.text(row.get("url"), "url", max_length=500),
        "text": parse.text(row.get("text"), "text", max_length=10000),
    }
    if values["url"] and not values["url"].startswith(("http://", "https://")):
        raise parse.CellError("url must start with http:// or https://")
    values["key"] = (
        digest(values["url"])
        if values["url"]
        else digest(
            values["platform"], values["posted_at"].isoformat(), values["author"], values["text"]
        )
    )
    return values


CUSTOMER_COLUMNS = ("segment", "persona", "email", "consent", "created")


def check_customer(row: dict, lookups: Lookups) -> dict:
    email = parse.text(row.get("email"), "email", max_length=254)
    if email and "@" not in email:
        raise parse.CellError(f"email “{email[:60]}” is not an email address")
    created = (row.get("created") or "").strip()
    traits = {
        column: value.strip()
        for column, value in row.items()
        if column not in ("customer_id", *CUSTOMER_COLUMNS) and value and value.strip()
    }
    return {
        "external_id": parse.text(row["customer_id"], "customer_id", max_length=120, required=True),
        "segment_id": lookups.find(lookups.segments, row.get("segment"), "segment"),
        "persona_id": lookups.find(lookups.personas, row.get("persona"), "persona"),
        "email": email,
        "consent": parse.boolean(row.get("consent"), "consent"),
        "created_at": parse.moment(created, "created") if created else None,
        "traits": traits,
    }


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("customers", "Customers", ("customer_id",), CUSTOMER_COLUMNS, Customer, True),
        Kind(
            "surveys",
            "Survey answers",
            ("customer_id", "kind", "score", "answered_at"),
            ("comment", "touchpoint", "channel"),
            SurveyResponse,
        ),
        Kind(
            "purchases",
            "Purchases",
            ("customer_id", "purchased_at", "amount"),
            ("profit",),
            Purchase,
        ),
        Kind(
            "events",
            "Interaction events",
            ("customer_id", "event", "timestamp"),
            ("channel", "message_id", "properties"),
            InteractionEvent,
        ),
        Kind(
            "mentions",
            "Social mentions",
            ("platform", "posted_at", "sentiment"),
            ("reach", "author", "url", "text"),
            SocialMention,
        ),
    )
}
CHECKS = {
    "customers": check_customer,
    "surveys": check_survey,
    "purchases": check_purchase,
    "events": check_event,
    "mentions": check_mention,
}


def row_key(kind: str, values: dict) -> tuple:
    """What makes two rows the same thing (and a second one a duplicate)."""
    return {
        "customers": lambda v: (v["external_id"],),
        "surveys": lambda v: (v["customer_id"], v["kind"], v["answered_at"]),
        "purchases": lambda v: (v["customer_id"], v["purchased_at"], v["amount"]),
        "events": lambda v: (v["message_id"],),
        "mentions": lambda v: (v["key"],),
    }[kind](values)
