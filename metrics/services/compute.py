"""Recomputing a workspace's snapshots from its raw rows, in set-based SQL: the helpers
every step uses, and the steps over answers, mentions and purchases (events, activity and
retention are in `activity`).

Each step reads its table once or twice with GROUP BY statements; Python only sees their
result rows (days × slices, months), never the answers or events themselves.
"""

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Func, IntegerField, Q, Sum
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone

from engage.models import Workspace
from metrics.models import (
    Customer,
    Purchase,
    Sentiment,
    Snapshot,
    SocialMention,
    SurveyResponse,
)

UTC = dt.UTC
SURVEY_CELLS = "metrics_survey_cells"
SURVEY_DIMENSIONS = (
    ("", None),
    ("segment", "segment"),
    ("persona", "persona"),
    ("touchpoint", "touchpoint"),
    ("channel", "channel"),
)
SCORES = range(11)


def day_of(field: str):
    return TruncDate(field, tzinfo=UTC)


class DayNumber(Func):
    """Days from 0001-01-01 to a date."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '0001-01-01')"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 1721425.5 AS INTEGER)",
            **extra_context,
        )


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


def temporary_table(name: str, sql: str, params) -> None:
    """(Re)create a temporary table from a SELECT, with statistics for the planner (nothing
    analyzes temporary tables by itself). It lives as long as the database session; a
    computation drops its tables when it is done, or its transaction's rollback does."""
    drop_tables(name)
    raw(f"CREATE TEMPORARY TABLE {name} AS {sql}", params)
    raw(f"ANALYZE {name}", [])


def drop_tables(*names: str) -> None:
    for name in names:
        raw(f"DROP TABLE IF EXISTS {name}", [])


def _as_date(value) -> dt.date:
    """A date as the database returns it from raw SQL: a date, a datetime or (SQLite) text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


class Snapshots:
    """Collects the new snapshot rows of one computation."""

    def __init__(self, workspace: Workspace):
        self.workspace, self.now, self.rows = workspace, timezone.now(), {}

    def add(self, source, period, start, data, dimension="", key=""):
        self.rows[(source, period, start, dimension, str(key))] = data

    def update(self, source, period, start, **values):
        """Add values to the data of a snapshot added before (for everyone: no slice)."""
        self.rows[(source, period, start, "", "")].update(values)

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
    """Per day and slice, each kind's answer histogram: [count of score 0, 1, … 10].

    One pass over the answers counts them per day, kind, score and every slice at once into
    a temporary table (a row per combination that occurs); each slice's histograms are sums
    over it. Only customers with a segment or persona are looked up.
    """
    answers = (
        SurveyResponse.objects.filter(workspace=workspace)
        .annotate(day=day_of("answered_at"))
        .values("customer_id", "day", "kind", "score", "touchpoint", "channel")
    )
    sliced = (
        Customer.objects.filter(workspace=workspace)
        .exclude(segment=None, persona=None)
        .values("id", "segment", "persona")
        .order_by()
    )
    answers_sql, params = answers.query.sql_with_params()
    sliced_sql, sliced_params = sliced.query.sql_with_params()
    slices, source = "s.segment, s.persona", f"({answers_sql}) a"
    if sliced.exists():
        source += f" LEFT JOIN ({sliced_sql}) s ON s.id = a.customer_id"
        params = [*params, *sliced_params]
    else:  # nobody to look up: spare every answer the join
        slices = "CAST(NULL AS INTEGER) AS segment, CAST(NULL AS INTEGER) AS persona"
    temporary_table(
        SURVEY_CELLS,
        f"SELECT a.day, a.kind, a.score, {slices}, a.touchpoint, a.channel, "
        f"COUNT(*) AS answers FROM {source} GROUP BY 1, 2, 3, 4, 5, 6, 7",
        params,
    )
    for dimension, column in SURVEY_DIMENSIONS:
        group = ", ".join(["day", "kind", "score", *([column] if column else [])])
        collected = defaultdict(dict)
        for day, kind, score, *key, count in raw(
            f"SELECT {group}, SUM(answers) FROM {SURVEY_CELLS} GROUP BY {group}", []
        ):
            key = key[0] if column else ""
            if column and key in (None, ""):
                continue
            collected[(_as_date(day), key)].setdefault(kind, [0] * len(SCORES))[score] = int(count)
        for (day, key), data in collected.items():
            snapshots.add("surveys", "day", day, data, dimension, key)


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
