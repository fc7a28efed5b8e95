"""A positions pass of one workspace at a time, recorded on a PositionRun row: a partial
unique constraint refuses a second busy run for the same workspace, as for metric
recomputes (runs.py), so a beat tick and a command never compute one workspace twice."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.broker import require_broker
from engage.models import Workspace
from metrics.models import PositionRun
from metrics.services.orchestration import orchestrate
from metrics.services.positions import positions_compute
from metrics.services.runs import give_up_stale_runs

KEEP_FINISHED_RUNS = dt.timedelta(days=7)


class PositionsBusy(Exception):
    """The workspace's positions are being computed already."""


def position_run_request(*, workspace: Workspace, enqueue: bool = False) -> PositionRun:
    """Record a pass (and with `enqueue`, queue its task once committed); PositionsBusy if
    one is queued or running already, BrokerUnavailable if it can't be queued now."""
    from metrics.tasks import compute_positions  # tasks call services: import at use

    if enqueue:
        require_broker()
    give_up_stale_runs(PositionRun.objects.filter(workspace=workspace))
    try:
        with transaction.atomic():
            run = PositionRun.objects.create(workspace=workspace)
    except IntegrityError:
        raise PositionsBusy("The positions of this workspace are being computed already.") from None
    if enqueue:
        transaction.on_commit(lambda: compute_positions.delay(run.pk))
    return run


def position_run_execute(run: PositionRun, *, now: dt.datetime) -> PositionRun:
    """Run the pass of a queued run with the clock `now`; a failure is recorded and raised."""
    rows = PositionRun.objects.filter(pk=run.pk)
    claimed = rows.filter(status=PositionRun.Status.QUEUED).update(
        status=PositionRun.Status.RUNNING, as_of=now
    )
    run.refresh_from_db()
    if not claimed:
        return run  # another worker took it, or it is finished
    try:
        result = positions_compute(run.workspace, now=now)
        orchestrate(run.workspace, now=now)  # the stalls just found: alerts, mail, nudges
    except Exception as error:
        rows.update(
            status=PositionRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        raise
    # A run given up as stale meanwhile stays failed.
    rows.filter(status=PositionRun.Status.RUNNING).update(
        status=PositionRun.Status.DONE,
        finished_at=timezone.now(),
        positions=result["positions"],
        behind=result["behind"],
        stuck=result["stuck"],
        seconds=result["seconds"],
    )
    PositionRun.objects.filter(
        workspace=run.workspace_id, finished_at__lt=timezone.now() - KEEP_FINISHED_RUNS
    ).delete()
    run.refresh_from_db()
    return run


def position_run(*, workspace: Workspace, now: dt.datetime) -> PositionRun:
    """Request and execute a pass in this process (the command's way)."""
    run = position_run_request(workspace=workspace)
    try:
        return position_run_execute(run, now=now)
    except Exception:
        run.refresh_from_db()
        return run
