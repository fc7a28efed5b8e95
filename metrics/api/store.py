"""Storing a checked batch: customers found (and created) in bulk, events copied in bulk.

One transaction per batch, so a batch is stored whole or not at all. On PostgreSQL the
events are COPYed (metrics/api/pgcopy.py): straight into the events table, or, when a
message id in the batch is stored already or repeated, again in a new transaction through
a staging table and `INSERT … SELECT … ON CONFLICT DO NOTHING`, which skips it; so a
re-sent batch stores once. Elsewhere (the embedded SQLite) the same rows go in through
`bulk_create(ignore_conflicts=True)`. Traits from `identify` merge into the customer's
traits (newer keys win), under a row lock so two batches for one customer don't lose one.
"""

from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation

from metrics.api import pgcopy
from metrics.api.messages import Event, Identify
from metrics.models import Customer, InteractionEvent

COPY_VENDORS = frozenset({"postgresql"})


def _first_seen(messages, among: set[str]) -> dict[str, object]:
    """The earliest moment each customer in `among` appears in the messages."""
    seen = {}
    for message in messages:
        if message.user_id in among:
            known = seen.get(message.user_id)
            seen[message.user_id] = min(known, message.timestamp) if known else message.timestamp
    return seen


def _fetch(workspace_id: int, external_ids: list[str]) -> dict[str, int]:
    if connection.vendor in COPY_VENDORS:
        return pgcopy.customer_ids(workspace_id=workspace_id, external_ids=external_ids)
    rows = Customer.objects.filter(workspace_id=workspace_id, external_id__in=external_ids)
    return dict(rows.order_by().values_list("external_id", "pk"))


def _customer_ids(workspace_id: int, messages) -> dict[str, int]:
    """The pk of every customer the messages name; new ones are created, first seen at
    their earliest message (one created meanwhile by another batch is kept)."""
    named = {message.user_id for message in messages if message.user_id}
    found = _fetch(workspace_id, list(named)) if named else {}
    missing = named - found.keys()
    if missing:
        first_seen = _first_seen(messages, missing)
        Customer.objects.bulk_create(
            [
                Customer(
                    workspace_id=workspace_id, external_id=external, created_at=first_seen[external]
                )
                for external in sorted(missing)
            ],
            ignore_conflicts=True,
        )
        found.update(_fetch(workspace_id, sorted(missing)))
    return found


def _merge_traits(workspace_id: int, identifies: list[Identify]) -> None:
    locked = Customer.objects.filter(
        workspace_id=workspace_id, external_id__in={identify.user_id for identify in identifies}
    )
    customers = {
        customer.external_id: customer for customer in locked.select_for_update().order_by("pk")
    }
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


def _create_events(*, workspace_id: int, events: list[Event], customer_ids: dict[str, int]) -> None:
    InteractionEvent.objects.bulk_create(
        [
            InteractionEvent(
                workspace_id=workspace_id,
                customer_id=customer_ids[event.user_id] if event.user_id else None,
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


@transaction.atomic
def _store(workspace_id: int, events: list[Event], identifies: list[Identify], insert) -> None:
    customer_ids = _customer_ids(workspace_id, (*events, *identifies))
    if identifies:
        _merge_traits(workspace_id, identifies)
    if events:
        insert(workspace_id=workspace_id, events=events, customer_ids=customer_ids)


def batch_store(*, workspace_id: int, events: list[Event], identifies: list[Identify]) -> None:
    if connection.vendor not in COPY_VENDORS:
        _store(workspace_id, events, identifies, _create_events)
        return
    try:
        _store(workspace_id, events, identifies, pgcopy.events_copy)
    except UniqueViolation:  # a message id stored already (rare, so no savepoint): again, past it
        _store(workspace_id, events, identifies, pgcopy.events_copy_new)
