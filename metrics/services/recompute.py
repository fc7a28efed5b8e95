"""Recomputing a workspace's snapshots: every step, in one transaction, with progress."""

import time
from collections.abc import Callable

from django.db import connection, transaction

from engage.models import Workspace
from metrics.services.activity import (
    CUSTOMER_MONTHS,
    active_customers,
    customer_months,
    events_by_day,
)
from metrics.services.compute import (
    SURVEY_CELLS,
    Snapshots,
    drop_tables,
    mentions_by_day,
    purchases_by_month,
    raw,
    surveys_by_day,
)
from metrics.services.okrs import readings_refresh
from metrics.services.stage_events import events_by_stage


def customer_values(workspace: Workspace, snapshots) -> None:
    """The CLV step. Its model needs numpy and scipy (~75 MiB, ~1.3 s to import), loaded
    when a recompute first runs rather than by every process that imports this module."""
    from metrics.services import clv

    clv.customer_values(workspace, snapshots)


STEPS: tuple[tuple[str, Callable], ...] = (
    ("Survey answers", surveys_by_day),
    ("Interaction events", events_by_day),
    ("Active months", customer_months),  # the table the next step reads
    ("Active customers and retention", active_customers),  # also fills in the events' days
    ("Social mentions", mentions_by_day),
    ("Purchases", purchases_by_month),
    ("Customer lifetime value", customer_values),  # reads the retention computed before it
    ("Interactions by journey stage", events_by_stage),  # reads the last positions pass
)


def compute_snapshots(
    workspace: Workspace, *, progress: Callable[[int, int, str], None] | None = None
) -> dict:
    """Recompute every snapshot of the workspace; returns {"snapshots": n, "seconds": s}.

    The old snapshots are replaced in the same transaction, so a reader sees the previous
    computation or the new one, never half of each.
    """
    started = time.monotonic()
    snapshots = Snapshots(workspace)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Memory for this transaction's hash tables and sorts: the largest, a row per
            # customer and month, then stays in memory up to ~1.5 M of them.
            raw("SET LOCAL work_mem = '128MB'", [])
        for done, (title, step) in enumerate(STEPS):
            if progress:
                progress(done, len(STEPS), title)
            step(workspace, snapshots)
        drop_tables(SURVEY_CELLS, CUSTOMER_MONTHS)  # on an error, the rollback drops them
        count = snapshots.save()
        readings_refresh(workspace)  # key results and benefits read the new snapshots
    if progress:
        progress(len(STEPS), len(STEPS), "Done")
    return {"snapshots": count, "seconds": round(time.monotonic() - started, 3)}
