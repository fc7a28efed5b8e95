"""Engagement data, how it comes in, and what the computation leaves for pages to read."""

from metrics.models.data import (
    SCORE_RANGES,
    Customer,
    InteractionEvent,
    Purchase,
    Sentiment,
    SocialMention,
    SurveyKind,
    SurveyResponse,
)
from metrics.models.inputs import DataImport, WriteKey
from metrics.models.okrs import KeyResult, Measure, MeasureReading, Objective
from metrics.models.snapshots import CustomerValue, MetricsRun, MetricsSettings, Snapshot

__all__ = [
    "SCORE_RANGES",
    "Customer",
    "CustomerValue",
    "DataImport",
    "InteractionEvent",
    "KeyResult",
    "Measure",
    "MeasureReading",
    "MetricsRun",
    "MetricsSettings",
    "Objective",
    "Purchase",
    "Sentiment",
    "Snapshot",
    "SocialMention",
    "SurveyKind",
    "SurveyResponse",
    "WriteKey",
]
