"""The event API described as OpenAPI 3.1, served at /ingest/openapi.json."""

from metrics.api.messages import CONSENT_TRAITS, MAX_BATCH_BYTES, MAX_MESSAGE_BYTES

_ERROR = {"$ref": "#/components/schemas/Error"}


def _answer(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": _ERROR}}}
    if headers:
        answer["headers"] = headers
    return answer


_RESPONSES = {
    "200": {
        "description": "Stored (messages already stored, by messageId, are skipped).",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"success": {"const": True}}}
            }
        },
    },
    "400": _answer(
        "Not JSON, not the expected shape, or a message is wrong (`invalid_messages` lists "
        "each bad message's index and reason). Nothing of the batch was stored."
    ),
    "401": _answer("No write key, or an unknown or revoked one (`unauthorized`)."),
    "413": _answer(
        f"Over {MAX_BATCH_BYTES // 1024} KB a request (`batch_too_large`) or "
        f"{MAX_MESSAGE_BYTES // 1024} KB a message (`message_too_large`, with the indexes)."
    ),
    "429": _answer(
        "The key's rate limit is reached (`rate_limited`); retry after the header's seconds.",
        {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    ),
}

_MESSAGE = {
    "type": "object",
    "description": (
        "A Segment message. `track` stores an interaction event; `page` and `screen` store an "
        "event named “Viewed <name>”; `identify` merges `traits` into the customer's traits "
        f"(`traits.email` fills the email, `traits.{CONSENT_TRAITS[0]}` or "
        f"`traits.{CONSENT_TRAITS[1]}` the consent); `group` and `alias` are acknowledged and "
        "ignored. `userId` is the customer id (created when new); without it, `anonymousId`. "
        "The channel is `properties.channel` or `context.channel` when it names an Engage "
        "channel. Without `timestamp` the batch's `sentAt` (or the moment received) is used."
    ),
    "required": ["type"],
    "properties": {
        "type": {"enum": ["track", "identify", "page", "screen", "group", "alias"]},
        "messageId": {"type": "string", "maxLength": 120, "description": "Dedupes resends."},
        "userId": {"type": ["string", "null"], "maxLength": 120},
        "anonymousId": {"type": ["string", "null"], "maxLength": 120},
        "event": {"type": "string", "maxLength": 200},
        "name": {"type": "string"},
        "timestamp": {"type": "string", "format": "date-time"},
        "properties": {"type": "object"},
        "traits": {"type": "object"},
        "context": {"type": "object"},
    },
}

_SECURITY = [{"basic": []}, {}]  # {}: the key may come in the body instead


def _single(kind: str, summary: str) -> dict:
    return {
        "post": {
            "summary": summary,
            "operationId": kind,
            "security": _SECURITY,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Message"}}
                },
            },
            "responses": _RESPONSES,
        }
    }


DESCRIPTION = {
    "openapi": "3.1.0",
    "info": {
        "title": "Engage event API (Segment-compatible)",
        "version": "1",
        "description": (
            "Point segment-analytics-python (or any Segment HTTP API client) at it: "
            "`analytics.host = 'https://<your Engage>/ingest'`, `analytics.write_key = "
            "'<a write key from Metrics → Write keys>'`. Bodies may be gzip "
            "(`Content-Encoding: gzip`). Errors are `{code, message}`."
        ),
    },
    "servers": [{"url": "/ingest"}],
    "components": {
        "securitySchemes": {
            "basic": {
                "type": "http",
                "scheme": "basic",
                "description": (
                    "The write key as user name, no password; or `writeKey` in the JSON body "
                    "(the header wins when both are sent)."
                ),
            },
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "Message": _MESSAGE,
            "Batch": {
                "type": "object",
                "required": ["batch"],
                "properties": {
                    "batch": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
                    "sentAt": {"type": "string", "format": "date-time"},
                    "writeKey": {"type": "string"},
                },
            },
        },
    },
    "paths": {
        "/v1/batch": {
            "post": {
                "summary": "Many messages at once (what the Python client sends)",
                "operationId": "batch",
                "security": _SECURITY,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}
                    },
                },
                "responses": _RESPONSES,
            }
        },
        **{
            f"/v1/{kind}": _single(kind, summary)
            for kind, summary in (
                ("track", "One event"),
                ("identify", "One customer's traits"),
                ("page", "One page view"),
                ("screen", "One screen view"),
                ("group", "Acknowledged and ignored"),
                ("alias", "Acknowledged and ignored"),
            )
        },
    },
}
