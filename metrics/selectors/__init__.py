"""Reads for pages and commands: metric values from snapshots (measures), and where
customers stand on the journeys (positions)."""

from metrics.selectors.measures import (
    add_histograms,
    clv_values,
    current_metrics,
    digital_trend,
    digital_values,
    has_data,
    month_starts,
    net_sentiment_trend,
    retention_values,
    snapshot_span,
    social_values,
    stickiness_values,
    survey_figures,
    survey_trend,
    survey_values,
)

__all__ = [
    "add_histograms",
    "clv_values",
    "current_metrics",
    "digital_trend",
    "digital_values",
    "has_data",
    "month_starts",
    "net_sentiment_trend",
    "retention_values",
    "snapshot_span",
    "social_values",
    "stickiness_values",
    "survey_figures",
    "survey_trend",
    "survey_values",
]
