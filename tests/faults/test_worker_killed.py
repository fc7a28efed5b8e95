"""A worker SIGKILLed in the middle of a metrics recompute and a positions pass.

The runs it was doing stay "running" (nothing can tell a dead worker from a slow one at
first) and new requests are refused as busy; once silent for two task time limits they
are given up, new ones can be requested and another worker completes them. The dead
worker's tasks, when the broker hands them out again, find their runs given up and do
nothing: each computation completes exactly once. (Packs: tests/canvases/test_packs.py.)

To kill the worker at a known point, the test holds locks on tables the runs need, so
they wait on them, "running", until the worker is killed.
"""

import time
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from metrics.models import (
    MetricsRun,
    PathStep,
    Position,
    PositionRule,
    PositionRun,
    Snapshot,
    SurveyResponse,
)
from metrics.services.position_runs import PositionsBusy, position_run_request
from metrics.services.runs import MetricsBusy, metrics_run_request
from metrics.tasks import compute_positions, recompute_metrics
from tests.conftest import database_url, own_queue, wait_for
from tests.servers import CeleryWorker

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]


@contextmanager
def tables_locked(*models):
    """Hold ACCESS EXCLUSIVE locks on the models' tables from a connection of our own;
    yields a function counting the other sessions waiting on them."""
    tables = [model._meta.db_table for model in models]
    url = database_url(connection.settings_dict)
    waiting = (
        "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted "
        "AND relation IN (SELECT oid FROM pg_class WHERE relname = ANY(%s))"
    )
    with psycopg.connect(url) as holder:
        holder.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")

        def waiters() -> int:
            with psycopg.connect(url) as probe:
                return probe.execute(waiting, [tables]).fetchone()[0]

        yield waiters
        holder.rollback()


def test_runs_whose_worker_was_killed_are_given_up_and_complete_once_when_asked_again(
    celery_worker, worker_env, tmp_path, settings, workspace, owner
):
    def recompute():
        return metrics_run_request(workspace=workspace, actor=owner, enqueue=True)

    def place():
        return position_run_request(workspace=workspace, enqueue=True)

    with own_queue() as queue:  # a worker of this test's own, to kill
        worker = CeleryWorker(worker_env, queue, tmp_path / "killed.log").start()
        locked = (SurveyResponse, Snapshot, PositionRule, PathStep, Position)
        with tables_locked(*locked) as waiters:
            killed = [recompute(), place()]
            wait_for(lambda: waiters() == 2, timeout=60)  # both runs, on the worker's two processes
            assert [run.__class__.objects.get(pk=run.pk).status for run in killed] == [
                "running",
                "running",
            ]
            worker.kill()

    # Back on the session's worker. Too early to tell the worker is gone: busy.
    with pytest.raises(MetricsBusy):
        recompute()
    with pytest.raises(PositionsBusy):
        place()
    settings.CELERY_TASK_TIME_LIMIT = 1  # silent for two time limits: given up when asked
    time.sleep(max(0, 2.1 - (timezone.now() - killed[0].created_at).total_seconds()))
    again = [recompute(), place()]
    for run in killed:
        run.refresh_from_db()
        assert run.status == "failed" and "worker went away" in run.error
    for run in again:
        wait_for(lambda run=run: run.__class__.objects.get(pk=run.pk).status == "done", 90)
    snapshots = Snapshot.objects.filter(workspace=workspace).count()

    # The dead worker's tasks, handed out again by the broker, change nothing.
    recompute_metrics(killed[0].pk)
    compute_positions(killed[1].pk)
    for run in killed:
        run.refresh_from_db()
        assert run.status == "failed"
    assert Snapshot.objects.filter(workspace=workspace).count() == snapshots
    assert sorted(MetricsRun.objects.values_list("status", flat=True)) == ["done", "failed"]
    assert sorted(PositionRun.objects.values_list("status", flat=True)) == ["done", "failed"]
