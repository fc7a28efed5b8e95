"""The HTTP side of the event API: size limits, write key, JSON, rate limit, then store.

Every refusal is JSON `{"code", "message"}`, as Segment's clients expect; a batch with
any bad message is refused whole (400, listing the indexes) and nothing is stored.
"""

import base64
import binascii
import datetime as dt
import gzip
import io
import zlib
from functools import wraps

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from engage import codec
from metrics.api import messages, openapi, store, throttle
from metrics.imports import parse
from metrics.services.keys import KnownKey, write_key_authenticate, write_key_touch

SHOWN_ERRORS = 20


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def api_view(view):
    """POST only, no CSRF (a write key is not a cookie), errors as JSON."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            if request.method != "POST":
                raise Refused(
                    405, "method_not_allowed", "Send events with POST.", {"Allow": "POST"}
                )
            return view(request, *args, **kwargs)
        except Refused as refused:
            response = JsonResponse(
                {"code": refused.code, "message": refused.message}, status=refused.status
            )
            for name, value in refused.headers.items():
                response[name] = value
            return response

    return wrapped


def _body(request) -> bytes:
    """The request body, gunzipped if sent so, refused past the batch limit either way."""
    limit = messages.MAX_BATCH_BYTES
    too_big = Refused(413, "batch_too_large", f"A request may carry at most {limit // 1024} KB.")
    try:
        if int(request.headers.get("Content-Length") or 0) > limit:
            raise too_big
    except ValueError:
        raise Refused(400, "invalid_request", "Content-Length is not a number.") from None
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise too_big
    if request.headers.get("Content-Encoding", "").strip().lower() == "gzip":
        try:
            raw = gzip.GzipFile(fileobj=io.BytesIO(raw)).read(limit + 1)
        except (OSError, EOFError, zlib.error):
            raise Refused(400, "invalid_gzip", "The body is not valid gzip.") from None
        if len(raw) > limit:
            raise too_big
    return raw


def _basic_key(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, _password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Refused(401, "unauthorized", "The Authorization header is not valid Basic.") from None
    return user


def _authenticate(secret) -> KnownKey:
    found = write_key_authenticate(secret) if isinstance(secret, str) else None
    if found is None:
        raise Refused(401, "unauthorized", "Unknown or revoked write key.")
    return found


def _json(raw: bytes) -> dict:
    try:
        body = codec.loads(raw)
    except (ValueError, RecursionError):
        raise Refused(400, "invalid_json", "The body is not valid JSON.") from None
    if b"\\u0000" in raw:  # PostgreSQL's jsonb can't hold a NUL character
        raise Refused(400, "invalid_json", "The body contains a NUL character (\\u0000).")
    if not isinstance(body, dict):
        raise Refused(400, "invalid_request", "The body must be a JSON object.")
    return body


def _received(body: dict) -> dt.datetime:
    """The batch's sentAt, when readable: the moment of messages without a timestamp."""
    sent = body.get("sentAt")
    if isinstance(sent, str):
        try:
            return parse.moment(sent, "sentAt")
        except parse.CellError:
            pass
    return timezone.now()


def _ingest(request, extract) -> JsonResponse:
    raw = _body(request)
    header_key = _basic_key(request)
    key = _authenticate(header_key) if header_key else None
    body = _json(raw)
    key = key or _authenticate(body.get("writeKey"))
    batch, kind = extract(body)
    too_large = messages.oversized(batch if isinstance(batch, list) else [], len(raw))
    if too_large:
        raise Refused(
            413,
            "message_too_large",
            f"Messages may be at most {messages.MAX_MESSAGE_BYTES // 1024} KB; "
            f"too large: {', '.join(map(str, too_large[:SHOWN_ERRORS]))}.",
        )
    wait = throttle.take(key.digest, len(batch) if isinstance(batch, list) else 1)
    if wait:
        raise Refused(
            429, "rate_limited", f"Too many events; retry in {wait} s.", {"Retry-After": str(wait)}
        )
    try:
        events, identifies, errors = messages.read_batch(batch, received=_received(body), kind=kind)
    except messages.MessageError as error:
        raise Refused(400, "invalid_batch", str(error)) from None
    if errors:
        listed = "; ".join(f"message {index}: {reason}" for index, reason in errors[:SHOWN_ERRORS])
        raise Refused(
            400,
            "invalid_messages",
            f"{len(errors)} of {len(batch)} messages are wrong, nothing was stored: {listed}.",
        )
    store.batch_store(workspace_id=key.workspace_id, events=events, identifies=identifies)
    write_key_touch(key=key)
    return JsonResponse({"success": True})


@api_view
def batch(request):
    return _ingest(request, lambda body: (body.get("batch"), None))


@api_view
def message(request, kind: str):
    """/v1/track, /v1/identify, …: the body is one message, of the type the path names."""
    return _ingest(request, lambda body: ([body], kind))


@require_http_methods(["GET"])
def openapi_json(request):
    """The API described for tools (OpenAPI 3.1); public, like Segment's own docs."""
    return JsonResponse(openapi.DESCRIPTION)
