"""A 10-canvas pack with 40 notes per canvas: seconds and peak memory, against Chromium.

Starts a real Celery worker (prefork, one process per core, as in production) on a
queue of its own, requests the pack as the web page does and times request → done,
median of BENCH_ROUNDS. Memory is the peak of the worker's summed proportional set
size (PSS: all its processes together, shared pages counted once), sampled every
100 ms. Then prints the same canvases' HTML with headless Chromium's print-to-PDF in
the same run for a ratio. Targets: ≤ 5 s and ≤ 300 MB. Needs PostgreSQL and Redis
(`make services-up`). Creates a throwaway workspace and deletes it afterwards.
"""

import os
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
os.environ["CELERY_QUEUE"] = f"bench-pdf-{os.getpid()}"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from canvases import services, types  # noqa: E402
from canvases.models import CanvasPack  # noqa: E402
from canvases.pdf import CANVAS_STYLES, canvas_context  # noqa: E402
from canvases.tasks import render_canvas_pack  # noqa: E402
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
        for n in range(40 if areas else 0):  # an ecosystem map holds parties, not notes
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


def tree_pss_mib(pid: int) -> float:
    """Summed PSS of a process and all its descendants, in MiB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text()
                pending.extend(int(child) for child in children.split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / 1024


def start_worker(log: Path) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "engage", "worker", "--loglevel=INFO",
         f"--concurrency={os.cpu_count()}", f"--queues={os.environ['CELERY_QUEUE']}"],
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the worker did not start:\n" + log.read_text())
        time.sleep(0.2)
    return worker


def time_worker(pack: CanvasPack, worker: subprocess.Popen) -> tuple[float, float]:
    """Render the pack ROUNDS times on the worker: median seconds, peak MiB.

    The request that build_pack made is the warm-up round, not timed.
    """
    wait_until_done(pack, worker)
    samples, peak = [], 0.0
    for _ in range(ROUNDS):
        if pack.file:
            pack.file.delete(save=False)
        CanvasPack.objects.filter(pk=pack.pk).update(
            status=CanvasPack.Status.QUEUED, file="", progress_done=0, started_at=None
        )
        start = time.perf_counter()
        render_canvas_pack.delay(pack.pk)
        peak = max(peak, wait_until_done(pack, worker))
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), peak


def wait_until_done(pack: CanvasPack, worker: subprocess.Popen) -> float:
    """Poll until the pack is done; the worker's peak memory meanwhile, in MiB."""
    peak = 0.0
    while True:
        pack.refresh_from_db()
        if pack.status == CanvasPack.Status.DONE:
            return peak
        if pack.status == CanvasPack.Status.FAILED:
            raise SystemExit(f"the pack failed: {pack.error}")
        peak = max(peak, tree_pss_mib(worker.pid))
        time.sleep(0.1)


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
    if not settings.REDIS_URL:
        raise SystemExit("needs REDIS_URL and DATABASE_URL: run `make services-up` first")
    call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed names
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "worker.log"
        worker = start_worker(log)
        time.sleep(2)
        idle = tree_pss_mib(worker.pid)
        pack = build_pack()
        workspace, owner = pack.workspace, pack.requested_by
        try:
            seconds, peak = time_worker(pack, worker)
            chromium = time_chromium(chromium_html(pack, Path(folder)), Path(folder))
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            Workspace.objects.filter(pk=workspace.pk).delete()
            owner.delete()
        if os.environ.get("BENCH_LOG"):
            print(log.read_text())
    print(
        f"10 canvases × 40 notes, median of {ROUNDS} runs, worker with {os.cpu_count()} processes"
    )
    print(f"WeasyPrint pack, request to done: {seconds:.2f} s, {pack.size // 1024} KB")
    print(
        f"worker memory (PSS, all its processes): peak {peak:.0f} MiB while rendering, "
        f"{idle:.0f} MiB idle before its first task"
    )
    print(
        f"Chromium print-to-PDF of the same canvases: {chromium:.2f} s (ratio {seconds / chromium:.2f})"
    )
    print(
        f"targets ≤ 5 s: {'met' if seconds <= 5 else 'not met'}; "
        f"≤ 300 MB: {'met' if peak * 1.048576 <= 300 else 'not met'}"
    )


if __name__ == "__main__":
    main()
