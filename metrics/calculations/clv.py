"""Customer lifetime value, BTABoK's formula: purchase frequency × time period × profit per purchase.

Each term is returned with the value so a page can show how it was reached. Money is handled
as float: the result is an estimate, and SQL sums arrive as Decimal or int alike.
"""

from dataclasses import dataclass

DAYS_PER_YEAR = 365.25
MAX_LIFETIME_YEARS = 10.0


@dataclass(frozen=True)
class BtabokClv:
    value: float | None  # profit per customer over the expected lifetime
    purchase_frequency: float | None  # purchases per customer per year
    time_period_years: float | None  # expected lifetime: 1 / annual churn, capped
    profit_per_purchase: float | None
    lifetime_capped: bool  # True when 1 / churn exceeded the cap (or churn was 0)


def btabok_clv(
    *,
    purchases: int,
    customers: int,
    window_days: float,
    profit_total: float | None,
    amount_without_profit: float = 0,
    default_margin: float | None = None,
    annual_churn_rate: float | None,
    max_lifetime_years: float = MAX_LIFETIME_YEARS,
) -> BtabokClv:
    """BTABoK CLV from aggregates over one observation window.

    - purchase frequency = purchases ÷ customers ÷ (window_days / 365.25): purchases per
      customer per year, counting the distinct customers who bought in the window;
    - time period = 1 ÷ annual churn rate, in years (churn from `stickiness.retention`,
      annualised with `stickiness.annual_churn`), capped at `max_lifetime_years` (10 by
      default) because churn 0 would mean forever;
    - profit per purchase = (Σ known profit + Σ amount of purchases without a profit ×
      default margin) ÷ purchases.
    Any term without data makes the value None.
    """
    if isinstance(purchases, bool) or not isinstance(purchases, int) or purchases < 0:
        raise ValueError(f"purchases must be a whole number ≥ 0, not {purchases!r}")
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < 0:
        raise ValueError(f"customers must be a whole number ≥ 0, not {customers!r}")
    if customers > purchases:
        raise ValueError(f"{customers} buying customers cannot make only {purchases} purchases")
    if window_days <= 0:
        raise ValueError("the observation window must last more than 0 days")
    if max_lifetime_years <= 0:
        raise ValueError("the lifetime cap must be positive")
    if annual_churn_rate is not None and not 0 <= annual_churn_rate <= 1:
        raise ValueError(f"a churn rate is between 0 and 1, not {annual_churn_rate}")
    if amount_without_profit and default_margin is None:
        raise ValueError("purchases without a profit need a default margin")

    frequency = purchases / customers / (window_days / DAYS_PER_YEAR) if customers else None

    lifetime, capped = None, False
    if annual_churn_rate is not None:
        uncapped = 1 / annual_churn_rate if annual_churn_rate else float("inf")
        lifetime, capped = min(uncapped, max_lifetime_years), uncapped > max_lifetime_years

    profit = None
    if purchases and (profit_total is not None or amount_without_profit):
        total = float(profit_total or 0) + float(amount_without_profit) * float(default_margin or 0)
        profit = total / purchases

    value = None
    if frequency is not None and lifetime is not None and profit is not None:
        value = frequency * lifetime * profit
    return BtabokClv(value, frequency, lifetime, profit, capped)
