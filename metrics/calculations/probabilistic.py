"""Probabilistic CLV: BG/NBD for future purchases, Gamma-Gamma for spend.

- BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
  Science 24(2); log-likelihood of their section 7 (also Hardie's note 004).
- Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves", JMR 42(4);
  Fader & Hardie (2013), "The Gamma-Gamma model of monetary value".

Input is one summary row per customer, as numpy arrays, so memory grows with customers,
never with purchases (identical rows may be collapsed by SQL and given as `weights`):
- x: repeat purchases — purchase days after the first one (several purchases on one day
  count once, as in the papers' CDNOW summary and in lifetimes);
- t_x: time from the first purchase to the last one (0 when x = 0);
- T: time from the first purchase to the end of observation;
- m_x: mean spend (or profit) of the repeat purchases, the first one left out.
All times in one unit (days or weeks); predictions come out in that unit too.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, hyp2f1


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int


def _weights(weights, size: int) -> np.ndarray:
    if weights is None:
        return np.ones(size)
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (size,) or np.any(weights < 0):
        raise ValueError("weights are one count ≥ 0 per row")
    return weights


def _rfm(x, t_x, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    if not x.shape == t_x.shape == T.shape or x.ndim != 1:
        raise ValueError("x, t_x and T are arrays of one value per customer")
    if np.any(x < 0) or np.any(x != np.floor(x)):
        raise ValueError("x counts repeat purchases: whole numbers ≥ 0")
    if np.any(t_x < 0) or np.any(t_x > T):
        raise ValueError("the last purchase t_x lies between 0 and the age T")
    if np.any((x == 0) & (t_x != 0)) or np.any((x > 0) & (t_x == 0)):
        raise ValueError("t_x is 0 exactly when there is no repeat purchase")
    return x, t_x, T


def _bg_nbd_log_likelihood(params, x, t_x, T) -> tuple[np.ndarray, np.ndarray]:
    """Per-customer log-likelihood and its gradient in log(r), log(α), log(a), log(b)."""
    r, alpha, a, b = params
    repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    # The second term exists only for x > 0; np.maximum keeps log(b + x − 1) finite at x = 0.
    b_x1 = b + np.maximum(x, 1) - 1
    a4 = np.log(a) - np.log(b_x1) - (r + x) * np.log(alpha + t_x)
    mix = np.logaddexp(a3, np.where(repeat, a4, -np.inf))
    w3 = np.exp(a3 - mix)
    w4 = np.where(repeat, 1 - w3, 0.0)  # weights of the two terms in the sum
    digamma_ab_x = digamma(a + b + x)
    d_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - w3 * np.log(alpha + T)
        - w4 * np.log(alpha + t_x)
    )
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + t_x))
    d_a = digamma(a + b) - digamma_ab_x + w4 / a
    d_b = digamma(a + b) + digamma(b + x) - digamma(b) - digamma_ab_x - w4 / b_x1
    gradient = np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return a1 + a2 + mix, gradient


def _gamma_gamma_log_likelihood(params, x, m_x) -> tuple[np.ndarray, np.ndarray]:
    """Per-customer log-likelihood and its gradient in log(p), log(q), log(γ)."""
    p, q, gamma = params
    px = p * x
    spent = np.log(gamma + m_x * x)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m_x)
        + px * np.log(x)
        - (px + q) * spent
    )
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m_x) + np.log(x) - spent)
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - spent
    d_gamma = q / gamma - (px + q) / (gamma + m_x * x)
    return ll, np.stack([d_p * p, d_q * q, d_gamma * gamma])


def _fit(log_likelihood, weights: np.ndarray, size: int) -> tuple[list[float], float]:
    """Maximise the weighted mean log-likelihood over log-parameters (positive by construction).

    BFGS with the analytic gradient, from all-ones as lifetimes starts; about 40 evaluations.
    Returns the parameters and the mean log-likelihood at them.
    """
    total = weights.sum()

    def objective(log_params):
        ll, gradient = log_likelihood(np.exp(log_params))
        value = -(weights * ll).sum() / total
        if not np.isfinite(value):
            return np.inf, np.zeros(size)
        return value, -(gradient @ weights) / total

    with np.errstate(all="ignore"):
        result = minimize(
            objective, np.zeros(size), jac=True, method="BFGS", options={"gtol": 1e-9}
        )
    # BFGS reports "precision loss" when it stops at the optimum short of gtol; a gradient
    # that small is converged all the same.
    _, gradient = objective(result.x)
    if not np.isfinite(result.fun) or np.max(np.abs(gradient)) > 1e-6:
        raise ValueError(f"the maximum-likelihood fit did not converge: {result.message}")
    return [float(v) for v in np.exp(result.x)], float(-result.fun)


def fit_bg_nbd(x, t_x, T, *, weights=None) -> BgNbd | None:
    """Maximum-likelihood BG/NBD parameters (r, α, a, b); None without customers."""
    x, t_x, T = _rfm(x, t_x, T)
    w = _weights(weights, x.size)
    total = float(w.sum())
    if total == 0:
        return None
    if not np.any((x > 0) & (w > 0)):
        raise ValueError("BG/NBD needs at least one customer with a repeat purchase")

    (r, alpha, a, b), mean_ll = _fit(lambda params: _bg_nbd_log_likelihood(params, x, t_x, T), w, 4)
    return BgNbd(r, alpha, a, b, mean_ll * total, round(float(total)))


def bg_nbd_probability_alive(model: BgNbd, x, t_x, T) -> np.ndarray:
    """P(still active | x, t_x, T) — Hardie's note 021; 1 for customers without repeats."""
    x, t_x, T = _rfm(x, t_x, T)
    log_ratio = (
        np.log(model.a)
        - np.log(model.b + np.maximum(x, 1) - 1)
        + (model.r + x) * (np.log(model.alpha + T) - np.log(model.alpha + t_x))
    )
    return np.where(x > 0, expit(-log_ratio), 1.0)


