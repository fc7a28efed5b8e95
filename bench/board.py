"""Live-board costs on an empathy map as its notes grow: render, note add, poll.

Baseline: /healthz (one trivial query) in the same process. Times the board page with
50 and 500 notes, then on the 500-note board a poll that finds nothing changed (204),
a poll after one note changed, and an htmx note add sent as board.js sends it, with the
revision the board shows (each add grows the board by one, so those run from 500 to
500 + N notes). Each figure is a median and a p95 over BENCH_ROUNDS requests (default
30). Set BENCH_PROFILE=1 to also print a cProfile of one 500-note board render. Creates
a throwaway workspace and users and deletes them after.
"""

import atexit
import cProfile
import io
import math
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")
STATIC_ROOT = os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="engage-bench-static-")

import django
from django.core.management import call_command

atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)  # also if setup fails
django.setup()
call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed static names

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from canvases import services as canvas_services  # noqa: E402
from canvases import types  # noqa: E402
from canvases.models import Canvas, CanvasEvent, Note, NoteColour  # noqa: E402
from canvases.services.events import note_state  # noqa: E402
from engage import services  # noqa: E402
from engage.models import User, Workspace  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
TARGET_P95_MS = 50.0
EMAILS = [f"bench-board-{n}@engage.example" for n in range(4)]  # owner + three authors
TEXTS = [
    "Spends the first hour of the day answering the same three questions",
    "Worried the new tool will make them look slow in front of the team",
    "“I just need to know what changed since yesterday.”",
    "Checks the dashboard, then rings the supplier anyway",
    "Hears from colleagues that the old process was fine\nand sees no reason to switch",
    "Wants a report they can forward without editing",
    "Reads reviews on forums & compares prices <before> asking",
    "Short note",
]


class Stats:
    def __init__(self, samples, queries, size):
        self.median = statistics.median(samples)
        self.p95 = sorted(samples)[math.ceil(0.95 * len(samples)) - 1]  # nearest rank
        self.queries = queries
        self.kb = size / 1024


def measure(request, expect, before=None) -> Stats:
    """Time `request()` ROUNDS times after one warm-up; `before()` runs untimed each round."""
    if before:
        before()
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = request()  # warm up, and count its queries
    assert response.status_code == expect, response.status_code
    samples = []
    for _ in range(ROUNDS):
        if before:
            before()
        start = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, response.status_code
    return Stats(samples, len(queries), len(response.content))


def seed(canvas, authors, target):
    """Grow the canvas to `target` live notes, spread round-robin over its note areas.

    All but the last three are bulk-created together with their NOTE_CREATED events and
    a matching canvas revision; the last three go through the service, which publishes
    the revision to the cache exactly as a real add does.
    """
    areas = [area.slug for area in canvas.canvas_type.note_areas]
    existing = canvas.notes.filter(is_deleted=False).count()
    count = target - existing
    bulk = max(0, count - 3)
    with transaction.atomic():
        locked = Canvas.objects.select_for_update().get(pk=canvas.pk)
        positions = {area: canvas.notes.filter(area=area).count() for area in areas}
        notes = []
        for n in range(existing, existing + bulk):
            area = areas[n % len(areas)]
            notes.append(
                Note(
                    canvas=locked,
                    area=area,
                    text=f"{TEXTS[n % len(TEXTS)]} ({n})",
                    colour=NoteColour.values[n % len(NoteColour.values)],
                    author=authors[n % len(authors)],
                    position=positions[area],
                )
            )
            positions[area] += 1
        Note.objects.bulk_create(notes)
        CanvasEvent.objects.bulk_create(
            CanvasEvent(
                canvas=locked,
                revision=locked.revision + i,
                kind=CanvasEvent.Kind.NOTE_CREATED,
                actor=note.author,
                note=note,
                after=note_state(note),
            )
            for i, note in enumerate(notes, start=1)
        )
        Canvas.objects.filter(pk=canvas.pk).update(revision=locked.revision + len(notes))
    for n in range(existing + bulk, target):
        canvas_services.note_create(
            canvas=canvas,
            area=areas[n % len(areas)],
            text=f"{TEXTS[n % len(TEXTS)]} ({n})",
            author=authors[n % len(authors)],
        )
    canvas.refresh_from_db()
    assert canvas.notes.filter(is_deleted=False).count() == target
    assert canvas.events.count() == canvas.revision  # one event per revision, none skipped


