"""Engagement data, how it comes in, what the computation leaves for pages to read, and
the webhooks that send events out."""

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
from metrics.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    "SCORE_RANGES",
    "Customer",
    "CustomerValue",
    "DataImport",
    "DeliveryStatus",
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
    "WebhookDelivery",
    "WebhookEndpoint",
    "WriteKey",
]
