"""Recomputing a workspace's snapshots from its raw rows, in set-based SQL.

Each step is a handful of GROUP BY statements over one table; Python only sees their
result rows (days × slices, months, customers), never the events or answers themselves.
"""

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, TruncDate, TruncWeek
from django.utils import timezone

from engage.models import Workspace
from metrics.models import (
    InteractionEvent,
    Purchase,
    Sentiment,
    Snapshot,
    SocialMention,
    SurveyResponse,
)

UTC = dt.UTC
SURVEY_DIMENSIONS = (
    ("", None),
    ("segment", "customer__segment"),
    ("persona", "customer__persona"),
    ("touchpoint", "touchpoint"),
    ("channel", "channel"),
)
SCORES = range(11)


def day_of(field: str):
    return TruncDate(field, tzinfo=UTC)


def _month_index(field: str):
    """Months since year 0 (year × 12 + month − 1): month arithmetic both databases can do."""
    return Cast(
        ExtractYear(field, tzinfo=UTC) * 12 + ExtractMonth(field, tzinfo=UTC) - 1,
        output_field=IntegerField(),
    )


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def raw(sql: str, params) -> list[tuple]:
    """Run SQL; the rows it returns, or [] for a statement that returns none."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


class Snapshots:
    """Collects the new snapshot rows of one computation."""

    def __init__(self, workspace: Workspace):
        self.workspace, self.now, self.rows = workspace, timezone.now(), {}

    def add(self, source, period, start, data, dimension="", key=""):
        self.rows[(source, period, start, dimension, str(key))] = data

    def save(self) -> int:
        Snapshot.objects.filter(workspace=self.workspace).delete()
        Snapshot.objects.bulk_create(
            (
                Snapshot(
                    workspace=self.workspace,
                    source=source,
                    period=period,
                    start=start,
                    dimension=dimension,
                    key=key,
                    data=data,
                    computed_at=self.now,
                )
                for (source, period, start, dimension, key), data in self.rows.items()
            ),
            batch_size=2000,
        )
        return len(self.rows)


def surveys_by_day(workspace, snapshots: Snapshots) -> None:
    """Per day and slice, each kind's answer histogram: [count of score 0, 1, … 10]."""
    histogram = {f"s{score}": Count("pk", filter=Q(score=score)) for score in SCORES}
    answers = SurveyResponse.objects.filter(workspace=workspace)
    for dimension, field in SURVEY_DIMENSIONS:
        group = ["day", "kind", *([field] if field else [])]
        rows = (
            answers.annotate(day=day_of("answered_at"))
            .values(*group)
            .annotate(**histogram)
            .order_by()
        )
        collected = defaultdict(dict)
        for row in rows:
            key = row[field] if field else ""
            if field and key in (None, ""):
                continue
            collected[(row["day"], key)][row["kind"]] = [row[f"s{s}"] for s in SCORES]
        for (day, key), data in collected.items():
            snapshots.add("surveys", "day", day, data, dimension, key)


CUSTOMER_DAYS = "metrics_customer_days"  # a temporary table, one per database session


def customer_days(workspace, snapshots: Snapshots) -> None:
    """The distinct (customer, day) pairs with events, with their month and week, in a
    temporary table: the later steps read it instead of the events (a day's many events
    become one row), so the events are read twice per computation, not six times."""
    pairs = (
        InteractionEvent.objects.filter(workspace=workspace, customer__isnull=False)
        .annotate(
            day=day_of("timestamp"),
            month=_month_index("timestamp"),
            week=TruncWeek("timestamp", tzinfo=UTC),
        )
        .values("customer_id", "day", "month", "week")
        .annotate(events=Count("pk"))
        .order_by()
    )
    sql, params = pairs.query.sql_with_params()
    drop_customer_days()
    raw(f"CREATE TEMPORARY TABLE {CUSTOMER_DAYS} AS {sql}", params)


def drop_customer_days() -> None:
    raw(f"DROP TABLE IF EXISTS {CUSTOMER_DAYS}", [])


def events_by_day(workspace, snapshots: Snapshots) -> None:
    """Per day and channel: events; per day: all events, and distinct active customers."""
    events = InteractionEvent.objects.filter(workspace=workspace).annotate(day=day_of("timestamp"))
    totals = defaultdict(int)
    for row in events.values("day", "channel").annotate(events=Count("pk")).order_by():
        totals[row["day"]] += row["events"]
        snapshots.add(
            "events",
            "day",
            row["day"],
            {"events": row["events"]},
            "channel",
            row["channel"] or "unknown",
        )
    active = {
        _as_date(day): count
        for day, count in raw(f"SELECT day, COUNT(*) FROM {CUSTOMER_DAYS} GROUP BY day", [])
    }
    for day, count in totals.items():
        snapshots.add("events", "day", day, {"events": count, "active": active.get(day, 0)})


