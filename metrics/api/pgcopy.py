"""PostgreSQL's path for a batch: customers found through one array parameter, events
written by binary COPY.

`events_copy` COPYs a batch's events straight into the events table: when none of their
message ids is stored yet (nearly always) that is all, at the cost of a raw COPY. When
one is (a resent batch, a duplicate within the batch, or another batch storing the same
message at the same moment) the unique constraint stops the COPY (PostgreSQL logs it as
an error; it is expected) and the caller stores the batch again with `events_copy_new`,
through a staging table: COPYed into it, then moved on by one `INSERT … SELECT … ON
CONFLICT DO NOTHING`, which skips the stored ids.

The staging table is temporary (one per database session, created when first needed and
kept while the connection lives). The move takes the rows out of it (DELETE …
RETURNING) and commit truncates it too, so a batch never sees another's rows.
"""

from django.db import connection
from psycopg.types.json import Jsonb

from engage import codec
from metrics.api.messages import Event
from metrics.models import Customer, InteractionEvent

EVENTS, CUSTOMERS = InteractionEvent._meta.db_table, Customer._meta.db_table
COLUMNS = (
    'workspace_id, customer_id, anonymous_id, event, channel, "timestamp", properties, message_id'
)
TYPES = ["int8", "int8", "text", "text", "text", "timestamptz", "jsonb", "text"]

# The ORM's `external_id__in` of 250 placeholders costs about five times the CPU.
FIND = f"SELECT external_id, id FROM {CUSTOMERS} WHERE workspace_id = %s AND external_id = ANY(%s)"
CREATE_STAGING = f"""
CREATE TEMPORARY TABLE IF NOT EXISTS ingest_staging ON COMMIT DELETE ROWS AS
SELECT {COLUMNS} FROM {EVENTS} WITH NO DATA
"""
MOVE = f"""
WITH staged AS (DELETE FROM ingest_staging RETURNING {COLUMNS})
INSERT INTO {EVENTS} ({COLUMNS}) SELECT {COLUMNS} FROM staged ON CONFLICT DO NOTHING
"""


def customer_ids(*, workspace_id: int, external_ids: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(FIND, [workspace_id, external_ids])
        return dict(cursor.fetchall())


def _copy(cursor, table: str, rows) -> None:
    # Binary: a third less client CPU than text, and the same on the server.
    with cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(TYPES)
        for row in rows:
            copy.write_row(row)


def _rows(workspace_id: int, events: list[Event], customer_ids: dict[str, int]):
    for event in events:
        yield (
            workspace_id,
            customer_ids[event.user_id] if event.user_id else None,
            event.anonymous_id,
            event.event,
            event.channel,
            event.timestamp,
            Jsonb(event.properties, codec.dumps),
            event.message_id,
        )


def events_copy(*, workspace_id: int, events: list[Event], customer_ids: dict[str, int]) -> None:
    """COPY straight into the events table; UniqueViolation if a message id is stored
    already or repeated, and then the transaction can't go on: roll it back."""
    with connection.cursor() as cursor:
        _copy(cursor, EVENTS, _rows(workspace_id, events, customer_ids))


def events_copy_new(
    *, workspace_id: int, events: list[Event], customer_ids: dict[str, int]
) -> None:
    """COPY through the staging table, skipping message ids stored already or repeated."""
    with connection.cursor() as cursor:
        cursor.execute(CREATE_STAGING)
        _copy(cursor, "ingest_staging", _rows(workspace_id, events, customer_ids))
        cursor.execute(MOVE)
