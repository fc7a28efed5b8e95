"""Events per second through the event API (`POST /ingest/v1/batch`), beside raw COPY.

Starts gunicorn (gthread, app preloaded so no worker is still importing it while
measured) on a free port against the database in the environment, creates a throwaway
workspace with a write key and BENCH_CUSTOMERS customers (known customers: the steady
state), then BENCH_CLIENTS client processes each post their share of BENCH_EVENTS events
in batches of BENCH_BATCH, as segment-analytics-python would (Basic auth, compact JSON).
Each round's figure is events / wall time of all clients; the median of BENCH_ROUNDS
rounds is printed, with the batch latency median and p95. Right after each round the same
rows (new message ids) go in through one raw `COPY`, so each ratio compares two figures
taken under the same load (the machine is shared: the load average is printed too).
Target: ≥ 10,000 events/s. BENCH_LOG=1 prints gunicorn's log. The workspace and its rows
are deleted afterwards, also on failure.
"""

import base64
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from engage.models import Workspace  # noqa: E402
from metrics.models import Customer, InteractionEvent  # noqa: E402
from metrics.services.keys import write_key_create  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "40000"))
BATCH = int(os.environ.get("BENCH_BATCH", "250"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "2000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
TARGET = 10_000
CHANNELS = ["web", "email", "mobile_app", "in_app", "chat"]
EVENT_NAMES = ["Order placed", "Product viewed", "Signed in", "Ticket opened"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def message(n: int, run: str) -> dict:
    """What segment-analytics-python puts in a batch for one `track`."""
    return {
        "integrations": {},
        "anonymousId": None,
        "properties": {"channel": CHANNELS[n % len(CHANNELS)], "value": n % 97, "sku": f"S{n}"},
        "timestamp": "2026-03-01T09:30:00.000+00:00",
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}},
        "userId": f"bench-{n % CUSTOMERS}",
        "type": "track",
        "event": EVENT_NAMES[n % len(EVENT_NAMES)],
        "messageId": f"{run}-{n}",
    }


def bodies(run: str, count: int) -> list[bytes]:
    return [
        json.dumps(
            {"batch": [message(n, run) for n in range(start, min(start + BATCH, count))],
             "sentAt": "2026-03-01T09:30:01+00:00"},
            separators=(",", ":"),
        ).encode()
        for start in range(0, count, BATCH)
    ]  # fmt: skip


def send(args) -> list[float]:
    """One client process: post its batches one after another; latencies in seconds."""
    url, secret, batches = args
    auth = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": auth}
    latencies = []
    with requests.Session() as session:
        for body in batches:
            started = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=60)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return latencies


def through_api(pool, url, secret, run) -> tuple[float, list[float]]:
    batches = bodies(run, EVENTS)
    shares = [(url, secret, batches[n::CLIENTS]) for n in range(CLIENTS)]
    started = time.perf_counter()
    latencies = [latency for part in pool.map(send, shares) for latency in part]
    return EVENTS / (time.perf_counter() - started), latencies


def through_copy(workspace, customer_ids, run) -> float:
    """The same rows as the API would store, by one COPY straight into the table."""
    moment = timezone.now()
    columns = ("workspace_id", "customer_id", "anonymous_id", "event", "channel",
               "timestamp", "properties", "message_id")  # fmt: skip
    rows = []
    for n in range(EVENTS):
        sent = message(n, run)
        rows.append((workspace.pk, customer_ids[sent["userId"]], "", sent["event"],
                     sent["properties"]["channel"], moment, json.dumps(sent["properties"]),
                     sent["messageId"]))  # fmt: skip
    table = InteractionEvent._meta.db_table
    started = time.perf_counter()
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
    connection.commit()
    return EVENTS / (time.perf_counter() - started)


def start_gunicorn(port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "INGEST_RATE_PER_SECOND": "1000000",  # measure the ingest, not the limit
        "STATIC_ROOT": tempfile.mkdtemp(prefix="engage-bench-static-"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "engage.wsgi", "--preload", "--worker-class", "gthread",
         "--workers", str(WORKERS), "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError("gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def main():
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: `make services-up`, then `set -a; . ./.services.env; set +a`.")
    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(
        name="Ingest benchmark", slug=f"bench-{uuid.uuid4().hex[:8]}"
    )
    gunicorn = None
    log = tempfile.TemporaryFile()  # noqa: SIM115 - gunicorn writes to it until stopped
    try:
        _, secret = write_key_create(workspace=workspace, name="Bench", actor=None)
        Customer.objects.bulk_create(
            [Customer(workspace=workspace, external_id=f"bench-{n}", created_at=timezone.now())
             for n in range(CUSTOMERS)]
        )  # fmt: skip
        customer_ids = dict(
            Customer.objects.filter(workspace=workspace).values_list("external_id", "pk")
        )
        port = free_port()
        gunicorn = start_gunicorn(port, log)
        url = f"http://127.0.0.1:{port}/ingest/v1/batch"
        api, copied, latencies = [], [], []
        load = os.getloadavg()[0]
        with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
            through_api(pool, url, secret, "warm")
            for round_ in range(ROUNDS):
                rate, times = through_api(pool, url, secret, f"api{round_}")
                api.append(rate)
                latencies.extend(times)
                # right after, so both see the same load from whatever else runs here
                copied.append(through_copy(workspace, customer_ids, f"copy{round_}"))
        stored = InteractionEvent.objects.filter(workspace=workspace).count()
        assert stored == EVENTS * (2 * ROUNDS + 1), f"stored {stored} events"
        latencies.sort()
        api_median, copy_median = statistics.median(api), statistics.median(copied)
        print(
            f"{EVENTS} events a round in batches of {BATCH}, {CLIENTS} client processes, "
            f"gunicorn gthread {WORKERS}×{THREADS}, {CUSTOMERS} known customers, "
            f"{os.cpu_count()} cores (load average {load:.1f} → {os.getloadavg()[0]:.1f}); "
            f"median of {ROUNDS} rounds"
        )
        print(f"{'path':<32}{'events/s':>10}")
        print(f"{'POST /ingest/v1/batch':<32}{api_median:>10,.0f}")
        print(f"{'raw COPY (one stream)':<32}{copy_median:>10,.0f}")
        ratios = [rate / copy for rate, copy in zip(api, copied, strict=True)]
        print(f"API / COPY: {statistics.median(ratios):.2f} (median of the rounds' ratios)")
        print(f"rounds through the API: {', '.join(f'{rate:,.0f}' for rate in api)}")
        print(f"rounds of COPY:         {', '.join(f'{rate:,.0f}' for rate in copied)}")
        print(
            f"batch latency: median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {latencies[int(0.95 * (len(latencies) - 1))] * 1000:.1f} ms"
        )
        verdict = "meets" if api_median >= TARGET else "misses"
        print(f"target ≥ {TARGET:,} events/s: {verdict} it")
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        log.seek(0)
        if os.environ.get("BENCH_LOG"):
            print(log.read().decode(errors="replace"))
        workspace.delete()


if __name__ == "__main__":
    main()
