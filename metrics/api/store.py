"""Storing a checked batch: customers upserted in bulk, events inserted in bulk.

One transaction per batch, so a batch is stored whole or not at all. A batch of tracks
from known customers costs two queries (find the customers, insert the events); events
whose message id is already stored are skipped by the database (ON CONFLICT DO NOTHING),
so a re-sent batch stores once. Traits from `identify` merge into the customer's traits
(newer keys win), under a row lock so two batches for one customer don't lose a trait.
"""

from django.db import transaction
from django.utils import timezone

from metrics.api.messages import Event, Identify
from metrics.models import Customer, InteractionEvent


def _first_seen(events: list[Event], identifies: list[Identify]) -> dict[str, object]:
    seen = {}
    for message in (*events, *identifies):
        if message.user_id:
            known = seen.get(message.user_id)
            seen[message.user_id] = min(known, message.timestamp) if known else message.timestamp
    return seen


def _customers(workspace_id: int, first_seen: dict, lock: bool) -> dict[str, Customer]:
    """Every customer named in the batch, created when new; locked when traits will change."""

    def fetch(external_ids):
        rows = Customer.objects.filter(workspace_id=workspace_id, external_id__in=external_ids)
        if lock:
            rows = rows.select_for_update().order_by("pk")
        else:
            rows = rows.only("pk", "external_id").order_by()
        return {customer.external_id: customer for customer in rows}

    found = fetch(list(first_seen))
    missing = sorted(external for external in first_seen if external not in found)
    if missing:
        Customer.objects.bulk_create(
            [
                Customer(
                    workspace_id=workspace_id, external_id=external, created_at=first_seen[external]
                )
                for external in missing
            ],
            ignore_conflicts=True,
        )
        found.update(fetch(missing))
    return found


def _merge_traits(customers: dict[str, Customer], identifies: list[Identify]) -> None:
    changed = {}
    for identify in sorted(identifies, key=lambda message: message.timestamp):
        customer = customers[identify.user_id]
        customer.traits = {**customer.traits, **identify.traits}
        if identify.email is not None:
            customer.email = identify.email
        if identify.consent is not None:
            customer.consent = identify.consent
        changed[customer.pk] = customer
    now = timezone.now()
    for customer in changed.values():
        customer.updated_at = now
    Customer.objects.bulk_update(
        list(changed.values()), ["traits", "email", "consent", "updated_at"]
    )


@transaction.atomic
def batch_store(*, workspace_id: int, events: list[Event], identifies: list[Identify]) -> None:
    first_seen = _first_seen(events, identifies)
    customers = _customers(workspace_id, first_seen, lock=bool(identifies)) if first_seen else {}
    if identifies:
        _merge_traits(customers, identifies)
    if events:
        InteractionEvent.objects.bulk_create(
            [
                InteractionEvent(
                    workspace_id=workspace_id,
                    customer_id=customers[event.user_id].pk if event.user_id else None,
                    anonymous_id=event.anonymous_id,
                    event=event.event,
                    channel=event.channel,
                    timestamp=event.timestamp,
                    properties=event.properties,
                    message_id=event.message_id,
                )
                for event in events
            ],
            ignore_conflicts=True,
        )
