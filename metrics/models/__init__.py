"""Engagement data, how it comes in, what the computation leaves for pages to read, where
each customer stands on the journeys (positions), what happens when they stall
(orchestration), the objectives set on the measures, and the webhooks that send
events out."""

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
    PositionRun,
    TouchpointDay,
)
from metrics.models.rules import PositionRule
from metrics.models.snapshots import CustomerValue, MetricsRun, MetricsSettings, Snapshot
from metrics.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    "SCORE_RANGES",
    "Alert",
    "ContactPolicy",
    "Customer",
    "CustomerValue",
    "DataImport",
    "DeliveryStatus",
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
    "WebhookDelivery",
    "WebhookEndpoint",
    "WriteKey",
]
