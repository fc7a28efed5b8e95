"""Metrics work in the background: recomputing snapshots, importing large files.

Tasks take ids and call one service; the services record progress on a row the page polls.
"""

from celery import shared_task

from engage.models import Workspace
from metrics.models import DataImport, MetricsRun
from metrics.services import imports, runs


@shared_task(acks_late=True)
def recompute_metrics(run_id: int) -> None:
    run = MetricsRun.objects.select_related("workspace").filter(pk=run_id).first()
    if run is not None:
        runs.metrics_run_execute(run)


@shared_task
def recompute_all_metrics() -> int:
    """The beat schedule's pass: queue a recompute of every workspace not busy already."""
    queued = 0
    for workspace in Workspace.objects.all():
        try:
            runs.metrics_run_request(workspace=workspace, enqueue=True)
        except runs.MetricsBusy:
            continue
        queued += 1
    return queued


@shared_task(acks_late=True)
def import_data_file(import_id: int, columns: dict[str, str] | None = None) -> None:
    data_import = DataImport.objects.select_related("workspace").filter(pk=import_id).first()
    if data_import is not None:
        imports.data_import_execute(data_import, columns=columns)
