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
from django.db.models import Count, DateField, IntegerField, Value
from django.db.models.functions import Cast, ExtractDay, TruncMonth

from metrics.models import InteractionEvent, Purchase, SurveyResponse
from metrics.services.compute import (
    UTC,
    DayNumber,
    Snapshots,
    day_of,
    month_start,
    raw,
    temporary_table,
)

CUSTOMER_MONTHS = "metrics_customer_months"
DAY_BITS = range(31)
# Two consecutive months have days in at most 10 ISO weeks, so modulo 16 a bit names one of
# them, and the two months' rows share only the bit of the week that runs across the 1st.
WEEK_BITS = 16
FIRST_MONDAY = dt.date(1, 1, 1)  # day number 0 (a Monday): a day's week is its number // 7


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
    """Per day and channel: events; per day: all events (and, filled in by
    `active_customers`, the customers active that day)."""
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
    for day, count in totals.items():
        snapshots.add("events", "day", day, {"events": count, "active": 0})


def active_customers(workspace, snapshots: Snapshots) -> None:
    """Distinct customers with events per day, ISO week and month and the histogram of the
    days each was active in a month (for DAU/MAU and stickiness); retention and cohorts."""
    weekly = _activity(snapshots)
    for number, twice in _retention(snapshots).items():
        first = month_start(number)
        weekly[first - dt.timedelta(days=first.weekday())] -= twice
    for monday, active in weekly.items():
        if active:
            snapshots.add("activity", "week", monday, {"active": active})


def _activity(snapshots: Snapshots) -> dict[dt.date, int]:
    """Monthly actives and histograms, daily actives, and per ISO week the sum over the
    months it has days in of their customers active in it."""
    active_days = " + ".join(f"((days >> {bit}) & 1)" for bit in DAY_BITS)
    sums = [f"SUM((days >> {bit}) & 1)" for bit in DAY_BITS]
    sums += [f"SUM((weeks >> {bit}) & 1)" for bit in range(WEEK_BITS)]
    histograms, daily, weekly = defaultdict(dict), defaultdict(int), defaultdict(int)
    for number, days, customers, *counts in raw(
        f"SELECT number, {active_days}, COUNT(*), {', '.join(sums)} FROM {CUSTOMER_MONTHS} "
        "WHERE days <> 0 GROUP BY 1, 2",
        [],
    ):
        first = month_start(number)
        histograms[first][str(days)] = customers
        for bit in DAY_BITS:
            daily[first + dt.timedelta(days=bit)] += int(counts[bit])
        for monday in _mondays(first):
            weekly[monday] += int(counts[len(DAY_BITS) + _week_bit(monday)])
    for first, histogram in histograms.items():
        snapshots.add(
            "activity",
            "month",
            first,
            {"active": sum(histogram.values()), "active_days": histogram},
        )
    for day, active in daily.items():
        if active:
            snapshots.update("events", "day", day, active=active)
    return weekly


def _mondays(first: dt.date):
    """The Mondays of the weeks with days in the month that starts on `first`."""
    following = (first + dt.timedelta(days=31)).replace(day=1)
    monday = first - dt.timedelta(days=first.weekday())
    while monday < following:
        yield monday
        monday += dt.timedelta(weeks=1)


def _week_bit(monday: dt.date) -> int:
    return (monday - FIRST_MONDAY).days // 7 % WEEK_BITS


def _retention(snapshots: Snapshots) -> dict[int, int]:
    """Per month: customers active in it (at end), in the month before (at start), and the
    newly active — first seen or back after a gap — so retention = (end − new) / start; per
    first month, the customers active each month after. Returns per month the customers
    active on both sides of its 1st in the week that runs across it (their weeks' bits
    meet), counted in both months' sums of that week."""
    # One pass over each customer's months in order: the month before, and the first month.
    cells = raw(
        "SELECT cohort, number, COUNT(*), SUM(CASE WHEN previous = number - 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN previous = number - 1 AND (weeks & previous_weeks) <> 0 THEN 1 ELSE 0 END) "
        "FROM (SELECT number, weeks, LAG(number) OVER months AS previous, "
        "LAG(weeks) OVER months AS previous_weeks, MIN(number) OVER months AS cohort "
        f"FROM {CUSTOMER_MONTHS} WINDOW months AS (PARTITION BY customer_id ORDER BY number)) "
        "marked GROUP BY cohort, number",
        [],
    )
    totals, cohorts = defaultdict(lambda: [0, 0, 0]), defaultdict(dict)
    for cohort, month, count, kept, twice in cells:
        totals[month][0] += count
        totals[month][1] += kept
        totals[month][2] += twice
        cohorts[cohort][str(month - cohort)] = count
    for month, (at_end, kept, _) in sorted(totals.items()):
        at_start = totals[month - 1][0] if month - 1 in totals else 0
        snapshots.add(
            "retention",
            "month",
            month_start(month),
            {"at_start": at_start, "at_end": at_end, "new": at_end - kept},
        )
    for cohort, months in cohorts.items():
        snapshots.add("cohort", "month", month_start(cohort), {"active": months})
    return {month: twice for month, (_, _, twice) in totals.items() if twice}
