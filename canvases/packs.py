"""Canvas packs: many canvases, a cover and a table of contents in one PDF.

Higher apps add their own sections (a journey map, metrics) with
`register_pack_section` from their AppConfig.ready(); canvases knows nothing of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from canvases.models import CanvasPack
from canvases.pdf import PdfRenderer, canvas_context
from engage.models import Workspace


@dataclass(frozen=True)
class PackSection:
    slug: str
    title: str
    render: Callable[[Workspace], str]


_sections: dict[str, PackSection] = {}


def register_pack_section(slug: str, title: str, render: Callable[[Workspace], str]) -> None:
    _sections[slug] = PackSection(slug, title, render)


def pack_sections() -> list[PackSection]:
    return list(_sections.values())


COVER_STYLES = ("css/print.css", "css/print-pack.css")


def _cover(renderer: PdfRenderer, pack: CanvasPack, entries: list[dict], first_pages: list[int]):
    """The cover and contents; page numbers count the cover's own pages, so fit them."""
    cover_pages, cover = 1, None
    for _attempt in range(3):
        for entry, first in zip(entries, first_pages, strict=True):
            entry["page"] = cover_pages + first
        context = {"pack": pack, "workspace": pack.workspace, "entries": entries}
        cover = renderer.document(
            render_to_string("canvases/packs/cover.html", context), COVER_STYLES
        )
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    return cover


def render_pack(pack: CanvasPack) -> CanvasPack:
    """Render the pack's PDF and store it; a done pack is left as it is."""
    if pack.status == CanvasPack.Status.DONE and pack.file:
        return pack
    rows = CanvasPack.objects.filter(pk=pack.pk)
    pack.started_at = timezone.now()
    pack.status, pack.error, pack.progress_done = CanvasPack.Status.RENDERING, "", 0
    rows.update(status=pack.status, error="", progress_done=0, started_at=pack.started_at)
    try:
        documents, entries, renderer = [], [], PdfRenderer()
        canvases = pack.canvases.select_related("workspace", "persona", "job").order_by(
            "persona__name", "title", "version", "pk"
        )
        for canvas in canvases:
            context = {**canvas_context(canvas), "pack": pack}
            documents.append(
                renderer.document(render_to_string("canvases/pdf/canvas.html", context))
            )
            entries.append({"title": str(canvas), "type": canvas.canvas_type.title})
            pack.progress_done += 1
            rows.update(progress_done=pack.progress_done)
        for section in pack_sections():
            documents.append(renderer.document(section.render(pack.workspace), COVER_STYLES))
            entries.append({"title": section.title, "type": "Section"})
        first_pages, page = [], 1
        for document in documents:
            first_pages.append(page)
            page += len(document.pages)
        cover = _cover(renderer, pack, entries, first_pages)
        pages = [page for document in [cover, *documents] for page in document.pages]
        data = cover.copy(pages).write_pdf()
        if pack.file:
            pack.file.delete(save=False)
        pack.file.save(
            f"{slugify(pack.title) or 'pack'}-{pack.pk}.pdf", ContentFile(data), save=False
        )
        pack.size, pack.status, pack.finished_at = len(data), CanvasPack.Status.DONE, timezone.now()
        pack.save(update_fields=["file", "size", "status", "finished_at"])
    except Exception as error:
        pack.status = CanvasPack.Status.FAILED
        pack.error = f"{type(error).__name__}: {error}"[:2000]
        pack.finished_at = timezone.now()
        rows.update(status=pack.status, error=pack.error, finished_at=pack.finished_at)
        raise
    return pack
