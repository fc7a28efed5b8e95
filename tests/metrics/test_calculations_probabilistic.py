import csv
import math
from pathlib import Path

import numpy as np
import pytest

from metrics.calculations import (
    bg_nbd_expected_purchases,
    bg_nbd_probability_alive,
    fit_bg_nbd,
    fit_gamma_gamma,
    gamma_gamma_expected_spend,
    probabilistic_clv,
)

CDNOW = Path(__file__).parent / "data" / "cdnow_customers_summary_with_transactions.csv"
WEEKS_PER_MONTH = 4.345  # what lifetimes uses for freq="W"


@pytest.fixture(scope="module")
def cdnow():
    with CDNOW.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        column: np.array([float(row[column]) for row in rows])
        for column in ("x", "t_x", "T", "zbar")
    }


@pytest.fixture(scope="module")
def fitted(cdnow):
    bg = fit_bg_nbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    gg = fit_gamma_gamma(cdnow["x"], cdnow["zbar"])
    return bg, gg


@pytest.fixture(scope="module")
def reference(cdnow):
    lifetimes = pytest.importorskip("lifetimes")
    x, t_x, T, zbar = cdnow["x"], cdnow["t_x"], cdnow["T"], cdnow["zbar"]
    bg = lifetimes.BetaGeoFitter().fit(x, t_x, T)
    repeat = x > 0
    gg = lifetimes.GammaGammaFitter().fit(x[repeat], zbar[repeat])
    return bg, gg


def test_bg_nbd_on_cdnow_matches_the_published_estimates(cdnow, fitted):
    # Fader, Hardie & Lee (2005), Marketing Science 24(2), section 5: r = 0.243, α = 4.414,
    # a = 0.793, b = 2.426, log-likelihood −9582.4.
    bg, _ = fitted
    assert bg.customers == 2357
    assert (bg.r, bg.alpha, bg.a, bg.b) == pytest.approx((0.243, 4.414, 0.793, 2.426), abs=1e-3)
    assert bg.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_gamma_gamma_on_cdnow_matches_the_published_estimates(fitted):
    # Fader & Hardie (2013), "The Gamma-Gamma model of monetary value": p = 6.25,
    # q = 3.74, γ = 15.44, fitted on the 946 customers with repeat purchases.
    _, gg = fitted
    assert gg.customers == 946
    assert (gg.p, gg.q, gg.gamma) == pytest.approx((6.25, 3.74, 15.44), abs=0.01)


def test_bg_nbd_parameters_match_lifetimes(fitted, reference):
    bg, _ = fitted
    theirs = reference[0].params_
    assert (bg.r, bg.alpha, bg.a, bg.b) == pytest.approx(
        (theirs["r"], theirs["alpha"], theirs["a"], theirs["b"]), rel=1e-5
    )


def test_gamma_gamma_parameters_match_lifetimes(fitted, reference):
    _, gg = fitted
    theirs = reference[1].params_
    assert (gg.p, gg.q, gg.gamma) == pytest.approx(
        (theirs["p"], theirs["q"], theirs["v"]), rel=1e-5
    )


def test_per_customer_predictions_match_lifetimes(cdnow, fitted, reference):
    bg, gg = fitted
    ref_bg, ref_gg = reference
    x, t_x, T, zbar = cdnow["x"], cdnow["t_x"], cdnow["T"], cdnow["zbar"]

    purchases = bg_nbd_expected_purchases(bg, 39, x, t_x, T)
    expected = ref_bg.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T)
    assert purchases[0] == pytest.approx(1.2259, abs=1e-4)  # customer 1: x=2, t_x=30.43, T=38.86
    np.testing.assert_allclose(purchases, expected, rtol=1e-5, atol=1e-6)

    alive = bg_nbd_probability_alive(bg, x, t_x, T)
    np.testing.assert_allclose(
        alive, ref_bg.conditional_probability_alive(x, t_x, T), rtol=1e-5, atol=1e-6
    )

    spend = gamma_gamma_expected_spend(gg, x, zbar)
    np.testing.assert_allclose(
        spend, ref_gg.conditional_expected_average_profit(x, zbar), rtol=1e-5
    )

    pd = pytest.importorskip("pandas")  # lifetimes' CLV wants indexed Series
    clv = probabilistic_clv(
        bg, gg, x, t_x, T, zbar, units_per_month=WEEKS_PER_MONTH, monthly_discount_rate=0.01
    )
    ref_clv = ref_gg.customer_lifetime_value(
        ref_bg,
        pd.Series(x),
        pd.Series(t_x),
        pd.Series(T),
        pd.Series(zbar),
        time=12,
        discount_rate=0.01,
        freq="W",
    )
    np.testing.assert_allclose(clv, np.asarray(ref_clv), rtol=1e-5)


def direct_log_likelihood(r, alpha, a, b, xs, t_xs, Ts):
    """Equation (6) of the 2005 paper with plain Beta and Gamma functions, customer by customer."""

    def beta(u, v):
        return math.exp(math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v))

    total = 0.0
    for x, t_x, T in zip(xs, t_xs, Ts, strict=True):
        common = math.exp(math.lgamma(r + x) - math.lgamma(r)) * alpha**r
        likelihood = beta(a, b + x) / beta(a, b) * common / (alpha + T) ** (r + x)
        if x > 0:
            likelihood += beta(a + 1, b + x - 1) / beta(a, b) * common / (alpha + t_x) ** (r + x)
        total += math.log(likelihood)
    return total


