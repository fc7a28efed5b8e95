"""A believable year of engagement data for the demo workspace, fed in through the same
CSV import as real data, then computed into snapshots so the dashboard is alive.

Seeded random numbers: the same demo every time it is made.
"""

import csv
import datetime as dt
import io
import json
import random

from django.utils import timezone

from journeys.models import Touchpoint
from metrics.models import Customer
from metrics.services.imports import import_file
from metrics.services.recompute import compute_snapshots

CUSTOMERS = 2000
DAYS = 365
CHANNELS = (("web", 5), ("in_app", 6), ("mobile_app", 2), ("email", 3), ("chat", 1), ("phone", 1))
EVENTS = {
    "web": "Viewed dashboard",
    "in_app": "Completed onboarding task",
    "mobile_app": "Opened app",
    "email": "Opened email",
    "chat": "Started chat",
    "phone": "Called support",
}
ADVOCATES = ("Priya N.", "Tom Becker", "Ana Lima", "HR Ops Weekly", "Jonas K.")
PLATFORMS = ("LinkedIn", "G2", "X", "Reddit")
MENTION_TEXT = {
    "positive": "New hires were set up before day one with Brightwave",
    "neutral": "Looking at Brightwave for onboarding",
    "negative": "Brightwave login trouble on the first morning",
}


def _csv(header: list[str], rows: list[list]) -> io.BytesIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(buffer.getvalue().encode())


def feed_csv(workspace, kind, header, rows) -> None:
    import_file(workspace=workspace, kind=kind, binary=_csv(header, rows))


def _moment(start: dt.datetime, day: int, rng) -> str:
    return (start + dt.timedelta(days=day, minutes=rng.randrange(8 * 60, 19 * 60))).isoformat()


def seed_metrics(workspace, owner) -> None:
    if Customer.objects.filter(workspace=workspace).exists():
        return
    rng = random.Random(2026)
    start = (timezone.now() - dt.timedelta(days=DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    segments = list(workspace.segments.order_by("name").values_list("name", flat=True)) or [""]
    personas = list(workspace.personas.order_by("name").values_list("name", flat=True)) or [""]
    touchpoints = dict(
        Touchpoint.objects.filter(stage__journey__workspace=workspace).values_list("name", "pk")
    )
    customers, events, answers, purchases = [], [], [], []
    for number in range(CUSTOMERS):
        external = f"bw-{number:05d}"
        joined = int(rng.triangular(0, DAYS - 1, DAYS * 0.3))
        enterprise = rng.random() < 0.35
        plan = "enterprise" if enterprise else rng.choice(("starter", "growth", "growth"))
        customers.append(
            [
                external,
                segments[enterprise % len(segments)],
                rng.choice(personas),
                f"{external}@customers.example",
                "yes" if rng.random() < 0.7 else "no",
                (start + dt.timedelta(days=joined)).date().isoformat(),
                plan,
                rng.randrange(5, 400),
            ]
        )
        # Each customer stays a while (a few leave early), active on some days of each week.
        stays = joined + int(rng.expovariate(1 / (240 if enterprise else 150)))
        pace = rng.uniform(0.01, 0.06)
        for day in range(joined, min(stays, DAYS)):
            if rng.random() < pace:
                channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
                events.append(
                    [
                        external,
                        EVENTS[channel],
                        _moment(start, day, rng),
                        channel,
                        json.dumps({"plan": plan}),
                    ]
                )
        happy = 0.62 if enterprise else 0.7
        for answer_day in sorted(rng.sample(range(joined, DAYS), k=min(2, DAYS - joined))):
            score = rng.choice((9, 10)) if rng.random() < happy else rng.choice((7, 8, 8, 3, 5, 6))
            answers.append([external, "nps", score, _moment(start, answer_day, rng), "", "", "web"])
            if rng.random() < 0.5:
                touchpoint = rng.choice(("Support hotline", "Support chat", "Welcome email"))
                csat = rng.choices((5, 4, 3, 2, 1), (40, 30, 15, 10, 5))[0]
                answers.append(
                    [
                        external,
                        "csat",
                        csat,
                        _moment(start, answer_day, rng),
                        "",
                        touchpoints.get(touchpoint, ""),
                        "",
                    ]
                )
            if rng.random() < 0.25:
                answers.append(
                    [
                        external,
                        "ces",
                        rng.choices(range(1, 8), (25, 25, 20, 12, 8, 6, 4))[0],
                        _moment(start, answer_day, rng),
                        "",
                        "",
                        "in_app",
                    ]
                )
        price = {"starter": 49, "growth": 199, "enterprise": 990}[plan]
        for month_day in range(joined, min(stays, DAYS), 30):
            purchases.append(
                [
                    external,
                    _moment(start, month_day, rng),
                    f"{price:.2f}",
                    f"{price * 0.32:.2f}" if rng.random() < 0.8 else "",
                ]
            )
            if rng.random() < 0.08:
                purchases.append(
                    [
                        external,
                        _moment(start, month_day + 3, rng),
                        f"{rng.choice((120, 350, 800)):.2f}",
                        "",
                    ]
                )
    mentions = []
    for day in range(DAYS):
        for _ in range(rng.choices((0, 1, 2), (40, 45, 15))[0]):
            sentiment = rng.choices(
                ("positive", "neutral", "negative"), (40 + day // 20, 35, 25 - day // 30)
            )[0]
            author = (
                rng.choice(ADVOCATES)
                if sentiment == "positive" and rng.random() < 0.4
                else (f"user{rng.randrange(9999)}")
            )
            mentions.append(
                [
                    rng.choice(PLATFORMS),
                    _moment(start, day, rng),
                    sentiment,
                    rng.randrange(20, 5000),
                    author,
                    "",
                    f"{MENTION_TEXT[sentiment]} (#{len(mentions) + 1})",
                ]
            )
    feed_csv(
        workspace,
        "customers",
        ["customer_id", "segment", "persona", "email", "consent", "created", "plan", "seats"],
        customers,
    )
    feed_csv(
        workspace, "events", ["customer_id", "event", "timestamp", "channel", "properties"], events
    )
    feed_csv(
        workspace,
        "surveys",
        ["customer_id", "kind", "score", "answered_at", "comment", "touchpoint", "channel"],
        answers,
    )
    feed_csv(workspace, "purchases", ["customer_id", "purchased_at", "amount", "profit"], purchases)
    feed_csv(
        workspace,
        "mentions",
        ["platform", "posted_at", "sentiment", "reach", "author", "url", "text"],
        mentions,
    )
    compute_snapshots(workspace)
