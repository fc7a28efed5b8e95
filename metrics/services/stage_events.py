"""Technology interaction statistics per journey stage: the events customers sent while at
a stage, from their arrival until they reached the next one, by channel and month.

One GROUP BY over events joined to the positions pass's paths (on the customer, the
moment between arrival and leaving); Python sees day × stage × channel counts only.
"""

import datetime as dt
from collections import defaultdict

from metrics.dialect import day_of
from metrics.models import InteractionEvent, PathStep
from metrics.services.compute import Snapshots, raw

SOURCE = "stage_events"


def events_by_stage(workspace, snapshots: Snapshots) -> None:
    events, steps = InteractionEvent._meta.db_table, PathStep._meta.db_table
    rows = raw(
        f"SELECT p.stage_id, e.channel, {day_of('e.timestamp')} AS day, COUNT(*) "
        f"FROM {events} e JOIN {steps} p ON p.customer_id = e.customer_id "
        "AND e.timestamp >= p.entered_at AND (p.left_at IS NULL OR e.timestamp < p.left_at) "
        "WHERE e.workspace_id = %s AND p.workspace_id = %s AND p.stage_id IS NOT NULL "
        f"GROUP BY p.stage_id, e.channel, {day_of('e.timestamp')}",
        [workspace.pk, workspace.pk],
    )
    months = defaultdict(lambda: defaultdict(int))
    for stage, channel, day, count in rows:
        day = dt.date.fromisoformat(day[:10]) if isinstance(day, str) else day  # SQLite: text
        months[(stage, day.replace(day=1))][channel or "unknown"] += count
    for (stage, month), channels in months.items():
        snapshots.add(SOURCE, "month", month, dict(channels), "stage", stage)