def test_log_likelihood_restated_without_logs(cdnow, fitted):
    # An independent restatement of the vectorised log form the fit maximises.
    bg, _ = fitted
    total = direct_log_likelihood(bg.r, bg.alpha, bg.a, bg.b, cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert bg.log_likelihood == pytest.approx(total, rel=1e-9)


def simulate_bg_nbd(n, r, alpha, a, b, rng):
    """Customers drawn from the model's own story: Poisson buying, dropping out after a repeat."""
    rates, dropout = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    ages = rng.uniform(30, 365, n)  # days since the first purchase
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = rng.exponential(1 / rates[i])
        while t <= ages[i]:
            x[i] += 1
            t_x[i] = t
            if rng.random() < dropout[i]:
                break
            t += rng.exponential(1 / rates[i])
    return x, t_x, ages


def test_bg_nbd_recovers_the_parameters_of_simulated_customers():
    true = (0.5, 20.0, 0.8, 3.0)
    x, t_x, T = simulate_bg_nbd(20_000, *true, np.random.default_rng(2026))
    bg = fit_bg_nbd(x, t_x, T)
    assert (bg.r, bg.alpha) == pytest.approx(true[:2], rel=0.1)
    assert (bg.a, bg.b) == pytest.approx(true[2:], rel=0.3)
    # The maximum of the likelihood is at least as high as its value at the true parameters.
    assert bg.log_likelihood >= direct_log_likelihood(*true, x, t_x, T)


def test_collapsed_rows_with_weights_fit_the_same_model(cdnow, fitted):
    # SQL may GROUP BY (x, t_x, T) and send counts: memory then follows distinct histories.
    rows, counts = np.unique(
        np.column_stack([cdnow["x"], cdnow["t_x"], cdnow["T"]]), axis=0, return_counts=True
    )
    assert len(rows) < 2357
    bg = fit_bg_nbd(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts)
    full, _ = fitted
    assert bg.customers == 2357
    assert (bg.r, bg.alpha, bg.a, bg.b) == pytest.approx(
        (full.r, full.alpha, full.a, full.b), rel=1e-5
    )


def test_undiscounted_clv_is_expected_purchases_times_expected_spend(cdnow, fitted):
    bg, gg = fitted
    x, t_x, T, zbar = cdnow["x"][:50], cdnow["t_x"][:50], cdnow["T"][:50], cdnow["zbar"][:50]
    clv = probabilistic_clv(bg, gg, x, t_x, T, zbar, units_per_month=WEEKS_PER_MONTH)
    purchases = bg_nbd_expected_purchases(bg, 12 * WEEKS_PER_MONTH, x, t_x, T)
    np.testing.assert_allclose(clv, purchases * gamma_gamma_expected_spend(gg, x, zbar))
    discounted = probabilistic_clv(
        bg, gg, x, t_x, T, zbar, units_per_month=WEEKS_PER_MONTH, monthly_discount_rate=0.01
    )
    assert np.all(discounted < clv)


def test_boundaries_of_the_predictions(fitted):
    bg, gg = fitted
    x, t_x, T = np.array([0.0, 3.0]), np.array([0.0, 10.0]), np.array([20.0, 20.0])
    assert bg_nbd_probability_alive(bg, x, t_x, T)[0] == 1  # no repeat: nothing says gone
    assert 0 < bg_nbd_probability_alive(bg, x, t_x, T)[1] < 1
    np.testing.assert_array_equal(bg_nbd_expected_purchases(bg, 0, x, t_x, T), [0, 0])
    # A customer without repeat purchases is expected to spend the population mean γp/(q−1).
    assert gamma_gamma_expected_spend(gg, [0], [0])[0] == pytest.approx(
        gg.gamma * gg.p / (gg.q - 1)
    )


def test_many_purchases_over_a_long_horizon_stay_finite(fitted):
    # 300 repeat purchases: scipy's 2F1 overflows to inf beyond t ≈ 1,000 weeks, where the
    # Euler-transformed form takes over; the expectation must keep growing smoothly.
    bg, _ = fitted
    horizons = np.array([100.0, 500.0, 1000.0, 2000.0, 5000.0])
    values = bg_nbd_expected_purchases(bg, horizons, [300] * 5, [38.9] * 5, [39.0] * 5)
    assert np.isfinite(values).all()
    assert np.all(np.diff(values) > 0)
    assert values[-1] == pytest.approx(2429.5, rel=1e-3)  # lifetimes gives the same


def test_no_customers_no_model():
    assert fit_bg_nbd([], [], []) is None
    assert fit_gamma_gamma([], []) is None
    assert fit_gamma_gamma([0, 0], [0, 0]) is None  # nobody bought twice: no spend model


def test_bg_nbd_needs_a_repeat_purchase():
    with pytest.raises(ValueError):
        fit_bg_nbd([0, 0], [0, 0], [10, 12])


@pytest.mark.parametrize(
    ("x", "t_x", "T"),
    [
        ([1], [5], [4]),  # last purchase after the end of observation
        ([-1], [0], [4]),
        ([1.5], [2], [4]),
        ([0], [2], [4]),  # a repeat time without a repeat purchase
        ([2], [0], [4]),
        ([1, 2], [1], [4]),
    ],
)
def test_impossible_histories_are_refused(x, t_x, T):
    with pytest.raises(ValueError):
        fit_bg_nbd(x, t_x, T)


def test_impossible_spend_is_refused(fitted):
    _, gg = fitted
    with pytest.raises(ValueError):
        fit_gamma_gamma([1, 2], [10.0, -3.0])
    with pytest.raises(ValueError):
        gamma_gamma_expected_spend(gg, [1], [0.0])
    with pytest.raises(ValueError):
        fit_bg_nbd([1, 2], [1, 2], [3, 4], weights=[1, -1])