def activity_by_period(workspace, snapshots: Snapshots) -> None:
    """Distinct customers with events per ISO week and per month, and per month the
    histogram of days each active customer was active (for DAU/MAU and stickiness)."""
    histograms = defaultdict(dict)
    for month, days, customers in raw(
        f"SELECT month, days, COUNT(*) FROM (SELECT customer_id, month, COUNT(*) AS days "
        f"FROM {CUSTOMER_DAYS} GROUP BY customer_id, month) AS per_customer "
        "GROUP BY month, days",
        [],
    ):
        histograms[month][str(days)] = customers
    for month, histogram in histograms.items():
        active = sum(histogram.values())
        snapshots.add(
            "activity", "month", month_start(month), {"active": active, "active_days": histogram}
        )
    for week, active in raw(
        f"SELECT week, COUNT(DISTINCT customer_id) FROM {CUSTOMER_DAYS} GROUP BY week", []
    ):
        snapshots.add("activity", "week", _as_date(week), {"active": active})


def _as_date(value) -> dt.date:
    """A date as the database returns it from raw SQL: a date, a datetime or (SQLite) text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def _active_months_sql(workspace) -> tuple[str, list]:
    """Distinct (customer, month index) of any activity: an event, a purchase or an answer."""
    parts, params = [f"SELECT DISTINCT customer_id, month FROM {CUSTOMER_DAYS}"], []
    for model, field in ((Purchase, "purchased_at"), (SurveyResponse, "answered_at")):
        rows = (
            model.objects.filter(workspace=workspace, customer__isnull=False)
            .annotate(month=_month_index(field))
            .values("customer_id", "month")
            .distinct()
            .order_by()
        )
        sql, part_params = rows.query.sql_with_params()
        parts.append(f"SELECT customer_id, month FROM ({sql}) AS p{len(parts)}")
        params.extend(part_params)
    return " UNION ".join(parts), params


def retention_by_month(workspace, snapshots: Snapshots) -> None:
    """Per month: customers active in it (at end), in the month before (at start), and the
    newly active — first seen or back after a gap — so retention = (end − new) / start."""
    union, params = _active_months_sql(workspace)
    # One pass over each customer's months in order: the month before, and the first month.
    marked = (
        f"WITH act AS ({union}), marked AS (SELECT customer_id, month, "
        "LAG(month) OVER (PARTITION BY customer_id ORDER BY month) AS previous, "
        "MIN(month) OVER (PARTITION BY customer_id) AS cohort FROM act) "
    )
    rows = raw(
        marked + "SELECT month, COUNT(*), SUM(CASE WHEN previous = month - 1 THEN 1 ELSE 0 END) "
        "FROM marked GROUP BY month",
        params,
    )
    active = {month: (at_end, kept) for month, at_end, kept in rows}
    for month, (at_end, kept) in sorted(active.items()):
        at_start = active.get(month - 1, (0, 0))[0]
        snapshots.add(
            "retention",
            "month",
            month_start(month),
            {"at_start": at_start, "at_end": at_end, "new": at_end - kept},
        )
    cells = raw(
        marked
        + "SELECT cohort, month - cohort, COUNT(*) FROM marked GROUP BY cohort, month - cohort",
        params,
    )
    cohorts = defaultdict(dict)
    for cohort, since, count in cells:
        cohorts[cohort][str(since)] = count
    for cohort, months in cohorts.items():
        snapshots.add("cohort", "month", month_start(cohort), {"active": months})


def mentions_by_day(workspace, snapshots: Snapshots) -> None:
    mentions = SocialMention.objects.filter(workspace=workspace)
    counts = {s: Count("pk", filter=Q(sentiment=s)) for s in Sentiment.values}
    for row in (
        mentions.annotate(day=day_of("posted_at"))
        .values("day")
        .annotate(**counts, reach=Sum("reach"))
        .order_by()
    ):
        snapshots.add(
            "mentions",
            "day",
            row["day"],
            {s: row[s] for s in Sentiment.values} | {"reach": row["reach"] or 0},
        )
    advocates = (
        mentions.exclude(author="")
        .values("author")
        .annotate(positive=Count("pk", filter=Q(sentiment="positive")), reach=Sum("reach"))
        .filter(positive__gt=0)
        .order_by("-positive", "-reach", "author")[:10]
    )
    if mentions.exists():
        snapshots.add(
            "advocates",
            "all",
            dt.date(1970, 1, 1),
            {"authors": [[row["author"], row["positive"], row["reach"] or 0] for row in advocates]},
        )


def purchases_by_month(workspace, snapshots: Snapshots) -> None:
    purchases = Purchase.objects.filter(workspace=workspace)
    for row in (
        purchases.annotate(month=_month_index("purchased_at"))
        .values("month")
        .annotate(
            purchases=Count("pk"),
            buyers=Count("customer", distinct=True),
            amount_total=Sum("amount"),
            profit_total=Sum("profit"),
            amount_without_profit=Sum("amount", filter=Q(profit__isnull=True)),
        )
        .order_by()
    ):
        snapshots.add(
            "purchases",
            "month",
            month_start(row["month"]),
            {
                "purchases": row["purchases"],
                "buyers": row["buyers"],
                "amount": float(row["amount_total"] or 0),
                "profit": float(row["profit_total"] or 0),
                "amount_without_profit": float(row["amount_without_profit"] or 0),
            },
        )
