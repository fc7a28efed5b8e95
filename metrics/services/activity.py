"""Interaction events, active customers, retention and cohorts, in set-based SQL.

Every measure of distinct customers reads one temporary table with a row per customer and
month of any activity (an event, an answer or a purchase), made by one aggregation over the
three tables: `days` has bit d − 1 set for each day d of the month with events, `weeks` one
bit per ISO week with events (the week's number modulo 16) and `number` is the month's index
(year × 12 + month − 1). Daily, weekly and monthly actives and the active-days histogram are
sums of those bits; retention and cohorts are one pass over each customer's months in order.
"""

import datetime as dt
from collections import defaultdict
from itertools import chain

from django.db import connection
from django.db.models import Count, DateField, Func, IntegerField, Value
from django.db.models.functions import Cast, ExtractDay, TruncMonth

from metrics.models import InteractionEvent, Purchase, SurveyResponse
from metrics.services.compute import (
    UTC,
    Snapshots,
    day_of,
    month_start,
    raw,
    temporary_table,
)

CUSTOMER_MONTHS = "metrics_customer_months"
DAY_BITS = range(31)
# The weeks with days in one month and the next are at most 11, so modulo 16 a bit names one
# of them, and two consecutive months share only the week that runs across their boundary.
WEEK_BITS = 16
FIRST_MONDAY = dt.date(1, 1, 1)  # day number 0: a day's week number is its number // 7


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


def _bit(position):
    return Value(1).bitleftshift(position)


def _bit_or(column: str) -> str:
    """SQL for the bitwise OR of a group's values. SQLite has no BIT_OR; over powers of two
    and zero (all this module ORs) the sum of the distinct values is the same number."""
    return f"SUM(DISTINCT {column})" if connection.vendor == "sqlite" else f"BIT_OR({column})"


def _month_number_sql(column: str) -> tuple[str, tuple]:
    year, year_params = connection.ops.date_extract_sql("year", column, ())
    month, month_params = connection.ops.date_extract_sql("month", column, ())
    sql = f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER) - 1)"
    return sql, (*year_params, *month_params)


def customer_months(workspace, snapshots: Snapshots) -> None:
    """The temporary table of customers' months (see the module's docstring)."""
    month_of = {"tzinfo": UTC, "output_field": DateField()}
    events = InteractionEvent.objects.filter(workspace=workspace, customer__isnull=False).annotate(
        month=TruncMonth("timestamp", **month_of),
        day_bit=_bit(Cast(ExtractDay("timestamp", tzinfo=UTC), IntegerField()) - 1),
        week_bit=_bit(DayNumber(day_of("timestamp")) / 7 % WEEK_BITS),
    )
    parts = [events]
    for model, field in ((SurveyResponse, "answered_at"), (Purchase, "purchased_at")):
        parts.append(
            model.objects.filter(workspace=workspace).annotate(
                month=TruncMonth(field, **month_of), day_bit=Value(0), week_bit=Value(0)
            )
        )
    sqls, params = zip(
        *(
            p.values("customer_id", "month", "day_bit", "week_bit").query.sql_with_params()
            for p in parts
        ),
        strict=True,
    )
    number, number_params = _month_number_sql("m.month")
    temporary_table(
        CUSTOMER_MONTHS,
        f"SELECT customer_id, {number} AS number, days, weeks FROM (SELECT customer_id, month, "
        f"{_bit_or('day_bit')} AS days, {_bit_or('week_bit')} AS weeks "
        f"FROM ({' UNION ALL '.join(sqls)}) u GROUP BY customer_id, month) m",
        [*number_params, *chain(*params)],
    )


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
    per_day = ", ".join(f"SUM((days >> {bit}) & 1)" for bit in DAY_BITS)
    active = {}
    for number, *counts in raw(
        f"SELECT number, {per_day} FROM {CUSTOMER_MONTHS} GROUP BY number", []
    ):
        first = month_start(number)
        active |= {first + dt.timedelta(days=bit): int(n) for bit, n in enumerate(counts) if n}
    for day, count in totals.items():
        snapshots.add("events", "day", day, {"events": count, "active": active.get(day, 0)})


def activity_by_period(workspace, snapshots: Snapshots) -> None:
    """Distinct customers with events per ISO week and per month, and per month the
    histogram of days each active customer was active (for DAU/MAU and stickiness)."""
    active_days = " + ".join(f"((days >> {bit}) & 1)" for bit in DAY_BITS)
    per_week = ", ".join(f"SUM((weeks >> {bit}) & 1)" for bit in range(WEEK_BITS))
    histograms, weekly = defaultdict(dict), defaultdict(int)
    for number, days, customers, *counts in raw(
        f"SELECT number, {active_days}, COUNT(*), {per_week} FROM {CUSTOMER_MONTHS} "
        "WHERE days <> 0 GROUP BY 1, 2",
        [],
    ):
        histograms[number][str(days)] = customers
        for monday in _mondays(month_start(number)):
            weekly[monday] += int(counts[(monday - FIRST_MONDAY).days // 7 % WEEK_BITS])
    for number, histogram in histograms.items():
        snapshots.add(
            "activity",
            "month",
            month_start(number),
            {"active": sum(histogram.values()), "active_days": histogram},
        )
    # Who was active on both sides of a week that runs across a month's start is in the
    # counts of both months.
    for number, twice in raw(
        f"SELECT later.number, COUNT(*) FROM {CUSTOMER_MONTHS} earlier "
        f"JOIN {CUSTOMER_MONTHS} later ON later.customer_id = earlier.customer_id "
        "AND later.number = earlier.number + 1 WHERE (later.weeks & earlier.weeks) <> 0 "
        "GROUP BY later.number",
        [],
    ):
        first = month_start(number)
        weekly[first - dt.timedelta(days=first.weekday())] -= twice
    for monday, active in weekly.items():
        if active:
            snapshots.add("activity", "week", monday, {"active": active})


def _mondays(first: dt.date):
    """The Mondays of the weeks with days in the month that starts on `first`."""
    following = (first + dt.timedelta(days=31)).replace(day=1)
    monday = first - dt.timedelta(days=first.weekday())
    while monday < following:
        yield monday
        monday += dt.timedelta(weeks=1)


def retention_by_month(workspace, snapshots: Snapshots) -> None:
    """Per month: customers active in it (at end), in the month before (at start), and the
    newly active — first seen or back after a gap — so retention = (end − new) / start."""
    # One pass over each customer's months in order: the month before, and the first month.
    cells = raw(
        "SELECT cohort, number, COUNT(*), SUM(CASE WHEN previous = number - 1 THEN 1 ELSE 0 END) "
        "FROM (SELECT number, LAG(number) OVER (PARTITION BY customer_id ORDER BY number) "
        "AS previous, MIN(number) OVER (PARTITION BY customer_id) AS cohort "
        f"FROM {CUSTOMER_MONTHS}) marked GROUP BY cohort, number",
        [],
    )
    totals, cohorts = defaultdict(lambda: [0, 0]), defaultdict(dict)
    for cohort, month, count, kept in cells:
        totals[month][0] += count
        totals[month][1] += kept
        cohorts[cohort][str(month - cohort)] = count
    for month, (at_end, kept) in sorted(totals.items()):
        at_start = totals[month - 1][0] if month - 1 in totals else 0
        snapshots.add(
            "retention",
            "month",
            month_start(month),
            {"at_start": at_start, "at_end": at_end, "new": at_end - kept},
        )
    for cohort, months in cohorts.items():
        snapshots.add("cohort", "month", month_start(cohort), {"active": months})
