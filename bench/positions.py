"""The positions pass over generated data: seconds and memory, against one SQL query.

A workspace with a six-stage journey (discover → … → get support, thresholds by hand, by
learned median and by learned 75th percentile), a three-state job mapped to its stages,
and eleven position rules (events, one with a property condition, a purchase, an NPS
answer, two job states; two rules count touchpoint interactions). BENCH_CUSTOMERS
customers (default 100,000) with BENCH_EVENTS events (default 5,000,000) over a year,
generated in SQL: each customer goes some way along the journey (stage events at
increasing times, a purchase, for some an answer), among everyday events: "Signed in"
and "Viewed page" match no rule, "Feature used" (by customers who got that far) counts as
the app touchpoint's interactions.

Then `positions_compute` runs BENCH_ROUNDS times (default 3) with the same clock (later
rounds also keep every "since"), printing the median seconds, the peak of Python's own
allocations (tracemalloc) and the process's peak RSS. Baseline in the same process: one
hand-written statement reading every customer's first stage event (the floor of reading
the events once). Then the reads a journey page makes (funnel, counts per stage, the most
stalled customers of a stage, a customer's path), median milliseconds of 5 calls each. Target: ≤ 60 s at 100k customers / 5 M events. PostgreSQL only (`make
services-up`). The generated rows are deleted afterwards, also when it fails.
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
from django.utils import timezone  # noqa: E402

from engage.models import Job, Persona, User  # noqa: E402
from engage.services import user_sign_up, workspace_create  # noqa: E402
from journeys.models import JobState, Touchpoint  # noqa: E402
from journeys.services import journey_create  # noqa: E402
from metrics.models import Customer, PathStep, Position, PositionRule  # noqa: E402
from metrics.selectors.positions import (  # noqa: E402
    customer_path,
    journey_funnel,
    stage_counts,
    stalled_positions,
)
from metrics.services.position_rules import position_rule_create  # noqa: E402
from metrics.services.positions import positions_compute  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "5000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TARGET_SECONDS = 60.0
EMAIL = "bench-positions@example.com"
# Stage events in journey order; a customer's k-th event is the k-th of these while k is
# below their depth (0…7), then everyday events. Index 2 is the purchase (Buy).
STAGE_EVENTS = ["Viewed pricing", "Requested demo", "Checkout viewed", "Account created",
                "Feature used", "Ticket opened", "Import started", "Payroll configured"]  # fmt: skip
TABLES = (
    "metrics_position",
    "metrics_pathstep",
    "metrics_learnedduration",
    "metrics_touchpointday",
    "metrics_interactionevent",
    "metrics_surveyresponse",
    "metrics_purchase",
    "metrics_customer",
)


def sql(statement: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def build_workspace():
    owner = user_sign_up(email=EMAIL, name="Bench positions", password="bench-password-1")
    workspace = workspace_create(name="Bench positions", created_by=owner)
    persona = Persona.objects.create(workspace=workspace, name="Payroll lead")
    journey = journey_create(
        workspace=workspace, persona=persona, scenario="First payroll run", actor=owner
    )
    discover, evaluate, buy, access, use, support = journey.stages.order_by("position")
    for stage, hours, expected_from in (
        (discover, 72, "hand"),
        (evaluate, 96, "median"),
        (buy, 48, "p75"),
        (access, 24, "hand"),
        (use, 240, "median"),
    ):
        stage.expected_hours, stage.expected_from = hours, expected_from
        stage.save()
    demo = Touchpoint.objects.create(stage=evaluate, name="Demo call", channel="phone",
                                     is_digital=False)  # fmt: skip
    app = Touchpoint.objects.create(stage=use, name="Payroll app", channel="web", is_digital=True)
    job = Job.objects.create(workspace=workspace, verb="run", object="the first payroll")
    started, configured, _done = (
        JobState.objects.create(
            job=job, name=name, position=n, is_start=n == 0, stage=stage, expected_hours=hours
        )
        for n, (name, stage, hours) in enumerate(
            (("Started", access, 12), ("Configured", use, 48), ("Done", None, None))
        )
    )
    event_rules = [(discover, "Viewed pricing"), (access, "Account created"),
                   (support, "Ticket opened")]  # fmt: skip
    for stage, name in event_rules:
        position_rule_create(journey=journey, stage=stage, event_name=name)
    position_rule_create(journey=journey, stage=evaluate, event_name="Requested demo",
                         property_key="plan", property_value="pro", touchpoint=demo)  # fmt: skip
    position_rule_create(journey=journey, stage=use, event_name="Feature used", touchpoint=app)
    position_rule_create(journey=journey, stage=buy, source=PositionRule.Source.PURCHASE)
    position_rule_create(journey=journey, stage=support, source="survey", survey_kind="nps")
    position_rule_create(journey=journey, job_state=started, event_name="Import started")
    position_rule_create(journey=journey, job_state=configured, event_name="Payroll configured")
    return workspace


def generate(workspace: int, customers: int, events: int) -> None:
    sql(
        "INSERT INTO metrics_customer (workspace_id, external_id, email, traits, consent, "
        "created_at, updated_at) SELECT %s, 'p' || g, '', '{}', g %% 3 = 0, "
        "now() - (g %% 365) * interval '1 day', now() FROM generate_series(1::bigint, %s) g",
        [workspace, customers],
    )
    first = sql("SELECT min(id) FROM metrics_customer WHERE workspace_id = %s", [workspace])[0][0]
    # Event g belongs to customer g mod C, as its (g div C)-th event; a customer starts
    # (g mod 365) days ago and takes 1…47 hours per step.
    sql(
        "INSERT INTO metrics_interactionevent (workspace_id, customer_id, anonymous_id, event, "
        "channel, timestamp, properties, message_id) "
        "SELECT %(ws)s, %(first)s + c, '', CASE WHEN k < depth AND k <> 2 THEN (%(names)s::text[])[k + 1] "
        "  WHEN k %% 3 = 0 THEN 'Viewed page' WHEN k %% 3 = 1 OR depth <= 4 THEN 'Signed in' "
        "  ELSE 'Feature used' END, "
        "  (ARRAY['web','in_app','email','phone','chat','mobile_app'])[1 + g %% 6], "
        "  now() - (c %% 365) * interval '1 day' + CASE WHEN k < depth "
        "    THEN k * (1 + c %% 47) * interval '1 hour' "
        "    ELSE ((g * 37) %% ((c %% 365) * 1440 + 1)) * interval '1 minute' END, "
        "  CASE WHEN k = 1 THEN jsonb_build_object('plan', CASE WHEN c %% 4 = 0 THEN 'free' "
        "    ELSE 'pro' END) WHEN k >= depth THEN jsonb_build_object('path', '/p/' || g %% 50) "
        "    ELSE '{}'::jsonb END, "
        "  'm' || g "
        "FROM (SELECT g, g %% %(customers)s AS c, g / %(customers)s AS k, "
        "  (g %% %(customers)s * 7919) %% 9 AS depth "
        "  FROM generate_series(0::bigint, %(events)s - 1) g) AS planned",
        {"ws": workspace, "first": first, "customers": customers, "events": events,
         "names": STAGE_EVENTS},
    )  # fmt: skip
    sql(
        "INSERT INTO metrics_purchase (workspace_id, customer_id, purchased_at, amount, profit) "
        "SELECT %s, %s + c, now() - (c %% 365) * interval '1 day' "
        "  + 2 * (1 + c %% 47) * interval '1 hour', 20 + c %% 200, NULL "
        "FROM generate_series(0::bigint, %s - 1) c WHERE (c * 7919) %% 9 > 2",
        [workspace, first, customers],
    )
    sql(
        "INSERT INTO metrics_surveyresponse (workspace_id, customer_id, kind, score, comment, "
        "answered_at, channel) SELECT %s, %s + c, 'nps', c %% 11, '', "
        "now() - (c %% 365) * interval '1 day' + 5 * (1 + c %% 47) * interval '1 hour', '' "
        "FROM generate_series(0::bigint, %s - 1) c WHERE (c * 7919) %% 9 = 5",
        [workspace, first, customers],
    )
    sql("ANALYZE")


def first_arrivals_by_hand(workspace: int) -> float:
    started = time.perf_counter()
    sql(
        "SELECT customer_id, event, MIN(timestamp) FROM metrics_interactionevent "
        "WHERE workspace_id = %s AND event = ANY(%s) AND timestamp <= now() "
        "GROUP BY customer_id, event",
        [workspace, STAGE_EVENTS],
    )
    return time.perf_counter() - started


def reads(workspace) -> str:
    """Median milliseconds of the reads a journey page makes, over 5 calls each."""
    journey = workspace.journeys.get()
    stage = journey.stages.order_by("position").first()
    customer = Customer.objects.filter(workspace=workspace).order_by("pk")[5]
    calls = {
        "funnel (whole history)": lambda: journey_funnel(journey),
        "counts per stage": lambda: stage_counts(journey),
        "50 most stalled of a stage": lambda: list(stalled_positions(stage)[:50]),
        "a customer's path": lambda: customer_path(customer),
    }
    figures = []
    for name, call in calls.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        figures.append(f"{name} {1000 * statistics.median(times):.0f} ms")
    return "; ".join(figures)


def clean(workspace) -> None:
    for table in TABLES:
        sql(f"DELETE FROM {table} WHERE workspace_id = %s", [workspace.pk])
    workspace.delete()


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/positions.py needs PostgreSQL: set DATABASE_URL (make services-up)")
    call_command("migrate", verbosity=0)
    sql("SET jit = off")
    User.objects.filter(email=EMAIL).delete()
    workspace = build_workspace()
    try:
        started = time.perf_counter()
        generate(workspace.pk, CUSTOMERS, EVENTS)
        made = time.perf_counter() - started
        now, seconds, peaks = timezone.now(), [], []
        for _ in range(ROUNDS):
            tracemalloc.start()
            started = time.perf_counter()
            result = positions_compute(workspace, now=now)
            seconds.append(time.perf_counter() - started)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        baseline = first_arrivals_by_hand(workspace.pk)
        read_figures = reads(workspace)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        median = statistics.median(seconds)
        steps = PathStep.objects.filter(workspace=workspace).count()
        unknown = Position.objects.filter(workspace=workspace, health="unknown").count()
        print(
            f"{CUSTOMERS:,} customers, {EVENTS:,} events: generated in {made:.1f} s\n"
            f"positions pass: median {median:.2f} s of {ROUNDS} "
            f"({', '.join(f'{s:.2f}' for s in seconds)}); Python peak "
            f"{max(peaks) / 2**20:.1f} MiB, process peak RSS {rss:.0f} MiB\n"
            f"derived: {steps:,} path steps, {result['positions']:,} positions "
            f"({result['behind']:,} behind, {result['stuck']:,} stuck, {unknown:,} unknown)\n"
            f"baseline, first stage events by hand: {baseline:.2f} s "
            f"(ratio {median / baseline:.1f}×); target ≤ {TARGET_SECONDS:.0f} s: "
            f"{'met' if median <= TARGET_SECONDS else 'NOT met'}\n"
            f"reads: {read_figures}"
        )
    finally:
        clean(workspace)
        User.objects.filter(email=EMAIL).delete()


if __name__ == "__main__":
    main()
