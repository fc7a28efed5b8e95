"""A recompute of one workspace at a time: a run row records its progress for the page,
and a partial unique constraint refuses a second busy run for the same workspace, so many
workers (or a beat tick and a button press together) never compute one workspace twice."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.models import User, Workspace
from metrics.models import MetricsRun
from metrics.services.recompute import compute_snapshots


class MetricsBusy(Exception):
    """The workspace's metrics are being computed already."""


def metrics_run_request(*, workspace: Workspace, actor: User | None = None) -> MetricsRun:
    """Queue a recompute; MetricsBusy if one is queued or running already."""
    try:
        with transaction.atomic():
            return MetricsRun.objects.create(workspace=workspace, requested_by=actor)
    except IntegrityError:
        raise MetricsBusy("The metrics of this workspace are being computed already.") from None


def metrics_run_execute(run: MetricsRun) -> MetricsRun:
    """Compute the snapshots for a queued run, recording progress; failure is recorded too."""
    claimed = MetricsRun.objects.filter(pk=run.pk, status=MetricsRun.Status.QUEUED).update(
        status=MetricsRun.Status.RUNNING, started_at=timezone.now()
    )
    run.refresh_from_db()
    if not claimed:
        return run  # another worker took it, or it is finished

    def progress(done, total, step):
        MetricsRun.objects.filter(pk=run.pk).update(steps_done=done, steps_total=total, step=step)

    try:
        result = compute_snapshots(run.workspace, progress=progress)
    except Exception as error:
        MetricsRun.objects.filter(pk=run.pk).update(
            status=MetricsRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        run.refresh_from_db()
    if run.status == MetricsRun.Status.RUNNING:
        MetricsRun.objects.filter(pk=run.pk).update(
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
