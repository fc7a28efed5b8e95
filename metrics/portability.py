"""What of the metrics an export holds: the data (customers, answers, purchases, events,
mentions), measures and their readings, OKRs, position and orchestration rules, alerts
and nudge decisions, the contact policy, webhook endpoints without their secrets, and
what the computations left (snapshots, customer values, positions and paths), so an
imported workspace shows the same figures at once, before any recompute.

Left out: logs of work done here (CSV uploads, runs, webhook deliveries) and write keys.
"""

from canvases.models import BdnNode
from canvases.portability import register_state_key
from engage.models import Persona, Segment
from engage.portability import add_refs, as_text, leave_out, one, register
from journeys.models import Stage, Touchpoint
from metrics.models import (
    Alert,
    ContactPolicy,
    Customer,
    CustomerValue,
    DataImport,
    InteractionEvent,
    KeyResult,
    LearnedDuration,
    Measure,
    MeasureReading,
    MetricsRun,
    MetricsSettings,
    NudgeDecision,
    Objective,
    OrchestrationRule,
    PathStep,
    Position,
    PositionRule,
    PositionRun,
    Purchase,
    Snapshot,
    SocialMention,
    SurveyResponse,
    TouchpointDay,
    WebhookDelivery,
    WebhookEndpoint,
    WriteKey,
)
from metrics.services.webhooks import new_secret

# Secrets stay here; last_* tell of deliveries, which are left out.
ENDPOINT_OMITTED = ("secret", "secret_rotated_at", "is_active", "last_status")
ENDPOINT_OMITTED += ("last_status_code", "last_attempt_at")
# A measure's or a snapshot's slice names a row by id, as text, by its dimension.
SLICES = {"segment": Segment, "persona": Persona, "touchpoint": Touchpoint, "stage": Stage}


def _slice_key(value, row, refs):
    model = SLICES.get(row["dimension"])
    return as_text(one(model))(value, row, refs) if model else value


def _endpoint(endpoint: WebhookEndpoint, context) -> None:
    endpoint.secret, endpoint.is_active = new_secret(), False
    context.note(
        "Webhook endpoints came without their secrets: each has a new one and is switched "
        "off. Rotate its secret, give it to the receiver, then switch it on."
    )


def _rule(rule: OrchestrationRule, context) -> None:
    if rule.active and (rule.email_owner or rule.nudge):
        rule.active = False
        context.note(
            "Stall rules that email people were paused, so that two copies never write to "
            "the same people: resume them on each journey's Customers page."
        )


def register_metrics() -> None:
    register(Customer)
    register(SurveyResponse)
    register(Purchase)
    register(InteractionEvent)
    register(SocialMention)
    register(MetricsSettings)
    register(Measure, refs={"key": _slice_key})
    register(MeasureReading)
    register(Objective)
    register(KeyResult)
    register(PositionRule)
    register(
        WebhookEndpoint,
        omit=ENDPOINT_OMITTED,
        on_import=_endpoint,
    )
    register(OrchestrationRule, on_import=_rule)
    register(Alert)
    register(NudgeDecision)
    register(ContactPolicy)
    register(Snapshot, refs={"key": _slice_key})
    register(CustomerValue)
    register(PathStep)
    register(Position)
    register(LearnedDuration)
    register(TouchpointDay)
    add_refs(BdnNode, {"metric_id": one(Measure)})
    register_state_key("metric", one(Measure))
    leave_out(DataImport, "a log of CSV files fed in here; the rows they brought are exported")
    leave_out(WriteKey, "secrets of integrations with this instance: create new keys")
    leave_out(MetricsRun, "a log of recomputes here; their snapshots are exported")
    leave_out(PositionRun, "a log of positions passes here; their positions are exported")
    leave_out(
        WebhookDelivery,
        "the log of events sent from here: sent again from a copy, receivers would get them twice",
    )
