"""A 10-canvas pack with 40 notes per canvas: seconds and peak memory, against Chromium.

Renders the pack with render_pack (what the Celery task runs), in a child process so
its peak memory is its own, then prints the same canvases' HTML with headless
Chromium's print-to-PDF in the same run for a ratio. Targets: ≤ 5 s and ≤ 300 MB.
Creates a throwaway workspace and deletes it afterwards.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="engage-bench-media-"))
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="engage-bench-static-"))

import django

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from canvases import services, types  # noqa: E402
from canvases.models import CanvasPack  # noqa: E402
from canvases.packs import render_pack  # noqa: E402
from canvases.pdf import CANVAS_STYLES, canvas_context  # noqa: E402
from engage import services as engage_services  # noqa: E402
from engage.models import User, Workspace  # noqa: E402

TYPES = [
    "empathy_map",
    "jtbd_forces",
    "jtbd_timeline",
    "benefits_dependency_network",
    "ecosystem_map",
    "stakeholder_engagement_card",
    "jtbd_filter",
    "jtbd_prioritization",
    "persona_card",
    "empathy_map",
]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def build_pack() -> CanvasPack:
    email = "pdf-bench@engage.example"
    User.objects.filter(email=email).delete()
    owner = engage_services.user_sign_up(email=email, name="PDF bench", password="bench-password-1")
    workspace = engage_services.workspace_create(name="PDF benchmark", created_by=owner)
    persona = engage_services.persona_create(
        workspace=workspace, created_by=owner, name="Priya Nair"
    )
    canvases = []
    for slug in TYPES:
        canvas = services.canvas_create(
            workspace=workspace, type_slug=slug, created_by=owner, persona=persona
        )
        areas = types.get(slug).note_areas
        for n in range(40):
            area = areas[n % len(areas)]
            services.note_create(
                canvas=canvas,
                area=area.slug,
                text=f"Note {n}: new hires wait two days for a laptop",
                author=owner,
                score=3 if area.note_score else None,
            )
        canvases.append(canvas)
    return services.pack_request(
        workspace=workspace, requested_by=owner, canvases=canvases, title="Bench pack"
    )


def time_weasyprint(pack_id: int) -> None:
    """Child process: render the pack ROUNDS times, print seconds and peak RSS."""
    samples = []
    for _ in range(ROUNDS):
        pack = CanvasPack.objects.get(pk=pack_id)
        CanvasPack.objects.filter(pk=pack_id).update(status=CanvasPack.Status.QUEUED)
        pack.status = CanvasPack.Status.QUEUED
        start = time.perf_counter()
        render_pack(pack)
        samples.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{statistics.median(samples):.2f} {peak:.0f} {pack.size}")


def chromium_html(pack: CanvasPack, folder: Path) -> Path:
    """The same canvases as one HTML file with local stylesheets, for Chromium."""
    links = "".join(
        f'<link rel="stylesheet" href="file://{finders.find(name)}">' for name in CANVAS_STYLES
    )
    bodies = []
    for canvas in pack.canvases.all():
        html = render_to_string("canvases/pdf/canvas.html", canvas_context(canvas))
        bodies.append(html.split("<body>", 1)[1].rsplit("</body>", 1)[0])
    page = folder / "pack.html"
    page.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'>{links}</head><body>"
        + '<div style="break-after: page"></div>'.join(bodies)
        + "</body></html>"
    )
    return page


def time_chromium(page: Path, folder: Path) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        subprocess.run(
            [
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={folder / 'profile'}",
                f"--print-to-pdf={folder / 'chromium.pdf'}",
                "--no-pdf-header-footer",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        time_weasyprint(int(sys.argv[2]))
        return
    call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed names
    pack = build_pack()
    workspace, owner = pack.workspace, pack.requested_by
    try:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(pack.pk)],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, peak, size = child.stdout.split()[-3:]
        with tempfile.TemporaryDirectory() as folder:
            chromium = time_chromium(chromium_html(pack, Path(folder)), Path(folder))
        print(f"10 canvases × 40 notes, median of {ROUNDS} runs")
        print(
            f"WeasyPrint pack: {float(seconds):.2f} s, peak {peak} MiB (whole process), {int(size) // 1024} KB"
        )
        print(
            f"Chromium print-to-PDF of the same canvases: {chromium:.2f} s (ratio {float(seconds) / chromium:.2f})"
        )
        print(
            f"targets ≤ 5 s: {'met' if float(seconds) <= 5 else 'not met'}; "
            f"≤ 300 MB: {'met' if int(peak) <= 300 else 'not met'}"
        )
    finally:
        Workspace.objects.filter(pk=workspace.pk).delete()
        owner.delete()


if __name__ == "__main__":
    main()
