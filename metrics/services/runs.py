"""A recompute of one workspace at a time: a run row records its progress for the page,
and a partial unique constraint refuses a second busy run for the same workspace, so many
workers (or a beat tick and a button press together) never compute one workspace twice."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from engage.broker import require_broker
from engage.models import User, Workspace
from metrics.models import MetricsRun
from metrics.services.recompute import compute_snapshots


class MetricsBusy(Exception):
    """The workspace's metrics are being computed already."""


def give_up_stale_runs(runs: QuerySet) -> None:
    """A run busy for longer than two task time limits lost its worker: mark it failed.

    `runs`: a workspace's rows of a run model with MetricsRun's status and time fields."""
    limit = timezone.now() - dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    runs.filter(status__in=["queued", "running"], created_at__lt=limit).update(
        status="failed",
        error="Stopped without finishing (its worker went away).",
        finished_at=timezone.now(),
    )


def metrics_run_request(
    *, workspace: Workspace, actor: User | None = None, enqueue: bool = False
) -> MetricsRun:
    """Record a recompute (and with `enqueue`, queue its task once committed); MetricsBusy if
    one is queued or running already, BrokerUnavailable if it can't be queued now."""
    from metrics.tasks import recompute_metrics  # tasks call services: import at use

    if enqueue:
        require_broker()
    give_up_stale_runs(MetricsRun.objects.filter(workspace=workspace))
    try:
        with transaction.atomic():
            run = MetricsRun.objects.create(workspace=workspace, requested_by=actor)
    except IntegrityError:
        raise MetricsBusy("The metrics of this workspace are being computed already.") from None
    if enqueue:
        transaction.on_commit(lambda: recompute_metrics.delay(run.pk))
    return run


def metrics_run_execute(run: MetricsRun) -> MetricsRun:
    """Compute the snapshots for a queued run, recording progress; failure is recorded too."""
    claimed = MetricsRun.objects.filter(pk=run.pk, status=MetricsRun.Status.QUEUED).update(
        status=MetricsRun.Status.RUNNING, started_at=timezone.now()
    )
    run.refresh_from_db()
    if not claimed:
        return run  # another worker took it, or it is finished
    rows = MetricsRun.objects.filter(pk=run.pk)

    def progress(done, total, step):
        rows.update(steps_done=done, steps_total=total, step=step)

    try:
        result = compute_snapshots(run.workspace, progress=progress)
    except Exception as error:
        rows.update(
            status=MetricsRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        raise
    # A run given up as stale meanwhile stays failed.
    rows.filter(status=MetricsRun.Status.RUNNING).update(
        status=MetricsRun.Status.DONE, finished_at=timezone.now(), seconds=result["seconds"]
    )
    run.refresh_from_db()
    return run


def metrics_run(*, workspace: Workspace, actor: User | None = None) -> MetricsRun:
    """Request and execute a recompute in this process (the command's way)."""
    run = metrics_run_request(workspace=workspace, actor=actor)
    try:
        return metrics_run_execute(run)
    except Exception:
        run.refresh_from_db()
        return run
