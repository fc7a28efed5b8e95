"""Webhooks: the cost of one attempt, of the delivery log as it grows, and of the sweep.

- One attempt (`webhook_attempt`: claim, sign, POST to a local receiver, record) against a
  bare `http.client` POST of the same body to the same receiver, median of BENCH_ROUNDS.
- The log page (`metrics:webhooks`: first page, filtered by status, the middle page) with
  1,000 and with BENCH_DELIVERIES (default 100,000) deliveries, against /healthz.
- The beat sweep (`webhook_requeue_lost`) over that many deliveries, a tenth of them
  waiting for a retry that is not due yet (the usual state: nothing to queue).

Creates a throwaway workspace and deletes it after, also when it fails.
"""

import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings")
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="engage-bench-static-")

import django
from django.core.management import call_command

django.setup()
call_command("collectstatic", interactive=False, verbosity=0)  # production's hashed static names

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from engage import services  # noqa: E402
from engage.models import User, Workspace  # noqa: E402
from metrics.models import WebhookDelivery  # noqa: E402
from metrics.services.webhooks import (  # noqa: E402
    delivery_body,
    webhook_attempt,
    webhook_endpoint_create,
    webhook_requeue_lost,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
MANY = int(os.environ.get("BENCH_DELIVERIES", "100000"))


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def median_ms(action, rounds=ROUNDS) -> float:
    action()  # warm up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def fill(workspace, endpoint, count):
    """Deliveries up to `count`: mostly delivered, some failed, a tenth waiting for later."""
    later = timezone.now() + dt.timedelta(hours=1)
    have = WebhookDelivery.objects.filter(workspace=workspace).count()
    rows = []
    for n in range(have, count):
        waiting = n % 10 == 0
        status = "retrying" if waiting else ("failed" if n % 7 == 0 else "delivered")
        rows.append(
            WebhookDelivery(
                workspace=workspace,
                endpoint=endpoint,
                event="customer.stuck",
                payload={"customer": f"c-{n}", "stage": "Onboard", "days": n % 30},
                status=status,
                attempts=2 if waiting else 1,
                attempts_allowed=6,
                next_attempt_at=later if waiting else None,
                last_status_code=503 if waiting else 200,
            )
        )
    WebhookDelivery.objects.bulk_create(rows, batch_size=5000)


def main():
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver = f"http://127.0.0.1:{server.server_port}/hooks"
    email = "bench-webhooks@engage.example"
    User.objects.filter(email=email).delete()
    owner = services.user_sign_up(email=email, name="Bench", password="bench-password-1")
    workspace = services.workspace_create(name="Webhooks benchmark", created_by=owner)
    client = Client()
    client.force_login(owner)
    try:
        endpoint, _ = webhook_endpoint_create(
            workspace=workspace, name="Receiver", url=receiver, actor=owner
        )

        due = iter(
            [  # the row webhook_send stores, without queueing its task
                WebhookDelivery.objects.create(
                    workspace=workspace,
                    endpoint=endpoint,
                    event="customer.stuck",
                    payload={"customer": "c-1", "stage": "Onboard"},
                    attempts_allowed=6,
                    next_attempt_at=timezone.now(),
                )
                for _ in range(ROUNDS + 1)
            ]
        )

        def attempt():
            assert webhook_attempt(next(due)).status == "delivered"

        def bare_post():  # `body` is bound below, after the attempts made deliveries
            bare = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            bare.request("POST", "/hooks", body=body, headers={"Content-Type": "application/json"})
            bare.getresponse().read()
            bare.close()

        one = median_ms(attempt)
        body = delivery_body(WebhookDelivery.objects.select_related("workspace").first())
        bare = median_ms(bare_post)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; {ROUNDS} rounds per figure (median)")
        print(
            f"one attempt (claim, sign, POST, record): {one:.2f} ms; "
            f"bare POST {bare:.2f} ms; ratio {one / bare:.1f}"
        )

        base = reverse("metrics:webhooks", args=[workspace.slug])
        healthz = median_ms(lambda: client.get(reverse("healthz")))
        pages = {"first page": base, "status=failed": f"{base}?status=failed"}
        results = {}
        for count in (1000, MANY):
            fill(workspace, endpoint, count)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("ANALYZE metrics_webhookdelivery")
            deep = f"{base}?page={count // 25 // 2}"
            results[count] = {
                name: median_ms(lambda url=url: client.get(url))
                for name, url in {**pages, "middle page": deep}.items()
            }
            with CaptureQueriesContext(connection) as captured:
                client.get(deep)
            results[count]["queries"] = len(captured)
            results[count]["sweep"] = median_ms(webhook_requeue_lost)
        print(f"baseline /healthz {healthz:.2f} ms")
        print(f"{'log page':<16}{'1,000 ms':>10}{f'{MANY:,} ms':>14}{'ratio':>8}")
        for name in (*pages, "middle page", "sweep"):
            small, large = results[1000][name], results[MANY][name]
            print(f"{name:<16}{small:>10.2f}{large:>14.2f}{large / small:>8.2f}")
        print(f"queries per log page: {results[1000]['queries']} and {results[MANY]['queries']}")
    finally:
        Workspace.objects.filter(pk=workspace.pk).delete()
        owner.delete()
        server.shutdown()


if __name__ == "__main__":
    main()
