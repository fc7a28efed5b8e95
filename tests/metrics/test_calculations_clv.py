from decimal import Decimal

import pytest

from metrics.calculations import annual_churn, btabok_clv, retention


def test_btabok_clv_hand_worked_example():
    # Hand-worked (no published BTABoK example found): 400 customers made 1,200 purchases in
    # a 182.625-day (half-year) window → 3 per half-year = 6 purchases per customer per year;
    # 25 % annual churn → 4 years; profit 18,000 / 1,200 = 15 per purchase → 6 × 4 × 15 = 360.
    result = btabok_clv(
        purchases=1200,
        customers=400,
        window_days=182.625,
        profit_total=Decimal("18000.00"),
        annual_churn_rate=0.25,
    )
    assert result.purchase_frequency == pytest.approx(6)
    assert result.time_period_years == pytest.approx(4)
    assert result.profit_per_purchase == pytest.approx(15)
    assert result.value == pytest.approx(360)
    assert result.lifetime_capped is False


def test_purchases_without_a_profit_use_the_default_margin():
    # 100 purchases: 60 with a known profit of 600 in all, 40 worth 2,000 at a 30 % margin
    # → (600 + 600) / 100 = 12 per purchase.
    result = btabok_clv(
        purchases=100,
        customers=50,
        window_days=365.25,
        profit_total=600,
        amount_without_profit=Decimal("2000"),
        default_margin=0.3,
        annual_churn_rate=0.5,
    )
    assert result.profit_per_purchase == pytest.approx(12)
    assert result.value == pytest.approx(2 * 2 * 12)


def test_only_amounts_known():
    result = btabok_clv(
        purchases=10,
        customers=10,
        window_days=365.25,
        profit_total=None,
        amount_without_profit=1000,
        default_margin=0.25,
        annual_churn_rate=1.0,
    )
    assert result.profit_per_purchase == pytest.approx(25)
    assert result.value == pytest.approx(25)


def test_churn_from_the_stickiness_functions():
    monthly = retention(at_start=1000, at_end=1030, new=80).churn_rate  # 5 % a month
    yearly = annual_churn(monthly, periods_per_year=12)
    result = btabok_clv(
        purchases=10, customers=5, window_days=365.25, profit_total=100, annual_churn_rate=yearly
    )
    assert result.time_period_years == pytest.approx(1 / (1 - 0.95**12))


@pytest.mark.parametrize(("churn", "years"), [(0.0, 10.0), (0.05, 10.0), (0.1, 10.0), (0.2, 5.0)])
def test_lifetime_is_capped_at_ten_years(churn, years):
    result = btabok_clv(
        purchases=1, customers=1, window_days=365.25, profit_total=1, annual_churn_rate=churn
    )
    assert result.time_period_years == pytest.approx(years)
    assert result.lifetime_capped is (churn < 0.1)


def test_a_different_cap():
    result = btabok_clv(
        purchases=1,
        customers=1,
        window_days=365.25,
        profit_total=1,
        annual_churn_rate=0,
        max_lifetime_years=3,
    )
    assert result.time_period_years == 3
    assert result.value == 3


def test_no_purchases_no_value():
    result = btabok_clv(
        purchases=0, customers=0, window_days=30, profit_total=None, annual_churn_rate=0.2
    )
    assert result.value is None
    assert result.purchase_frequency is None
    assert result.profit_per_purchase is None
    assert result.time_period_years == pytest.approx(5)


def test_unknown_churn_or_profit_no_value():
    no_churn = btabok_clv(
        purchases=4, customers=2, window_days=365.25, profit_total=40, annual_churn_rate=None
    )
    assert no_churn.value is None
    assert no_churn.time_period_years is None
    assert no_churn.purchase_frequency == 2
    no_profit = btabok_clv(
        purchases=4, customers=2, window_days=365.25, profit_total=None, annual_churn_rate=0.5
    )
    assert no_profit.value is None
    assert no_profit.profit_per_purchase is None


@pytest.mark.parametrize(
    "changes",
    [
        {"purchases": -1},
        {"customers": 5},  # more buying customers than purchases
        {"customers": 1.5},
        {"window_days": 0},
        {"annual_churn_rate": 1.5},
        {"annual_churn_rate": -0.1},
        {"amount_without_profit": 100},  # without a default margin
        {"max_lifetime_years": 0},
    ],
)
def test_impossible_clv_inputs_are_refused(changes):
    arguments = {
        "purchases": 4,
        "customers": 2,
        "window_days": 365.25,
        "profit_total": 40,
        "annual_churn_rate": 0.5,
    }
    with pytest.raises(ValueError):
        btabok_clv(**arguments | changes)
