"""Canvases as PDF, from the same sheet template as the board plus print CSS.

WeasyPrint fetches only the app's own static files (stylesheets, fonts): user text
can never make it reach the network or the file system.
"""

import posixpath
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from canvases import selectors
from canvases.models import Canvas

# A made-up origin: templates link static files under it, and nothing else is served.
PDF_ORIGIN = "https://engage.pdf.invalid"
MIME_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


def static_file(url: str) -> Path | None:
    """The file behind a static URL of our origin, or None for anything else."""
    prefix = f"{PDF_ORIGIN}{settings.STATIC_URL}"
    if not url.startswith(prefix):
        return None
    name = posixpath.normpath(url[len(prefix) :].split("?")[0].split("#")[0])
    if name.startswith(("..", "/")) or Path(name).suffix not in MIME_TYPES:
        return None
    collected = Path(settings.STATIC_ROOT) / name
    if collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if found else None


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        path = static_file(url)
        if path is None:
            raise ValueError(
                f"The PDF renderer fetches only Engage's static files, not {url[:80]!r}"
            )
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": MIME_TYPES[path.suffix]})


def canvas_context(canvas: Canvas) -> dict:
    """What the sheet needs, read-only: no forms, menus, vote buttons or unrevealed notes."""
    return {
        "canvas": canvas,
        "canvas_type": canvas.canvas_type,
        "workspace": canvas.workspace,
        "areas": selectors.board_areas(canvas, None, facilitating=False),
        "header_fields": selectors.header_fields(canvas),
        "notes_url": "",
        "can_write": False,
        "can_edit_fields": False,
        "generated_at": timezone.now(),
    }


CANVAS_STYLES = ("css/print.css", "css/board.css", "css/print-board.css")


_parsed = threading.local()


def print_stylesheets(styles: tuple[str, ...]) -> tuple[FontConfiguration, list[CSS]]:
    """The app's print stylesheets parsed with their fonts, once per thread.

    Parsing them costs ~0.15 s, a tenth of a canvas's rendering; a pack renders a
    dozen documents in each process. Per thread, as WeasyPrint's font configuration
    must not be used by two at once; parsed again on every call in DEBUG, where the
    files change.
    """
    parsed = _parsed.__dict__.setdefault("stylesheets", {})
    if styles not in parsed or settings.DEBUG:
        fetcher, fonts = StaticOnlyFetcher(), FontConfiguration()
        parsed[styles] = (
            fonts,
            [
                CSS(
                    url=f"{PDF_ORIGIN}{staticfiles_storage.url(name)}",
                    url_fetcher=fetcher,
                    font_config=fonts,
                )
                for name in styles
            ],
        )
    return parsed[styles]


def render_document(html: str, styles=CANVAS_STYLES):
    """Lay out `html` with the app's print stylesheets; everything it loads is static."""
    fonts, stylesheets = print_stylesheets(tuple(styles))
    page = HTML(string=html, base_url=f"{PDF_ORIGIN}/", url_fetcher=StaticOnlyFetcher())
    return page.render(stylesheets=stylesheets, font_config=fonts)


def render_canvas_pdf(canvas: Canvas) -> bytes:
    html = render_to_string("canvases/pdf/canvas.html", canvas_context(canvas))
    return render_document(html).write_pdf()


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    """A PDF to save as `filename`; private, as it holds a workspace's data."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
