"""Canvas packs: many canvases, a cover and a table of contents in one PDF.

Each canvas (and each registered section) renders to its own PDF in its own task, so a
pack renders on as many worker processes as there are; the parts are then joined
behind a cover whose contents list where each part starts. Higher apps add their own
sections (a journey map, metrics) with `register_pack_section` from their
AppConfig.ready(); canvases knows nothing of them.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter

from canvases import types
from canvases.models import CanvasPack, CanvasPackPart
from canvases.pdf import CANVAS_STYLES, canvas_context, render_document
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


def render_part(part: CanvasPackPart) -> None:
    """Render one part to its PDF file; a part already rendered is left as it is."""
    if part.file:
        return
    if part.canvas_id:
        context = {**canvas_context(part.canvas), "pack": part.pack}
        html = render_to_string("canvases/pdf/canvas.html", context)
        styles = CANVAS_STYLES
    else:
        html, styles = _sections[part.section].render(part.pack.workspace), COVER_STYLES
    document = render_document(html, styles)
    part.pages = len(document.pages)
    name = f"{part.pack_id}-{part.position}.pdf"
    part.file.save(name, ContentFile(document.write_pdf()), save=False)
    part.save(update_fields=["file", "pages"])


def _contents(parts: list[CanvasPackPart], cover_pages: int) -> list[dict]:
    entries, page = [], cover_pages + 1
    for part in parts:
        if part.canvas_id:
            canvas = part.canvas
            title, kind = str(canvas), types.get(canvas.type).title  # the title only: no reshaping
            group = canvas.persona.name if canvas.persona else "Without a persona"
        else:
            title, kind, group = _sections[part.section].title, "Section", "More"
        entries.append({"title": title, "type": kind, "group": group, "page": page})
        page += part.pages
    return entries


def _cover(pack: CanvasPack, parts: list[CanvasPackPart]) -> bytes:
    """The cover and contents; page numbers count the cover's own pages, so fit them."""
    cover_pages = 1
    for _attempt in range(3):
        context = {
            "pack": pack,
            "workspace": pack.workspace,
            "entries": _contents(parts, cover_pages),
        }
        document = render_document(
            render_to_string("canvases/packs/cover.html", context), COVER_STYLES
        )
        if len(document.pages) == cover_pages:
            break
        cover_pages = len(document.pages)
    return document.write_pdf()


def assemble(pack: CanvasPack) -> None:
    """Join the cover and the rendered parts into the pack's file; bookmarks come along."""
    parts = list(pack.parts.select_related("canvas__persona", "canvas__job"))
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_cover(pack, parts))))
    for part in parts:
        with part.file.open("rb") as document:
            writer.append(PdfReader(io.BytesIO(document.read())))
    metadata = {"/Title": pack.title, "/Creator": "Engage"}
    if pack.requested_by:
        metadata["/Author"] = pack.requested_by.display_name
    writer.add_metadata(metadata)
    output = io.BytesIO()
    writer.write(output)
    if pack.file:
        pack.file.delete(save=False)
    name = f"{slugify(pack.title) or 'pack'}-{pack.pk}.pdf"
    pack.file.save(name, ContentFile(output.getvalue()), save=False)
    pack.size = len(output.getvalue())