def profile(client, url) -> str:
    """cProfile of one request: the top functions by cumulative and by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def main():
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    User.objects.filter(email__in=EMAILS).delete()
    users, workspace, canvas = [], None, None
    try:
        for n, email in enumerate(EMAILS):
            users.append(
                services.user_sign_up(email=email, name=f"Bench {n}", password="bench-password-1")
            )
        owner = users[0]
        workspace = services.workspace_create(name="Board benchmark", created_by=owner)
        canvas = canvas_services.canvas_create(
            workspace=workspace, type_slug=types.EMPATHY_MAP.slug, created_by=owner
        )
        client = Client()
        client.force_login(owner)
        args = [workspace.slug, canvas.pk]
        board_url = reverse("canvases:board", args=args)
        poll_url = reverse("canvases:board_poll", args=args)
        add_url = reverse("canvases:note_add", args=args)

        baseline = measure(lambda: client.get(reverse("healthz")), 200)
        results = {}
        for notes in (50, 500):
            seed(canvas, users, notes)
            results[f"board render, {notes} notes"] = measure(lambda: client.get(board_url), 200)
        profiled = profile(client, board_url) if os.environ.get("BENCH_PROFILE") else ""

        # Poll as the board does: the revision it knows and who it shows as present.
        people = str(owner.pk)
        state = {"rev": 0, "flip": 0}

        def note_revision():
            canvas.refresh_from_db(fields=["revision"])
            state["rev"] = canvas.revision

        def poll():
            return client.get(poll_url, {"rev": state["rev"], "people": people})

        results["poll, nothing changed"] = measure(poll, 204, before=note_revision)

        state["note"] = canvas.notes.filter(is_deleted=False).order_by("pk").last()

        def change_one_note():
            note_revision()
            state["flip"] ^= 1
            state["note"] = canvas_services.note_edit(
                note=state["note"],
                actor=owner,
                expected_version=state["note"].version,
                text=f"Edited while benchmarking ({state['flip']})",
            )

        results["poll, one note changed"] = measure(poll, 200, before=change_one_note)

        areas = [area.slug for area in canvas.canvas_type.note_areas]
        added = {"n": 0}

        def add_note():
            added["n"] += 1
            return client.post(
                add_url,
                {"area": areas[added["n"] % len(areas)], "text": f"Added note {added['n']}"},
                HTTP_HX_REQUEST="true",
                HTTP_X_BOARD_REVISION=str(state["rev"]),  # as board.js sends it
            )

        results["note add (htmx)"] = measure(add_note, 200, before=note_revision)

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"database: {engine}; cache: {cache_backend}; {ROUNDS} requests per figure; "
            f"baseline /healthz median {baseline.median:.2f} ms"
        )
        print(
            f"{'measure':<28}{'median ms':>11}{'p95 ms':>9}{'vs healthz':>12}"
            f"{'queries':>9}{'KB':>8}"
        )
        for name, figure in results.items():
            print(
                f"{name:<28}{figure.median:>11.2f}{figure.p95:>9.2f}"
                f"{figure.median / baseline.median:>12.1f}{figure.queries:>9}{figure.kb:>8.1f}"
            )
        small, large = results["board render, 50 notes"], results["board render, 500 notes"]
        print(
            f"{'render ratio 500/50':<28}{large.median / small.median:>11.2f}"
            f"{large.p95 / small.p95:>9.2f}"
        )
        print(
            "note add and the changed poll run on the 500-note board "
            f"(note add grows it to {500 + added['n']})"
        )
        met = "met" if large.p95 <= TARGET_P95_MS else "not met"
        print(
            f"target p95 ≤ {TARGET_P95_MS:.0f} ms (board render, 500 notes): {met} "
            f"(p95 {large.p95:.2f} ms)"
        )

        if profiled:
            print(f"\ncProfile of one 500-note board render:\n{profiled}")
    finally:
        if workspace is not None:
            Workspace.objects.filter(pk=workspace.pk).delete()  # canvas, notes, events cascade
        if canvas is not None:
            cache.delete_many(
                [canvas_services.revision_cache_key(canvas.pk), f"canvas:{canvas.pk}:presence"]
            )
        User.objects.filter(pk__in=[user.pk for user in users]).delete()


if __name__ == "__main__":
    main()
