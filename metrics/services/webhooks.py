"""Outgoing webhooks: endpoints owners register, and signed JSON events sent to them.

`webhook_send` stores a delivery and queues its task once committed; the task calls
`webhook_attempt`, which POSTs once and records the outcome: delivered on 2xx; tried again
after WEBHOOK_RETRY_DELAYS (with jitter, or the receiver's Retry-After) on no answer,
408, 429 and 5xx; failed at once on any other status. The rows are the truth: the beat
sweep queues again a due delivery whose task was lost. README "Webhooks" has the wire
format and how a receiver verifies it.
"""

import datetime as dt
import json
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from engage.broker import require_broker
from engage.models import User, Workspace
from metrics.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from metrics.webhooks import signing, transport
from metrics.webhooks.retries import (
    RETRY_AFTER_STATUSES,
    Verdict,
    retry_after_seconds,
    retry_delay,
    verdict,
)

SECRET_PREFIX = "whsec_"
TEST_EVENT = "webhook.test"
USER_AGENT = "Engage-Webhooks/1"
EVENT_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")
MAX_DATA_BYTES = 64 * 1024
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
LOST_AFTER = dt.timedelta(seconds=60)  # due this long ago and not started: its task was lost


class WebhookRefused(Exception):
    """An action on a webhook that cannot be done now; the message says why."""


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _check_url(url: str) -> None:
    try:
        transport.check_url(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
    except transport.AddressRefused as refused:
        raise ValidationError({"url": ValidationError(str(refused), code="address")}) from None


# --- Endpoints ------------------------------------------------------------------------


def webhook_endpoint_create(
    *, workspace: Workspace, name: str, url: str, actor: User | None
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret, which the page shows this once.

    ValidationError (by field) for a URL Engage will not post to (not http(s), or a private
    address while WEBHOOK_ALLOW_PRIVATE_NETWORKS is off), or a missing or too long value."""
    endpoint = WebhookEndpoint(
        workspace=workspace,
        name=name.strip(),
        url=url.strip(),
        secret=new_secret(),
        created_by=actor,
    )
    _check_url(endpoint.url)
    endpoint.full_clean(exclude=["created_by"])
    endpoint.save()
    return endpoint, endpoint.secret


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """A new secret, in force at once, for this and every later attempt."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint.secret


def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """Disabled, an endpoint receives nothing: its waiting deliveries fail when their turn
    comes, and events sent to it are logged as failed (each can be retried once enabled)."""
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    return endpoint


def webhook_endpoint_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    if not endpoint.is_active:
        raise WebhookRefused("Enable the endpoint before sending it a test event.")
    require_broker()
    return webhook_send(
        endpoint=endpoint,
        event=TEST_EVENT,
        data={"message": "A test event from Engage: the endpoint receives webhooks."},
    )


# --- Deliveries -----------------------------------------------------------------------


def _enqueue(delivery_id: int) -> None:
    from metrics.tasks import deliver_webhook  # tasks call services: import at use

    transaction.on_commit(lambda: deliver_webhook.delay(delivery_id))


def webhook_send(*, endpoint: WebhookEndpoint, event: str, data: dict) -> WebhookDelivery:
    """Store a delivery of `event` with `data` to the endpoint and queue its first attempt
    once the caller's transaction commits (nothing is sent if it rolls back).

    The receiver gets `{"id", "event", "created_at", "workspace", "data"}`; `id` is the
    delivery's uuid, the same on every attempt, to dedupe on. ValueError for an event name
    that is not lower-case dotted words, or data that is not a JSON object of ≤ 64 KB.
    """
    if not EVENT_NAME.fullmatch(event or ""):
        raise ValueError(
            f"Event name {event!r}: use lower-case letters, digits, “.”, “_” or “-”, "
            "e.g. “customer.stuck”."
        )
    if not isinstance(data, dict):
        raise ValueError("Webhook data must be a dict (a JSON object).")
    try:
        size = len(json.dumps(data, cls=DjangoJSONEncoder).encode())
    except (TypeError, ValueError) as error:
        raise ValueError(f"Webhook data must be JSON-serialisable: {error}") from None
    if size > MAX_DATA_BYTES:
        raise ValueError(f"Webhook data is {size} bytes; the limit is {MAX_DATA_BYTES}.")
    active = endpoint.is_active
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            workspace_id=endpoint.workspace_id,
            endpoint=endpoint,
            event=event,
            payload=data,
            status=DeliveryStatus.PENDING if active else DeliveryStatus.FAILED,
            attempts_allowed=len(settings.WEBHOOK_RETRY_DELAYS) + 1,
            next_attempt_at=timezone.now() if active else None,
            last_error="" if active else "Not sent: the endpoint was disabled.",
        )
        if active:
            _enqueue(delivery.pk)
    return delivery


def webhook_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """“Retry now”: one more attempt of a failed delivery, or the next attempt of a
    retrying one brought forward; queued once committed."""
    if not delivery.endpoint.is_active:
        raise WebhookRefused("Enable the endpoint first: a disabled endpoint receives nothing.")
    require_broker()
    now = timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    rows = WebhookDelivery.objects.filter(free, pk=delivery.pk)
    with transaction.atomic():
        changed = rows.filter(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.RETRYING,
            attempts_allowed=F("attempts") + 1,
            next_attempt_at=now,
        ) or rows.filter(status=DeliveryStatus.RETRYING).update(next_attempt_at=now)
        if not changed:
            raise WebhookRefused("This delivery is delivered, or being attempted right now.")
        _enqueue(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def delivery_body(delivery: WebhookDelivery) -> bytes:
    """What the receiver gets: the same bytes on every attempt."""
    body = {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "workspace": delivery.workspace.slug,
        "data": delivery.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def delivery_headers(delivery: WebhookDelivery, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Engage-Event": delivery.event,
        "X-Engage-Delivery": str(delivery.uuid),
        signing.HEADER: signing.sign(delivery.endpoint.secret, body),
    }


def _claim(delivery: WebhookDelivery, now: dt.datetime) -> bool:
    """Take the delivery for one attempt, if it is due and nobody has it; counts the attempt."""
    return bool(
        WebhookDelivery.objects.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            pk=delivery.pk,
            status__in=WAITING,
            next_attempt_at__lte=now,
            attempts__lt=F("attempts_allowed"),
        ).update(
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            # The hard time limit kills a task by then, so a claim never outlives its attempt.
            claimed_until=now + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
        )
    )


def _record(delivery: WebhookDelivery, status: str, **fields) -> WebhookDelivery:
    fields = {"status": status, "claimed_until": None, "next_attempt_at": None, **fields}
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=list(fields))
    WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
        last_status=status,
        last_status_code=delivery.last_status_code,
        last_attempt_at=delivery.last_attempt_at,
    )
    return delivery


