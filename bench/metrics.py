"""Full metric recompute over generated data: seconds, CPU and memory, against one SQL query.

For each size N (BENCH_SIZES, default "1000000,10000000"): N interaction events and N survey
answers (a third each NPS, CSAT, CES), N/20 purchases and N/50 mentions over a year, for
N/100 customers, generated in SQL with generate_series. Then `compute_snapshots` (what the
hourly beat pass and "recompute now" run) runs BENCH_ROUNDS times (default 3) over the same
rows: the median and every run's seconds with the 1-minute load average before it (the
CPUs are shared, and the figures move with the load), the CPU seconds PostgreSQL spent
(backend and parallel workers, when the server runs on this machine) and Python spent,
the peak of Python's own allocations (tracemalloc) and the process's peak RSS. Baseline in
the same process: one hand-written SQL statement for NPS over the same answers (COUNT
FILTER). Target: ≤ 30 s at 10 M. PostgreSQL only (`make services-up`). The generated rows
are deleted afterwards, also when it fails.
"""

import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from engage.models import Workspace  # noqa: E402
from metrics.services.recompute import compute_snapshots  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000000,10000000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TARGET_SECONDS = 30.0
TABLES = (
    "metrics_snapshot",
    "metrics_customervalue",
    "metrics_interactionevent",
    "metrics_surveyresponse",
    "metrics_purchase",
    "metrics_socialmention",
    "metrics_customer",
)