def bg_nbd_expected_purchases(model: BgNbd, t, x, t_x, T) -> np.ndarray:
    """E[purchases in (T, T + t] | x, t_x, T] — equation (10) of the 2005 paper."""
    x, t_x, T = _rfm(x, t_x, T)
    t = np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError("the horizon t cannot be negative")
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    hyp_a, hyp_b, hyp_c, z = r + x, b + x, a + b + x - 1, t / (alpha + T + t)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        log_hyp = np.log(hyp2f1(hyp_a, hyp_b, hyp_c, z))
        # Euler's transformation where the series overflows (many purchases, long horizon).
        alternative = np.log(hyp2f1(hyp_c - hyp_a, hyp_c - hyp_b, hyp_c, z)) + (
            hyp_c - hyp_a - hyp_b
        ) * np.log1p(-z)
    log_hyp = np.where(np.isfinite(log_hyp), log_hyp, alternative)
    numerator = (
        (a + b + x - 1)
        / (a - 1)
        * -np.expm1(log_hyp + (r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
    )
    return numerator * bg_nbd_probability_alive(model, x, t_x, T)


def _spend(x, m_x) -> tuple[np.ndarray, np.ndarray]:
    x, m_x = np.asarray(x, dtype=float), np.asarray(m_x, dtype=float)
    if x.shape != m_x.shape or x.ndim != 1:
        raise ValueError("x and m_x are arrays of one value per customer")
    if np.any(x < 0) or np.any(x != np.floor(x)):
        raise ValueError("x counts repeat purchases: whole numbers ≥ 0")
    if np.any((x > 0) & (m_x <= 0)):
        raise ValueError("the mean spend of a customer with repeat purchases must be positive")
    return x, m_x


def fit_gamma_gamma(x, m_x, *, weights=None) -> GammaGamma | None:
    """Maximum-likelihood Gamma-Gamma (p, q, γ) on customers with x > 0 and mean spend m_x.

    Customers without repeat purchases are ignored, as the model prescribes. None when no
    customer has one. The model assumes spend independent of frequency: check it on the data.
    """
    x, m_x = _spend(x, m_x)
    w = _weights(weights, x.size)
    keep = (x > 0) & (w > 0)
    x, m_x, w = x[keep], m_x[keep], w[keep]
    total = float(w.sum())
    if total == 0:
        return None

    (p, q, gamma), mean_ll = _fit(lambda params: _gamma_gamma_log_likelihood(params, x, m_x), w, 3)
    return GammaGamma(p, q, gamma, mean_ll * total, round(float(total)))


def gamma_gamma_expected_spend(model: GammaGamma, x, m_x) -> np.ndarray:
    """E[mean spend | x, m_x]: a weighted mean of the population mean and the customer's own.

    For x = 0 this is the population mean γp / (q − 1). Needs q > 1 (a finite mean).
    """
    x, m_x = _spend(x, m_x)
    p, q, gamma = model.p, model.q, model.gamma
    if q <= 1:
        raise ValueError(f"Gamma-Gamma with q = {q:.3f} ≤ 1 has no finite mean spend")
    m_x = np.where(x > 0, m_x, 0.0)
    return (gamma + m_x * x) * p / (p * x + q - 1)


def probabilistic_clv(
    purchases: BgNbd,
    spend: GammaGamma,
    x,
    t_x,
    T,
    m_x,
    *,
    units_per_month: float,
    months: int = 12,
    monthly_discount_rate: float = 0.0,
) -> np.ndarray:
    """CLV over `months`: Σ_k E[purchases in month k] × E[spend] / (1 + d)^k.

    Undiscounted by default (d = 0); with d the cash of month k is discounted k whole months,
    as lifetimes does. `units_per_month` converts months into the unit of t_x and T (e.g.
    30.4375 for days, 4.345 for weeks).
    """
    if units_per_month <= 0 or months < 0 or monthly_discount_rate < 0:
        raise ValueError("units_per_month > 0, months ≥ 0 and a discount rate ≥ 0, please")
    mean_spend = gamma_gamma_expected_spend(spend, x, m_x)
    value = np.zeros_like(mean_spend)
    previous = np.zeros_like(mean_spend)
    for month in range(1, months + 1):
        cumulative = bg_nbd_expected_purchases(purchases, month * units_per_month, x, t_x, T)
        value += (cumulative - previous) * mean_spend / (1 + monthly_discount_rate) ** month
        previous = cumulative
    return value
