"""Stickiness: how long customers stay and how often they come back.

Rates are fractions from 0 to 1. Inputs are counts of distinct customers that SQL computes
(`COUNT(DISTINCT customer_id)` per day, week, month or cohort), never the events themselves.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Retention:
    at_start: int
    at_end: int
    new: int
    retention_rate: float | None
    churn_rate: float | None


@dataclass(frozen=True)
class CohortRow:
    cohort: date  # first day of the month the customers first became active
    size: int
    retention: tuple[float | None, ...]  # [k] = active in month k / size; None: not reached yet


@dataclass(frozen=True)
class ActiveDays:
    n: int
    percent: dict[int, float]  # active days in the month → % of customers, ascending
    median: float | None
    mean: float | None


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, not {value!r}")
    return value


def retention(*, at_start: int, at_end: int, new: int) -> Retention:
    """Retention = (customers at end − new customers) / customers at start; churn = 1 − it."""
    at_start = _count(at_start, "customers at start")
    at_end = _count(at_end, "customers at end")
    new = _count(new, "new customers")
    if new > at_end:
        raise ValueError(f"{new} new customers cannot exceed the {at_end} at the end")
    if at_end - new > at_start:
        raise ValueError(
            f"{at_end - new} customers kept from the start, but only {at_start} were there"
        )
    if at_start == 0:
        return Retention(at_start, at_end, new, None, None)
    rate = (at_end - new) / at_start
    return Retention(at_start, at_end, new, rate, 1 - rate)


def annual_churn(period_churn: float | None, *, periods_per_year: float) -> float | None:
    """Churn over a year from churn over a shorter period, compounding: 1 − (1 − c)^k."""
    if period_churn is None:
        return None
    if not 0 <= period_churn <= 1:
        raise ValueError(f"a churn rate is between 0 and 1, not {period_churn}")
    if periods_per_year <= 0:
        raise ValueError("periods_per_year must be positive")
    return 1 - (1 - period_churn) ** periods_per_year


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def cohort_table(
    cells: Iterable[tuple[date, int, int]], *, as_of: date | None = None
) -> list[CohortRow]:
    """Monthly cohort retention from (cohort month, months since, distinct active) aggregates.

    A cohort's size is its month-0 count. Months that GROUP BY left out (nobody active) are
    0.0 up to the last month observed (`as_of`'s month, else the latest month in the data);
    later months are None. Rows come oldest cohort first.
    """
    active: dict[date, dict[int, int]] = {}
    for cohort, months_since, count in cells:
        cohort = cohort.replace(day=1)
        months_since = _count(months_since, "months since the cohort")
        count = _count(count, "active customers")
        if months_since in active.setdefault(cohort, {}):
            raise ValueError(f"cohort {cohort:%Y-%m} month {months_since} is given twice")
        active[cohort][months_since] = count
    if not active:
        return []
    last = (
        _month_index(as_of)
        if as_of is not None
        else max(_month_index(c) + max(months) for c, months in active.items())
    )
    width = last - min(_month_index(c) for c in active) + 1
    rows = []
    for cohort in sorted(active):
        months = active[cohort]
        size = months.get(0, 0)
        if size == 0:
            raise ValueError(f"cohort {cohort:%Y-%m} has nobody active in its first month")
        if max(months.values()) > size:
            raise ValueError(f"cohort {cohort:%Y-%m} has more active customers than its size")
        observed = last - _month_index(cohort)
        if max(months) > observed:
            raise ValueError(f"cohort {cohort:%Y-%m} has data after the last month observed")
        rows.append(
            CohortRow(
                cohort=cohort,
                size=size,
                retention=tuple(
                    months.get(k, 0) / size if k <= observed else None for k in range(width)
                ),
            )
        )
    return rows


def active_ratio(*, active_total: int, periods: int, period_active: int) -> float | None:
    """Mean distinct actives per short period ÷ distinct actives over the long one.

    DAU/MAU: active_total = Σ over the month's days of that day's distinct actives, periods =
    days in the month (days with nobody count), period_active = the month's distinct actives.
    WAU/MAU: the same with the weeks the caller assigns to the month.
    """
    active_total = _count(active_total, "the sum of short-period actives")
    periods = _count(periods, "the number of short periods")
    period_active = _count(period_active, "the long period's actives")
    if period_active == 0 or periods == 0:
        return None
    if active_total > periods * period_active:
        raise ValueError("a short period cannot have more distinct actives than the long one")
    return active_total / periods / period_active


def dau_mau(*, daily_active_total: int, days: int, monthly_active: int) -> float | None:
    """Mean DAU over the month ÷ MAU (0 to 1)."""
    return active_ratio(active_total=daily_active_total, periods=days, period_active=monthly_active)


def wau_mau(*, weekly_active_total: int, weeks: int, monthly_active: int) -> float | None:
    """Mean WAU over the month's weeks ÷ MAU (0 to 1)."""
    return active_ratio(
        active_total=weekly_active_total, periods=weeks, period_active=monthly_active
    )


def active_days(histogram: Mapping[int, int]) -> ActiveDays:
    """Distribution of active days per month from {days active: customers}."""
    counts = {}
    for days, customers in histogram.items():
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 31:
            raise ValueError(f"active days in a month run from 0 to 31, not {days!r}")
        counts[days] = _count(customers, f"customers active {days} days")
    n = sum(counts.values())
    if n == 0:
        return ActiveDays(n=0, percent={}, median=None, mean=None)
    ordered = sorted((days, c) for days, c in counts.items() if c)
    return ActiveDays(
        n=n,
        percent={days: 100 * c / n for days, c in ordered},
        median=(_nth(ordered, (n - 1) // 2) + _nth(ordered, n // 2)) / 2,
        mean=sum(days * c for days, c in ordered) / n,
    )


def _nth(ordered: list[tuple[int, int]], index: int) -> int:
    """The value at a 0-based position of the sorted sample a histogram stands for."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)
