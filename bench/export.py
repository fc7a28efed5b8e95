"""Whole-workspace export and import: seconds and memory, for the demo workspace and for
workspaces with N interaction events, against raw copies of the same rows.

For the demo workspace (seeded here unless it exists) and for each N of BENCH_SIZES
(default "250000,1000000": N events and N survey answers, N/20 purchases, N/50 mentions,
N/100 customers, generated in SQL by bench/metrics.py's `generate`): `workspace_export`
into a file, then `workspace_import` of that file into a new workspace, each timed, with
the process's peak RSS above what it held before (sampled every 20 ms: memory must not
grow with the row count). Baselines in the same process: a raw `COPY (SELECT …) TO
STDOUT` of the same rows (the least an export can cost) and an `INSERT … SELECT` copy of
the events inside the database (the least storing rows can cost), as rows per second. PostgreSQL only (`make services-up`); generated
and imported workspaces are deleted afterwards, also when it fails.
"""

import importlib.util
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from engage.demo import DEMO_EMAIL, DEMO_SLUG, seed_demo  # noqa: E402
from engage.models import User, Workspace  # noqa: E402
from engage.portability import parts, workspace_export, workspace_import  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "250000,1000000").split(",")]
_spec = importlib.util.spec_from_file_location("bench_metrics", REPO / "bench" / "metrics.py")
bench_metrics = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_metrics)


class PeakRss:
    """The process's resident memory, sampled in a thread: its peak above the start."""

    def __enter__(self):
        self.start = self.peak = self._rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)

    @property
    def grown_mib(self) -> float:
        return (self.peak - self.start) / 2**20


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rows_of(workspace: Workspace) -> int:
    return sum(part.rows(workspace).count() for part in parts())


def copy_out(workspace: Workspace) -> float:
    """COPY every exported table's rows of the workspace to nowhere: the floor of an export."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for part in parts():
            query, params = part.rows(workspace).query.sql_with_params()
            with cursor.copy(f"COPY ({query}) TO STDOUT", params) as copy:
                for _block in copy:
                    pass
    return time.perf_counter() - started


def copy_in(workspace: Workspace) -> tuple[int, float]:
    """INSERT … SELECT the workspace's events into a scratch workspace inside the database
    (then dropped): the floor of storing that many rows. Returns (events, seconds)."""
    scratch = Workspace.objects.create(name="Bench copy", slug="bench-export-copy")
    columns = "customer_id, anonymous_id, event, channel, timestamp, properties, message_id"
    try:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO metrics_interactionevent (workspace_id, {columns}) "
                f"SELECT %s, {columns} FROM metrics_interactionevent WHERE workspace_id = %s",
                [scratch.pk, workspace.pk],
            )
            events = cursor.rowcount
        return events, time.perf_counter() - started
    finally:
        sql("DELETE FROM metrics_interactionevent WHERE workspace_id = %s", [scratch.pk])
        scratch.delete()


def round_trip(label: str, workspace: Workspace, owner: User) -> None:
    rows = rows_of(workspace)
    with tempfile.NamedTemporaryFile(suffix=".zip") as target:
        with PeakRss() as export_memory:
            started = time.perf_counter()
            workspace_export(workspace=workspace, target=target)
            export_seconds = time.perf_counter() - started
        size = target.tell()
        target.flush()
        with PeakRss() as import_memory:
            started = time.perf_counter()
            imported = workspace_import(source=target.name, owner=owner).workspace
            import_seconds = time.perf_counter() - started
        imported.delete()
    out_floor = copy_out(workspace)
    events, in_floor = copy_in(workspace)
    print(
        f"{label}: {rows:,} rows, file {size / 2**20:.1f} MiB\n"
        f"  export {export_seconds:.1f} s ({rows / export_seconds:,.0f} rows/s), peak RSS +"
        f"{export_memory.grown_mib:.0f} MiB; raw COPY out of the same rows {out_floor:.1f} s "
        f"(ratio {export_seconds / out_floor:.1f}×)\n"
        f"  import {import_seconds:.1f} s ({rows / import_seconds:,.0f} rows/s), peak RSS +"
        f"{import_memory.grown_mib:.0f} MiB; INSERT … SELECT of its {events:,} events "
        f"{in_floor:.1f} s ({events / in_floor:,.0f} rows/s, ratio "
        f"{(events / in_floor) / (rows / import_seconds):.1f}×)"
    )


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/export.py needs PostgreSQL: set DATABASE_URL (make services-up)")
    call_command("migrate", verbosity=0)
    sql("SET jit = off")
    demo = Workspace.objects.filter(slug=DEMO_SLUG).first()
    if demo is None:
        demo, _owner, _ = seed_demo("bench-only-password")
    owner = User.objects.get(email=DEMO_EMAIL)
    round_trip("demo workspace", demo, owner)
    generated = Workspace.objects.create(name="Bench export", slug="bench-export")
    try:
        for n in SIZES:
            bench_metrics.generate(generated.pk, n)
            round_trip(f"N = {n:,} events", generated, owner)
            bench_metrics.clean(generated.pk)
    finally:
        bench_metrics.clean(generated.pk)
        generated.delete()


if __name__ == "__main__":
    main()
