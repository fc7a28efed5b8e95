import random
import statistics
from datetime import date

import pytest

from metrics.calculations import (
    active_days,
    annual_churn,
    cohort_table,
    dau_mau,
    retention,
    wau_mau,
)


def test_retention_worked_example():
    # Hand-worked from the definition ((E − N) / S): 200 customers at the start, 40 new ones
    # during the period, 180 at the end → 140 of the 200 stayed: 70 % retained, 30 % churned.
    result = retention(at_start=200, at_end=180, new=40)
    assert result.retention_rate == pytest.approx(0.7)
    assert result.churn_rate == pytest.approx(0.3)


def test_retention_boundaries():
    assert retention(at_start=10, at_end=10, new=0).retention_rate == 1
    assert retention(at_start=10, at_end=10, new=0).churn_rate == 0
    assert retention(at_start=10, at_end=5, new=5).retention_rate == 0
    assert retention(at_start=10, at_end=5, new=5).churn_rate == 1


def test_no_customers_at_the_start_no_rate():
    result = retention(at_start=0, at_end=12, new=12)
    assert result.retention_rate is None
    assert result.churn_rate is None


@pytest.mark.parametrize(
    ("at_start", "at_end", "new"),
    [(10, 5, 6), (10, 15, 2), (-1, 0, 0), (10, 5.5, 0), (None, 1, 1)],
)
def test_impossible_retention_counts_are_refused(at_start, at_end, new):
    with pytest.raises(ValueError):
        retention(at_start=at_start, at_end=at_end, new=new)


def test_monthly_churn_compounds_into_annual_churn():
    assert annual_churn(0.05, periods_per_year=12) == pytest.approx(1 - 0.95**12)
    assert annual_churn(0.05, periods_per_year=12) == pytest.approx(0.4596, abs=1e-4)
    assert annual_churn(0, periods_per_year=12) == 0
    assert annual_churn(1, periods_per_year=12) == 1
    assert annual_churn(None, periods_per_year=12) is None
    with pytest.raises(ValueError):
        annual_churn(1.2, periods_per_year=12)
    with pytest.raises(ValueError):
        annual_churn(0.1, periods_per_year=0)


def test_cohort_table_fills_silent_months_and_leaves_the_future_empty():
    cells = [
        (date(2026, 1, 1), 0, 100),
        (date(2026, 1, 1), 1, 40),
        # January's month 2 is absent: nobody active in March
        (date(2026, 1, 1), 3, 25),
        (date(2026, 2, 1), 0, 50),
        (date(2026, 2, 1), 1, 30),
        (date(2026, 4, 1), 0, 10),
    ]
    rows = cohort_table(cells)
    assert [row.cohort for row in rows] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 4, 1)]
    assert [row.size for row in rows] == [100, 50, 10]
    assert rows[0].retention == (1.0, 0.4, 0.0, 0.25)
    assert rows[1].retention == (1.0, 0.6, 0.0, None)
    assert rows[2].retention == (1.0, None, None, None)


def test_cohort_table_runs_to_the_month_given():
    rows = cohort_table(
        [(date(2026, 1, 15), 0, 4), (date(2026, 1, 1), 1, 2)], as_of=date(2026, 3, 9)
    )
    assert rows[0].cohort == date(2026, 1, 1)
    assert rows[0].retention == (1.0, 0.5, 0.0)


def test_no_cohorts_no_rows():
    assert cohort_table([]) == []


@pytest.mark.parametrize(
    "cells",
    [
        [(date(2026, 1, 1), 1, 5)],  # no month 0: no cohort size
        [(date(2026, 1, 1), 0, 5), (date(2026, 1, 1), 0, 5)],
        [(date(2026, 1, 1), 0, 5), (date(2026, 1, 1), 1, 6)],
        [(date(2026, 1, 1), 0, 5), (date(2026, 1, 1), -1, 2)],
    ],
)
def test_impossible_cohort_cells_are_refused(cells):
    with pytest.raises(ValueError):
        cohort_table(cells)


def test_cohort_data_after_the_month_given_is_refused():
    with pytest.raises(ValueError):
        cohort_table([(date(2026, 1, 1), 0, 5), (date(2026, 1, 1), 3, 1)], as_of=date(2026, 2, 1))


def test_dau_mau_is_mean_dau_over_mau():
    rng = random.Random(3)
    daily = [rng.randint(0, 80) for _ in range(30)]
    result = dau_mau(daily_active_total=sum(daily), days=30, monthly_active=120)
    assert result == pytest.approx(statistics.fmean(daily) / 120)
    # 600 active user-days in a 30-day month: mean DAU 20 of MAU 100.
    assert dau_mau(daily_active_total=600, days=30, monthly_active=100) == pytest.approx(0.2)
    assert dau_mau(daily_active_total=3000, days=30, monthly_active=100) == 1


def test_wau_mau():
    # four weeks with 50, 60, 40, 50 active of 100 in the month → mean WAU 50 → 0.5
    assert wau_mau(weekly_active_total=200, weeks=4, monthly_active=100) == pytest.approx(0.5)


def test_no_monthly_actives_no_ratio():
    assert dau_mau(daily_active_total=0, days=30, monthly_active=0) is None
    assert wau_mau(weekly_active_total=0, weeks=0, monthly_active=5) is None


def test_more_daily_actives_than_monthly_ones_is_refused():
    with pytest.raises(ValueError):
        dau_mau(daily_active_total=3001, days=30, monthly_active=100)
    with pytest.raises(ValueError):
        dau_mau(daily_active_total=-1, days=30, monthly_active=100)


def test_active_days_distribution():
    result = active_days({1: 4, 2: 3, 5: 2, 20: 1, 7: 0})
    assert result.n == 10
    assert result.percent == {1: 40.0, 2: 30.0, 5: 20.0, 20: 10.0}
    assert result.median == 2  # sample 1 1 1 1 2 2 2 5 5 20
    assert result.mean == pytest.approx(4.0)


def test_active_days_median_agrees_with_statistics_median():
    rng = random.Random(11)
    for _ in range(25):
        histogram = {days: rng.randint(0, 5) for days in rng.sample(range(32), 6)}
        sample = [days for days, count in histogram.items() for _ in range(count)]
        if not sample:
            continue
        assert active_days(histogram).median == statistics.median(sample)


def test_active_days_without_customers_is_none():
    result = active_days({})
    assert (result.n, result.percent, result.median, result.mean) == (0, {}, None, None)


@pytest.mark.parametrize("histogram", [{32: 1}, {-1: 1}, {3: -1}, {2.5: 1}])
def test_impossible_active_days_are_refused(histogram):
    with pytest.raises(ValueError):
        active_days(histogram)
