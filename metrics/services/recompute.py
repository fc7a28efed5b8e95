"""Recomputing a workspace's snapshots: every step, in one transaction, with progress."""

import time
from collections.abc import Callable

from django.db import transaction

from engage.models import Workspace
from metrics.services.clv import customer_values
from metrics.services.compute import (
    Snapshots,
    activity_by_period,
    customer_days,
    drop_customer_days,
    events_by_day,
    mentions_by_day,
    purchases_by_month,
    retention_by_month,
    surveys_by_day,
)
from metrics.services.okrs import readings_refresh
from metrics.services.stage_events import events_by_stage

STEPS: tuple[tuple[str, Callable], ...] = (
    ("Survey answers", surveys_by_day),
    ("Active days", customer_days),  # the steps after it read its table
    ("Interaction events", events_by_day),
    ("Active customers", activity_by_period),
    ("Retention and cohorts", retention_by_month),
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
        try:
            for done, (title, step) in enumerate(STEPS):
                if progress:
                    progress(done, len(STEPS), title)
                step(workspace, snapshots)
        finally:
            drop_customer_days()
        count = snapshots.save()
        readings_refresh(workspace)  # key results and benefits read the new snapshots
    if progress:
        progress(len(STEPS), len(STEPS), "Done")
    return {"snapshots": count, "seconds": round(time.monotonic() - started, 3)}
