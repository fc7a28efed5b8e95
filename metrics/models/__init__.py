"""Engagement data, how it comes in, what the computation leaves for pages to read, and
where each customer stands on the journeys (positions)."""

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
from metrics.models.positions import (
    Health,
    LearnedDuration,
    PathStep,
    Position,
    PositionRun,
    TouchpointDay,
)
from metrics.models.rules import PositionRule
from metrics.models.snapshots import CustomerValue, MetricsRun, MetricsSettings, Snapshot

__all__ = [
    "SCORE_RANGES",
    "Customer",
    "CustomerValue",
    "DataImport",
    "Health",
    "InteractionEvent",
    "LearnedDuration",
    "MetricsRun",
    "MetricsSettings",
    "PathStep",
    "Position",
    "PositionRule",
    "PositionRun",
    "Purchase",
    "Sentiment",
    "Snapshot",
    "SocialMention",
    "SurveyKind",
    "SurveyResponse",
    "TouchpointDay",
    "WriteKey",
]
