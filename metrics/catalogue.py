"""The metrics a key result or a benefit can be bound to, and how each reads its value.

Each metric reads one figure out of what the selectors return for a window of days (and,
for survey measures, a slice), so a bound value is always the figure the dashboard shows
for the same filters.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from metrics import selectors


@dataclass(frozen=True)
class Reading:
    value: float | None
    n: int | None  # the answers, customers, events or mentions behind the value


@dataclass(frozen=True)
class Metric:
    slug: str
    title: str
    unit: str  # "" (points, days…), "%" or a word such as "per customer"
    low: float | None  # the scale's bounds, None where it has none (money)
    high: float | None
    higher_is_better: bool
    sliced: bool  # may be narrowed to a segment, persona or touchpoint (survey measures)
    read: Callable[..., Reading]
    decimals: int = 0
    signed: bool = False  # shown with its sign (NPS, net sentiment)

    def format(self, value: float | None) -> str:
        if value is None:
            return "—"
        number = f"{value:+,.{self.decimals}f}" if self.signed else f"{value:,.{self.decimals}f}"
        if self.unit == "%":
            return f"{number} %"
        return f"{number} {self.unit}" if self.unit else number


def _survey(kind: str, field: str) -> Callable[..., Reading]:
    def read(workspace, *, start, end, dimension, key) -> Reading:
        figures = selectors.survey_values(
            workspace, start=start, end=end, **({dimension: key} if dimension else {})
        )[kind]
        return Reading(figures[field], figures["n"])

    return read


def _percent(value):
    return None if value is None else value * 100


def _retention(field: str) -> Callable[..., Reading]:
    def read(workspace, *, start, end, **_slice) -> Reading:
        values = selectors.retention_values(workspace, start=start, end=end)
        return Reading(_percent(values[field]), values["customers_at_start"] or None)

    return read


def _stickiness(field: str) -> Callable[..., Reading]:
    def read(workspace, *, start, end, **_slice) -> Reading:
        values = selectors.stickiness_values(workspace, start=start, end=end)
        return Reading(_percent(values[field]), values["mau"])

    return read


def _digital(workspace, *, start, end, **_slice) -> Reading:
    values = selectors.digital_values(workspace, start=start, end=end)
    return Reading(values["digital_percent"], values["events"] or None)


def _social(field: str) -> Callable[..., Reading]:
    def read(workspace, *, start, end, **_slice) -> Reading:
        values = selectors.social_values(workspace, start=start, end=end)
        return Reading(values[field], values["mentions"] or None)

    return read


def _clv(way: str, field: str, count: str) -> Callable[..., Reading]:
    """CLV is computed as of the last recompute, over its own window (not the measure's)."""

    def read(workspace, **_window) -> Reading:
        found = selectors.clv_values(workspace)[way] or {}
        return Reading(found.get(field), found.get(count))

    return read


METRICS = {
    metric.slug: metric
    for metric in (
        Metric("nps", "NPS", "", -100, 100, True, True, _survey("nps", "score"), signed=True),
        Metric("csat", "CSAT, % satisfied", "%", 0, 100, True, True, _survey("csat", "percent")),
        Metric("csat_mean", "CSAT, mean (1–5)", "", 1, 5, True, True, _survey("csat", "mean"), 2),
        Metric("ces", "Customer effort (1–7)", "", 1, 7, False, True, _survey("ces", "mean"), 2),
        Metric("retention", "Monthly retention", "%", 0, 100, True, False, _retention("rate"), 1),
        Metric("churn", "Monthly churn", "%", 0, 100, False, False, _retention("churn"), 1),
        Metric("dau_mau", "DAU/MAU", "%", 0, 100, True, False, _stickiness("dau_mau"), 1),
        Metric("wau_mau", "WAU/MAU", "%", 0, 100, True, False, _stickiness("wau_mau"), 1),
        Metric("digital", "Digital share of interactions", "%", 0, 100, True, False, _digital),
        Metric(
            "net_sentiment",
            "Net sentiment",
            "",
            -100,
            100,
            True,
            False,
            _social("net_sentiment"),
            signed=True,
        ),
        Metric(
            "positive_mentions",
            "Positive mentions, %",
            "%",
            0,
            100,
            True,
            False,
            _social("positive_percent"),
        ),
        Metric(
            "clv_btabok",
            "CLV (BTABoK formula)",
            "per customer",
            None,
            None,
            True,
            False,
            _clv("btabok", "value", "buyers"),
        ),
        Metric(
            "clv_model",
            "CLV, next 12 months (model)",
            "per customer",
            None,
            None,
            True,
            False,
            _clv("model", "mean_clv_12m", "customers"),
        ),
    )
}


def metric_choices() -> list[tuple[str, str]]:
    """The model field's choices (a callable, so a new metric needs no migration)."""
    return [(metric.slug, metric.title) for metric in METRICS.values()]


def read_metric(
    workspace, slug: str, *, on: dt.date, window_days: int = 0, dimension="", key=""
) -> Reading:
    """The metric's value over the `window_days` days ending `on` (0: all history up to it)."""
    metric = METRICS[slug]
    start = on - dt.timedelta(days=window_days - 1) if window_days else None
    if not metric.sliced:
        dimension, key = "", ""
    return metric.read(workspace, start=start, end=on, dimension=dimension, key=key)