def sql(statement: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def generate(workspace: int, n: int) -> None:
    customers = max(n // 100, 10)
    sql(
        "INSERT INTO metrics_customer (workspace_id, external_id, email, traits, consent, "
        "created_at, updated_at) SELECT %s, 'b' || g, '', '{}', g %% 3 = 0, "
        "now() - (g %% 365) * interval '1 day', now() FROM generate_series(1::bigint, %s) g",
        [workspace, customers],
    )
    first = sql("SELECT min(id) FROM metrics_customer WHERE workspace_id = %s", [workspace])[0][0]
    sql(
        "INSERT INTO metrics_interactionevent (workspace_id, customer_id, anonymous_id, event, "
        "channel, timestamp, properties, message_id) SELECT %s, %s + (g * 7919) %% %s, '', "
        "'Signed in', (ARRAY['web','in_app','email','phone','chat','mobile_app'])[1 + g %% 6], "
        "now() - ((g * 37) %% 525600) * interval '1 minute', '{}', 'm' || g "
        "FROM generate_series(1::bigint, %s) g",
        [workspace, first, customers, n],
    )
    sql(
        "INSERT INTO metrics_surveyresponse (workspace_id, customer_id, kind, score, comment, "
        "answered_at, channel) SELECT %s, %s + (g * 104729) %% %s, "
        "(ARRAY['nps','csat','ces'])[1 + g %% 3], "
        "CASE g %% 3 WHEN 0 THEN (g * 13) %% 11 WHEN 1 THEN 1 + (g * 13) %% 5 "
        "ELSE 1 + (g * 13) %% 7 END, '', now() - (g %% 31536000) * interval '1 second', '' "
        "FROM generate_series(1::bigint, %s) g ON CONFLICT DO NOTHING",
        [workspace, first, customers, n],
    )
    sql(
        "INSERT INTO metrics_purchase (workspace_id, customer_id, purchased_at, amount, profit) "
        "SELECT %s, %s + (g * 31) %% %s, now() - ((g * 53) %% 525600) * interval '1 minute', "
        "20 + g %% 200, CASE WHEN g %% 4 = 0 THEN NULL ELSE (20 + g %% 200) * 0.3 END "
        "FROM generate_series(1::bigint, %s) g ON CONFLICT DO NOTHING",
        [workspace, first, customers, max(n // 20, 1)],
    )
    sql(
        "INSERT INTO metrics_socialmention (workspace_id, platform, posted_at, sentiment, reach, "
        "author, url, text, key) SELECT %s, 'X', now() - (g %% 365) * interval '1 day', "
        "(ARRAY['positive','neutral','negative'])[1 + g %% 3], g %% 1000, 'a' || g %% 500, '', "
        "'', 'k' || g FROM generate_series(1::bigint, %s) g",
        [workspace, max(n // 50, 1)],
    )
    sql("ANALYZE")


def clean(workspace: int) -> None:
    for table in TABLES:
        sql(f"DELETE FROM {table} WHERE workspace_id = %s", [workspace])


def nps_by_hand(workspace: int) -> float:
    started = time.perf_counter()
    sql(
        "SELECT count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score BETWEEN 7 AND 8),"
        " count(*) FILTER (WHERE score <= 6) FROM metrics_surveyresponse "
        "WHERE workspace_id = %s AND kind = 'nps'",
        [workspace],
    )
    return time.perf_counter() - started


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state, ppid, …)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def database_cpu() -> float | None:
    """CPU seconds PostgreSQL has spent so far for this session: its backend, plus the
    children its postmaster has reaped (the parallel workers; also any autovacuum worker that
    ended meanwhile). None unless the server runs on this machine."""
    backend = sql("SELECT pg_backend_pid()")[0][0]
    try:
        own = _proc_stat(backend)
        postmaster = int(own[1])
        if Path(f"/proc/{postmaster}/comm").read_text().strip() != "postgres":
            return None
        reaped = _proc_stat(postmaster)
    except OSError:
        return None
    return (int(own[11]) + int(own[12]) + int(reaped[13]) + int(reaped[14])) / CLOCK_TICKS


def python_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def recompute(workspace: Workspace) -> dict:
    """One full recompute: seconds, snapshots, the peak of Python's own allocations in bytes,
    and the CPU seconds of PostgreSQL and of Python meanwhile."""
    database, python = database_cpu(), python_cpu()
    tracemalloc.start()
    started = time.perf_counter()
    result = compute_snapshots(workspace)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    database_after = database_cpu()
    return {
        "seconds": seconds,
        "snapshots": result["snapshots"],
        "peak": peak,
        "database_cpu": database_after - database if database is not None else None,
        "python_cpu": python_cpu() - python,
    }


def cpu_figures(runs: list[dict]) -> str:
    database = [run["database_cpu"] for run in runs]
    python = statistics.median(run["python_cpu"] for run in runs)
    if None in database:
        return f"CPU medians: Python {python:.2f} s (PostgreSQL's is not on this machine)"
    return f"CPU medians: PostgreSQL {statistics.median(database):.2f} s, Python {python:.2f} s"


def verdict(n: int, median: float) -> str:
    """The target is set at 10 M rows; smaller sizes show the trend only."""
    if n < 10_000_000:
        return ""
    met = "met" if median <= TARGET_SECONDS else "NOT met"
    return f"; target ≤ {TARGET_SECONDS:.0f} s at 10 M: {met}"


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/metrics.py needs PostgreSQL: set DATABASE_URL (make services-up)")
    call_command("migrate", verbosity=0)
    sql("SET jit = off")
    owner_workspace = Workspace.objects.create(name="Bench metrics", slug="bench-metrics")
    try:
        for n in SIZES:
            started = time.perf_counter()
            generate(owner_workspace.pk, n)
            made = time.perf_counter() - started
            runs, loads = [], []
            for _ in range(ROUNDS):
                loads.append(os.getloadavg()[0])
                runs.append(recompute(owner_workspace))
            median = statistics.median(run["seconds"] for run in runs)
            peak = max(run["peak"] for run in runs)
            baseline = nps_by_hand(owner_workspace.pk)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"N = {n:>10,}: generated in {made:.1f} s; recompute median {median:.2f} s "
                f"(runs {', '.join(f'{run["seconds"]:.2f}' for run in runs)} s; 1-min load "
                f"before each {', '.join(f'{load:.1f}' for load in loads)} on "
                f"{os.cpu_count()} CPUs; {cpu_figures(runs)}), {runs[0]['snapshots']:,} "
                f"snapshots, Python peak {peak / 2**20:.1f} MiB, "
                f"process peak RSS {rss:.0f} MiB; one NPS query {baseline:.3f} s "
                f"(ratio {median / baseline:.0f}×){verdict(n, median)}",
                flush=True,
            )
            clean(owner_workspace.pk)
    finally:
        clean(owner_workspace.pk)
        owner_workspace.delete()


if __name__ == "__main__":
    main()
