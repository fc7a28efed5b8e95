"""Metrics work in the background: recomputing snapshots, importing large files, the
positions pass, webhook deliveries.

Tasks take ids and call one service; the services record progress on a row the page polls.
"""

from celery import shared_task
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from engage.models import Workspace
from metrics.models import (
    DataImport,
    DeliveryStatus,
    MetricsRun,
    PathStep,
    PositionRun,
    WebhookDelivery,
)
from metrics.services import imports, position_runs, runs, webhooks

ETA_MARGIN = 0.05  # seconds: a retry woken a hair early would find its delivery not yet due


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


@shared_task(acks_late=True)
def compute_positions(run_id: int) -> None:
    run = PositionRun.objects.select_related("workspace").filter(pk=run_id).first()
    if run is not None:
        position_runs.position_run_execute(run, now=timezone.now())


@shared_task
def compute_all_positions() -> int:
    """The beat schedule's pass: queue the positions of every workspace with position rules
    (or positions left from rules since removed), unless busy already."""
    steps = PathStep.objects.filter(workspace=OuterRef("pk"))
    queued = 0
    for workspace in Workspace.objects.filter(
        Q(journeys__position_rules__isnull=False) | Q(Exists(steps))
    ).distinct():
        try:
            position_runs.position_run_request(workspace=workspace, enqueue=True)
        except position_runs.PositionsBusy:
            continue
        queued += 1
    return queued


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> None:
    """One attempt; a retry due soon is queued with a countdown. A longer wait is left to
    the sweep: Redis would hand a task held past its visibility timeout to a second worker.
    Run eagerly (no broker), a countdown would run at once: the sweep or "Retry now" does it."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return
    attempted = webhooks.webhook_attempt(delivery)
    if attempted is None or attempted.status != DeliveryStatus.RETRYING:
        return  # not due, or taken: the task that attempts it queues what follows
    if deliver_webhook.app.conf.task_always_eager:
        return
    wait = (attempted.next_attempt_at - timezone.now()).total_seconds()
    if wait <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2:
        deliver_webhook.apply_async((delivery_id,), countdown=max(wait, 0) + ETA_MARGIN)


@shared_task
def requeue_lost_webhooks() -> int:
    return webhooks.webhook_requeue_lost()
