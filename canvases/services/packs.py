"""A pack's life: requested, split into parts that render in parallel, joined, kept.

Every step can run twice (a redelivered task, a retry, the stale-pack sweep) and
leaves the same result: parts already rendered are kept, a done pack is left alone.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from canvases import packs
from canvases.models import Canvas, CanvasPack, CanvasPackPart
from engage.broker import require_broker
from engage.models import User, Workspace


def _after_commit(task_name: str, *args) -> None:
    # The tasks import these services: import them late.
    from canvases import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))


@transaction.atomic
def pack_request(
    *, workspace: Workspace, requested_by: User, canvases: list[Canvas], title: str = ""
) -> CanvasPack:
    canvases = list(canvases)
    if not canvases:
        raise ValidationError("Pick at least one canvas for the pack.")
    if any(canvas.workspace_id != workspace.pk for canvas in canvases):
        raise ValidationError("Pick canvases of this workspace.")
    require_broker()
    pack = CanvasPack.objects.create(
        workspace=workspace,
        title=title or f"{workspace.name} canvases",
        requested_by=requested_by,
        progress_total=len(canvases),
    )
    pack.canvases.set(canvases)
    _after_commit("render_canvas_pack", pack.pk)
    return pack


def _make_parts(pack: CanvasPack) -> None:
    """Canvases grouped by persona, as the contents list them, then the sections."""
    canvases = pack.canvases.order_by("persona__name", "title", "version", "pk")
    parts = [CanvasPackPart(pack=pack, canvas=canvas) for canvas in canvases]
    parts += [CanvasPackPart(pack=pack, section=s.slug) for s in packs.pack_sections()]
    for position, part in enumerate(parts):
        part.position = position
    CanvasPackPart.objects.bulk_create(parts)


@transaction.atomic
def pack_start(*, pack: CanvasPack) -> None:
    """Queue a task for every part not rendered yet (or the join, if none is left)."""
    pack = CanvasPack.objects.select_for_update().get(pk=pack.pk)
    if pack.status == CanvasPack.Status.DONE:
        return
    if not pack.parts.exists():
        _make_parts(pack)
    now = timezone.now()
    pack.status, pack.error = CanvasPack.Status.RENDERING, ""
    pack.started_at, pack.touched_at = pack.started_at or now, now
    pack.save(update_fields=["status", "error", "started_at", "touched_at"])
    waiting = list(pack.parts.filter(file="").values_list("pk", flat=True))
    for part_pk in waiting:
        _after_commit("render_pack_part", pack.pk, part_pk)
    if not waiting:
        _after_commit("assemble_canvas_pack", pack.pk)


@transaction.atomic
def pack_part_rendered(*, part: CanvasPackPart) -> None:
    """Count the part in; the one that completes the set queues the join."""
    pack = CanvasPack.objects.select_for_update().get(pk=part.pack_id)
    rendered = pack.parts.exclude(file="")
    pack.progress_done = rendered.filter(canvas__isnull=False).count()
    pack.touched_at = timezone.now()
    pack.save(update_fields=["progress_done", "touched_at"])
    if not pack.parts.filter(file="").exists() and pack.status == CanvasPack.Status.RENDERING:
        _after_commit("assemble_canvas_pack", pack.pk)


@transaction.atomic
def pack_assemble(*, pack: CanvasPack) -> CanvasPack:
    """Join the parts, once. Two parts finishing together can both queue the join: the
    second waits here for the first to finish and finds the pack done."""
    pack = (
        CanvasPack.objects.select_for_update(of=("self",))
        .select_related("workspace", "requested_by")
        .get(pk=pack.pk)
    )
    if pack.status == CanvasPack.Status.DONE and pack.file:
        return pack
    packs.assemble(pack)
    pack.status, pack.finished_at = CanvasPack.Status.DONE, timezone.now()
    pack.progress_done = pack.progress_total
    pack.save(update_fields=["file", "size", "status", "finished_at", "progress_done"])
    _delete_parts(pack)
    return pack


def pack_fail(*, pack: CanvasPack, error: Exception) -> None:
    """Show the failure on the page; rendered parts stay for a retry. A pack another
    task finished meanwhile stays done."""
    CanvasPack.objects.filter(pk=pack.pk).exclude(status=CanvasPack.Status.DONE).update(
        status=CanvasPack.Status.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )


@transaction.atomic
def pack_retry(*, pack: CanvasPack) -> CanvasPack:
    if pack.status != CanvasPack.Status.FAILED:
        raise ValidationError("Only a failed pack can be tried again.")
    require_broker()
    pack.status, pack.error = CanvasPack.Status.QUEUED, ""
    pack.finished_at = None
    pack.save(update_fields=["status", "error", "finished_at"])
    _after_commit("render_canvas_pack", pack.pk)
    return pack


def _delete_parts(pack: CanvasPack) -> None:
    for part in pack.parts.exclude(file=""):
        part.file.delete(save=False)
    pack.parts.all().delete()


def pack_delete(*, pack: CanvasPack) -> None:
    _delete_parts(pack)
    if pack.file:
        pack.file.delete(save=False)
    pack.delete()


def pack_requeue_stale() -> int:
    """Queue again the packs a killed worker left behind; returns how many.

    A task is killed after CELERY_TASK_TIME_LIMIT and every rendered part touches its
    pack, so a pack silent for twice that is not being worked on. With Redis, the
    unacknowledged task would only come back after the broker's visibility timeout.
    """
    cutoff = timezone.now() - timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    busy = [CanvasPack.Status.QUEUED, CanvasPack.Status.RENDERING]
    silent = Q(touched_at__lt=cutoff) | Q(touched_at__isnull=True, created_at__lt=cutoff)
    stale = list(CanvasPack.objects.filter(silent, status__in=busy).values_list("pk", flat=True))
    for pk in stale:
        with transaction.atomic():
            CanvasPack.objects.filter(pk=pk).update(
                status=CanvasPack.Status.QUEUED, touched_at=timezone.now()
            )
            _after_commit("render_canvas_pack", pk)
    return len(stale)