def _unsent(delivery: WebhookDelivery, why: str) -> WebhookDelivery:
    """Failed without a request: nothing from an earlier answer stays on the row."""
    return _record(
        delivery,
        DeliveryStatus.FAILED,
        last_error=why[:200],
        last_status_code=None,
        last_response="",
    )


def _outcome(
    delivery: WebhookDelivery, answer: transport.Answer | None, error: str
) -> WebhookDelivery:
    """Delivered, retrying at the next step of the schedule, or failed."""
    now = timezone.now()
    status = answer.status if answer else None
    fields = {
        "last_status_code": status,
        "last_response": answer.excerpt if answer else "",
        "last_error": error,
    }
    judged = verdict(status)
    if judged is Verdict.DELIVERED:
        return _record(delivery, DeliveryStatus.DELIVERED, delivered_at=now, **fields)
    if answer and 300 <= answer.status <= 399:
        fields["last_error"] = f"Redirect to {answer.location or '?'} not followed."[:200]
    delays = settings.WEBHOOK_RETRY_DELAYS
    if judged is Verdict.RETRY and delays and delivery.attempts < delivery.attempts_allowed:
        wait = None
        if answer and answer.status in RETRY_AFTER_STATUSES:
            wait = retry_after_seconds(answer.retry_after, now)
        delay = retry_delay(delivery.attempts, delays, wait)
        next_at = now + dt.timedelta(seconds=delay)
        return _record(delivery, DeliveryStatus.RETRYING, next_attempt_at=next_at, **fields)
    return _record(delivery, DeliveryStatus.FAILED, **fields)


def webhook_attempt(delivery: WebhookDelivery) -> WebhookDelivery | None:
    """One POST of a due delivery; the delivery with its outcome recorded, or None (and
    nothing sent) if it is not due, or another worker has it."""
    if not _claim(delivery, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "workspace").get(pk=delivery.pk)
    if not delivery.endpoint.is_active:
        return _unsent(delivery, "The endpoint is disabled.")
    body = delivery_body(delivery)
    try:
        answer = transport.post(
            delivery.endpoint.url,
            body,
            delivery_headers(delivery, body),
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
        )
    except transport.AddressRefused as refused:
        return _unsent(delivery, str(refused))
    except transport.Unreachable as unreachable:
        return _outcome(delivery, None, str(unreachable)[:200])
    return _outcome(delivery, answer, "")


def webhook_requeue_lost() -> int:
    """The beat sweep: queue again the deliveries due a while ago that no attempt has (their
    task was lost, or their delay was too long to hold in the broker); returns how many.
    Those out of attempts (a dead worker cut off the last one) are marked failed instead."""
    now = timezone.now()
    lost = WebhookDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        status__in=WAITING,
        next_attempt_at__lte=now - LOST_AFTER,
    )
    lost.filter(attempts__gte=F("attempts_allowed")).update(
        status=DeliveryStatus.FAILED,
        claimed_until=None,
        next_attempt_at=None,
        last_error="The last attempt was cut off: its worker went away.",
    )
    ids = list(lost.values_list("pk", flat=True))
    for pk in ids:
        _enqueue(pk)
    return len(ids)
