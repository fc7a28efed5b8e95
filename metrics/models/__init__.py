"""Engagement data, how it comes in, what the computation leaves for pages to read, where
each customer stands on the journeys (positions), what happens when they stall
(orchestration), and the objectives set on the measures."""

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
from metrics.models.orchestration import (
    Alert,
    ContactPolicy,
    NudgeDecision,
    OrchestrationRule,
    Trigger,
)
from metrics.models.positions import (
    Health,
    LearnedDuration,
    PathStep,
    Position,
    PositionRule,
    PositionRun,
    TouchpointDay,
)
from metrics.models.snapshots import CustomerValue, MetricsRun, MetricsSettings, Snapshot

__all__ = [
    "SCORE_RANGES",
    "Alert",
    "ContactPolicy",
    "Customer",
    "CustomerValue",
    "DataImport",
    "Health",
    "InteractionEvent",
    "KeyResult",
    "LearnedDuration",
    "Measure",
    "MeasureReading",
    "MetricsRun",
    "MetricsSettings",
    "NudgeDecision",
    "Objective",
    "OrchestrationRule",
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
    "Trigger",
    "WriteKey",
]
