"""50 workshop participants on one live board for 60 s, against Engage run as in production.

Starts gunicorn as README "Production" does (gthread, BENCH_WORKERS=4 × BENCH_THREADS=4,
app preloaded) and a Celery worker on the PostgreSQL and Redis of the environment, builds
a workspace with an empathy map of BENCH_NOTES notes (60), an open voting round and
BENCH_USERS participants (50), each signed in, opens the board on every server thread
(unmeasured: a warm server), then runs locust headless
(bench/locustfile.py) for BENCH_SECONDS (60): every participant opens the board, polls it
every 1.5 s carrying its revision, and adds a note about every 20 s, moves one every 60 s
and votes every 40 s. Prints per request kind the count, p50/p95/p99 (exact, from every
request) and errors; the CPU the server processes used (gunicorn, the worker, PostgreSQL
when it runs here, Redis) and locust's own, as a share of one core; the load average;
and whether the target is met: p99 ≤ 150 ms over all requests and 0 errors.
BENCH_LOG=1 prints gunicorn's and locust's logs. The workspace is deleted afterwards.
"""

import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="engage-bench-static-"))
os.environ["CELERY_QUEUE"] = f"bench-load-{os.getpid()}"

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from canvases import services as canvas_services  # noqa: E402
from engage import services  # noqa: E402
from engage.models import Membership, User, Workspace  # noqa: E402
from engage.roles import Role  # noqa: E402
from tests.servers import CeleryWorker, Gunicorn  # noqa: E402

USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
NOTES = int(os.environ.get("BENCH_NOTES", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
TARGET_P99_MS = 150.0
AREAS = ["see", "say", "do", "hear", "think", "pains", "gains"]
ANY_NOTE = 987654321  # stands for a note id in the plan's URLs
TICK = os.sysconf("SC_CLK_TCK")


def person_named(email: str, name: str) -> User:
    return User.objects.create(username=email, email=email, name=name)  # no password: fast


def build(run: str) -> tuple[Workspace, dict]:
    """The workspace, the board and the signed-in participants; the plan locust reads."""
    owner = person_named(f"{run}-owner@engage.example", "Fay Facilitator")
    workspace = services.workspace_create(name=f"Load benchmark {run}", created_by=owner)
    canvas = canvas_services.canvas_create(
        workspace=workspace, type_slug="empathy_map", created_by=owner
    )
    for n in range(NOTES):
        canvas_services.note_create(
            canvas=canvas, area=AREAS[n % len(AREAS)], text=f"Seed note {n}", author=owner
        )
    canvas_services.round_start(canvas=canvas, actor=owner, votes_per_person=20)
    sessions = []
    for n in range(USERS):
        person = person_named(f"{run}-{n}@engage.example", f"Participant {n}")
        Membership.objects.create(workspace=workspace, user=person, role=Role.PARTICIPANT)
        client = Client()
        client.force_login(person)
        sessions.append(client.cookies["sessionid"].value)
    ids = {"workspace": workspace.slug, "canvas": canvas.pk}
    plan = {
        "board": reverse("canvases:board", kwargs=ids),
        "add": reverse("canvases:note_add", kwargs=ids),
        "move": reverse("canvases:note_move", kwargs={**ids, "note": ANY_NOTE}),
        "vote": reverse("canvases:note_vote", kwargs={**ids, "note": ANY_NOTE}),
        "any_note": str(ANY_NOTE),
        "notes": list(canvas.notes.values_list("pk", flat=True)),
        "areas": AREAS,
        "sessions": sessions,
    }
    return workspace, plan


def warm_up(url: str, plan: dict) -> None:
    """Open the board as many times at once as the server has threads, twice, so that each
    worker has rendered it and each thread holds its database connection, as on a server
    that has been up a while; none of this is measured."""
    sessions = [plan["sessions"][n % len(plan["sessions"])] for n in range(WORKERS * THREADS)]

    def open_board(session: str) -> None:
        requests.get(url + plan["board"], cookies={"sessionid": session}, timeout=60)

    with ThreadPoolExecutor(len(sessions)) as pool:
        for _ in range(2):
            list(pool.map(open_board, sessions))


def process_tree(root: int) -> list[int]:
    """The process and all its descendants, as /proc shows them now."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            ppid = int(Path(stat).read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(stat.split("/")[2]))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still alive."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return seconds


def local_services() -> dict[str, int]:
    """Root pids of the PostgreSQL and Redis servers, when they run on this machine."""
    roots = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'data_directory'")
        pid_file = Path(cursor.fetchone()[0]) / "postmaster.pid"
    if pid_file.exists():
        roots["PostgreSQL"] = int(pid_file.read_text().split()[0])
    info = redis.Redis.from_url(settings.REDIS_URL).info("server")
    if Path(f"/proc/{info['process_id']}").exists():
        roots["Redis"] = info["process_id"]
    return roots


class CpuMeter:
    """CPU seconds used by process trees between start() and stop()."""

    def __init__(self, roots: dict[str, int]):
        self.roots = roots

    def sample(self) -> dict[str, dict[int, float]]:
        return {name: cpu_seconds(process_tree(root)) for name, root in self.roots.items()}

    def start(self):
        self.before = self.sample()

    def stop(self) -> dict[str, float]:
        return {
            name: sum(used - self.before[name].get(pid, 0.0) for pid, used in tree.items())
            for name, tree in self.sample().items()
        }


def percentiles(times: list[float]) -> tuple[float, float, float]:
    return tuple(float(numpy.percentile(times, p)) for p in (50, 95, 99))


def report(results: list, cpu: dict[str, float], load: tuple[float, float]) -> None:
    kinds = sorted({name for name, *_ in results})
    print(
        f"{USERS} participants, one board ({NOTES} notes at the start), {SECONDS} s; "
        f"gunicorn gthread {WORKERS} workers × {THREADS} threads; {os.cpu_count()} cores"
    )
    print(f"{'request':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind in [*kinds, "all"]:
        rows = [row for row in results if kind in ("all", row[0])]
        times = [row[2] for row in rows]
        p50, p95, p99 = percentiles(times)
        errors = sum(1 for row in rows if row[3])
        print(f"{kind:<20}{len(rows):>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}{errors:>8}")
    first_errors = sorted({row[3] for row in results if row[3]})[:5]
    if first_errors:
        print("errors seen:", "; ".join(first_errors))
    rate = len(results) / SECONDS
    print(f"throughput {rate:.0f} requests/s")
    print(
        f"CPU over the {SECONDS} s, share of one core: "
        + ", ".join(f"{name} {seconds / SECONDS * 100:.0f} %" for name, seconds in cpu.items())
    )
    print(f"load average {load[0]:.2f} before, {load[1]:.2f} after")
    p99 = percentiles([row[2] for row in results])[2]
    met = p99 <= TARGET_P99_MS and not any(row[3] for row in results)
    print(f"target p99 ≤ {TARGET_P99_MS:.0f} ms and 0 errors: {'met' if met else 'not met'}")


def main():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Needs PostgreSQL and Redis: `make services-up`, then `. ./.services.env`.")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed names
    run = f"load-{uuid.uuid4().hex[:8]}"
    workspace, plan = build(run)
    folder = Path(tempfile.mkdtemp(prefix="engage-bench-load-"))
    (folder / "plan.json").write_text(json.dumps(plan))
    app = Gunicorn(dict(os.environ), folder / "gunicorn.log", workers=WORKERS, threads=THREADS)
    worker = CeleryWorker(dict(os.environ), os.environ["CELERY_QUEUE"], folder / "worker.log")
    try:
        app.launch(), worker.launch()
        app.wait(), worker.wait()
        warm_up(app.url, plan)
        meter = CpuMeter({"gunicorn": app.process.pid, "worker": worker.process.pid})
        meter.roots |= local_services()
        locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                  "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
                  "--run-time", f"{SECONDS}s", "--host", app.url, "--only-summary",
                  "--loglevel", "WARNING"]  # fmt: skip
        env = {
            **os.environ,
            "LOAD_PLAN": str(folder / "plan.json"),
            "LOAD_RESULTS": str(folder / "results.json"),
        }
        load_before = os.getloadavg()[0]
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        meter.start()
        with open(folder / "locust.log", "w") as log:
            subprocess.run(
                locust, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=SECONDS + 120
            )
        cpu = meter.stop()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust, now reaped
        cpu["locust"] = sum(
            getattr(children, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime")
        )
        results = json.loads((folder / "results.json").read_text())
    finally:
        app.stop()
        worker.stop()
        if os.environ.get("BENCH_LOG"):
            print(app.log(), (folder / "locust.log").read_text(), sep="\n")
        Workspace.objects.filter(pk=workspace.pk).delete()
        User.objects.filter(email__startswith=f"{run}-").delete()
    report(results, cpu, (load_before, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
