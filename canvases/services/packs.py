from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from canvases.models import Canvas, CanvasPack
from engage.models import User, Workspace


def _enqueue(pack: CanvasPack) -> None:
    # The task imports the PDF code, which imports these services: import it late.
    from canvases.tasks import render_canvas_pack

    transaction.on_commit(lambda: render_canvas_pack.delay(pack.pk))


@transaction.atomic
def pack_request(
    *, workspace: Workspace, requested_by: User, canvases: list[Canvas], title: str = ""
) -> CanvasPack:
    canvases = list(canvases)
    if not canvases:
        raise ValidationError("Pick at least one canvas for the pack.")
    if any(canvas.workspace_id != workspace.pk for canvas in canvases):
        raise ValidationError("Pick canvases of this workspace.")
    pack = CanvasPack.objects.create(
        workspace=workspace,
        title=title or f"{workspace.name} canvases",
        requested_by=requested_by,
        progress_total=len(canvases),
    )
    pack.canvases.set(canvases)
    _enqueue(pack)
    return pack


@transaction.atomic
def pack_retry(*, pack: CanvasPack) -> CanvasPack:
    if pack.status != CanvasPack.Status.FAILED:
        raise ValidationError("Only a failed pack can be tried again.")
    pack.status, pack.error, pack.progress_done = CanvasPack.Status.QUEUED, "", 0
    pack.started_at = pack.finished_at = None
    pack.save(update_fields=["status", "error", "progress_done", "started_at", "finished_at"])
    _enqueue(pack)
    return pack


def pack_delete(*, pack: CanvasPack) -> None:
    if pack.file:
        pack.file.delete(save=False)
    pack.delete()


def pack_requeue_stale() -> int:
    """Queue again the packs a killed worker left behind; returns how many.

    A task is killed after CELERY_TASK_TIME_LIMIT, so a pack still queued or rendering
    after twice that is not being worked on. With Redis, the unacknowledged task
    would only come back after the broker's visibility timeout.
    """
    cutoff = timezone.now() - timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    busy = [CanvasPack.Status.QUEUED, CanvasPack.Status.RENDERING]
    stale = list(
        CanvasPack.objects.filter(status__in=busy, created_at__lt=cutoff).exclude(
            started_at__gte=cutoff
        )
    )
    for pack in stale:
        with transaction.atomic():
            CanvasPack.objects.filter(pk=pack.pk).update(
                status=CanvasPack.Status.QUEUED, started_at=None
            )
            _enqueue(pack)
    return len(stale)
