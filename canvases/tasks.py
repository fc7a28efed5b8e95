from celery import shared_task

from canvases.models import CanvasPack
from canvases.packs import render_pack
from canvases.services import pack_requeue_stale


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3
)
def render_canvas_pack(self, pack_id: int) -> None:
    pack = CanvasPack.objects.select_related("workspace", "requested_by").filter(pk=pack_id).first()
    if pack is None:
        return
    render_pack(pack)


@shared_task
def requeue_stale_packs() -> int:
    return pack_requeue_stale()
