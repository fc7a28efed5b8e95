"""Pack rendering as tasks: start (fan out), one task per part, join.

Parts render on any free worker process, so a pack uses all of them. Every task is
acknowledged late and retried; when the retries run out the pack shows the error.
"""

from celery import Task, shared_task

from canvases import packs, services
from canvases.models import CanvasPack, CanvasPackPart


class PackTask(Task):
    """Retried with backoff; the pack (first argument) is marked failed once out of tries."""

    acks_late = True
    autoretry_for = (Exception,)
    retry_backoff = True
    max_retries = 3

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        pack = CanvasPack.objects.filter(pk=args[0]).first()
        if pack is not None:
            services.pack_fail(pack=pack, error=exc)


@shared_task(base=PackTask)
def render_canvas_pack(pack_id: int) -> None:
    pack = CanvasPack.objects.filter(pk=pack_id).first()
    if pack is not None:
        services.pack_start(pack=pack)


@shared_task(base=PackTask)
def render_pack_part(pack_id: int, part_id: int) -> None:
    part = (
        CanvasPackPart.objects.select_related("pack__workspace", "canvas__workspace")
        .filter(pk=part_id, pack_id=pack_id)
        .first()
    )
    if part is None:  # the pack was deleted meanwhile
        return
    packs.render_part(part)
    services.pack_part_rendered(part=part)


@shared_task(base=PackTask)
def assemble_canvas_pack(pack_id: int) -> None:
    pack = CanvasPack.objects.select_related("workspace", "requested_by").filter(pk=pack_id).first()
    if pack is not None:
        services.pack_assemble(pack=pack)


@shared_task
def requeue_stale_packs() -> int:
    return services.pack_requeue_stale()
