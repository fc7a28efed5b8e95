"""Storing a checked batch: customers found (and created) in bulk, events copied in bulk.

One transaction per batch, so a batch is stored whole or not at all. On PostgreSQL the
events are COPYed into a temporary staging table and moved into the events table by one
`INSERT … SELECT … ON CONFLICT DO NOTHING`: an event whose message id is already stored,
or repeated in the batch, is skipped, so a re-sent batch stores once. Elsewhere (the
embedded SQLite) the same rows go in through `bulk_create(ignore_conflicts=True)`. Traits
from `identify` merge into the customer's traits (newer keys win), under a row lock so
two batches for one customer don't lose a trait.
"""

import json

from django.db import connection, transaction
from django.utils import timezone

from metrics.api.messages import Event, Identify
from metrics.models import Customer, InteractionEvent

COPY_VENDORS = frozenset({"postgresql"})
STAGING = "ingest_staging"
COLUMNS = (
    "workspace_id",
    "customer_id",
    "anonymous_id",
    "event",
    "channel",
    "timestamp",
    "properties",
    "message_id",
)


def _first_seen(events: list[Event], identifies: list[Identify]) -> dict[str, object]:
    seen = {}
    for message in (*events, *identifies):
        if message.user_id:
            known = seen.get(message.user_id)
            seen[message.user_id] = min(known, message.timestamp) if known else message.timestamp
    return seen


def _customer_ids(workspace_id: int, first_seen: dict) -> dict[str, int]:
    """The pk of every customer named in the batch, created when new."""

    def fetch(external_ids):
        rows = Customer.objects.filter(workspace_id=workspace_id, external_id__in=external_ids)
        return dict(rows.order_by().values_list("external_id", "pk"))

    found = fetch(list(first_seen))
    missing = sorted(first_seen.keys() - found.keys())
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


def _copy_events(rows: list[tuple]) -> None:
    """COPY into the session's staging table, then move the rows on, skipping stored ones.

    The table lives as long as the connection and is emptied by the move itself (and
    truncated at commit), so a later batch on the same connection starts from nothing.
    """
    table = connection.ops.quote_name(InteractionEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ON COMMIT DELETE ROWS "
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"WITH staged AS (DELETE FROM {STAGING} RETURNING {columns}) "
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM staged "
            "ON CONFLICT DO NOTHING"
        )


def _create_events(rows: list[tuple]) -> None:
    InteractionEvent.objects.bulk_create(
        [InteractionEvent(**dict(zip(COLUMNS, row, strict=True))) for row in rows],
        ignore_conflicts=True,
    )


@transaction.atomic
def batch_store(*, workspace_id: int, events: list[Event], identifies: list[Identify]) -> None:
    first_seen = _first_seen(events, identifies)
    customer_ids = _customer_ids(workspace_id, first_seen) if first_seen else {}
    if identifies:
        _merge_traits(workspace_id, identifies)
    if not events:
        return
    copy = connection.vendor in COPY_VENDORS
    rows = [
        (
            workspace_id,
            customer_ids[event.user_id] if event.user_id else None,
            event.anonymous_id,
            event.event,
            event.channel,
            event.timestamp,
            json.dumps(event.properties) if copy else event.properties,
            event.message_id,
        )
        for event in events
    ]
    (_copy_events if copy else _create_events)(rows)
