"""The orchestration pass, run after each positions pass with the same clock.

Set-based where it counts: alerts are resolved with one UPDATE and raised with one
INSERT per rule; Python then handles only the stalled customers (never the events):
one email per recipient, a webhook event per rule (a hundred alerts at most each), and a
nudge decision per open alert whose rule nudges.
"""

import datetime as dt
import re
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse

from engage.models import Workspace
from metrics import nudging
from metrics.models import Alert, ContactPolicy, NudgeDecision, OrchestrationRule, Position
from metrics.models.orchestration import Trigger
from metrics.services.webhooks import webhook_send

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PLACEHOLDER = re.compile(r"\{(name|stage|journey)\}")


def _still_stalled() -> Q:
    """An alert whose customer is still behind or stuck where it was raised (per its rule)."""
    here = Position.objects.filter(customer_id=OuterRef("customer_id")).filter(
        Q(stage_id=OuterRef("stage_id")) | Q(job_state_id=OuterRef("job_state_id"))
    )
    return Exists(here.filter(health="stuck")) | (
        Q(rule__trigger=Trigger.BEHIND) & Exists(here.filter(health="behind"))
    )


def resolve_moved_on(workspace: Workspace, now: dt.datetime) -> int:
    """Open alerts whose customer moved on (or is back on track) resolve themselves; a nudge
    still owed for one is recorded as not sent, and why."""
    stale = Alert.objects.filter(workspace=workspace, status=Alert.Status.OPEN).exclude(
        _still_stalled()
    )
    owed = stale.filter(rule__nudge=True).exclude(
        Exists(NudgeDecision.objects.filter(alert=OuterRef("pk"), sent=True))
    )
    NudgeDecision.objects.bulk_create(
        NudgeDecision(
            workspace=workspace,
            alert_id=alert,
            customer_id=customer,
            sent=False,
            reason=nudging.MOVED_ON,
            decided_at=now,
        )
        for alert, customer in owed.values_list("pk", "customer_id")
    )
    return Alert.objects.filter(pk__in=stale.values("pk")).update(
        status=Alert.Status.RESOLVED,
        resolved_at=now,
        note="Moved on: no longer behind or stuck here.",
    )


def raise_alerts(workspace: Workspace, now: dt.datetime) -> list[Alert]:
    """One alert per rule × stalled customer × spell, unless one is open already."""
    raised = []
    for rule in OrchestrationRule.objects.filter(workspace=workspace, active=True):
        alerts = Alert.objects.filter(rule=rule, customer_id=OuterRef("customer_id"))
        stalled = (
            Position.objects.filter(
                workspace=workspace,
                stage=rule.stage_id,
                job_state=rule.job_state_id,
                health__in=rule.healths,
            )
            .exclude(Exists(alerts.filter(status=Alert.Status.OPEN)))
            .exclude(Exists(alerts.filter(spell_since=OuterRef("health_since"))))
            .values_list("customer_id", "health", "health_since")
        )
        Alert.objects.bulk_create(
            (
                Alert(
                    workspace=workspace,
                    rule=rule,
                    customer_id=customer,
                    stage_id=rule.stage_id,
                    job_state_id=rule.job_state_id,
                    health=health,
                    spell_since=since,
                    assignee_id=rule.assignee_id,
                    created_at=now,
                )
                for customer, health, since in stalled.iterator(chunk_size=2000)
            ),
            batch_size=2000,
            ignore_conflicts=True,  # a concurrent pass raised it first
        )
        raised.extend(
            Alert.objects.filter(rule=rule, created_at=now).select_related(
                "customer",
                "rule__assignee",
                "rule__webhook",
                "stage__journey__canvas",
                "job_state__job",
            )
        )
    return raised


def _place_name(alert: Alert) -> str:
    if alert.stage_id:
        return f"{alert.stage.name} ({alert.stage.journey.canvas.title})"
    return f"{alert.job_state.name} ({alert.job_state.job.statement})"


def _owner_address(alert: Alert) -> str:
    """The customer's account owner (trait), else the rule's assignee; "" for nobody."""
    owner = alert.customer.traits.get("account_owner")
    if isinstance(owner, str) and EMAIL.match(owner.strip()):
        return owner.strip()
    return alert.rule.assignee.email if alert.rule.assignee_id else ""


def owner_messages(workspace: Workspace, alerts: list[Alert]) -> list[EmailMessage]:
    """One email per account owner, listing their customers that just stalled."""
    by_owner = defaultdict(list)
    for alert in alerts:
        if alert.rule.email_owner and (address := _owner_address(alert)):
            by_owner[address].append(alert)
    inbox = settings.SITE_URL + reverse("metrics:inbox", args=[workspace.slug])
    messages = []
    for address, mine in sorted(by_owner.items()):
        rows = [(alert, _place_name(alert)) for alert in mine]
        count = len(mine)
        subject = (
            f"{count} customer{'s' if count != 1 else ''} stalled in {workspace.name}"
            if count != 1
            else f"{mine[0].customer.external_id} is {mine[0].health} at {rows[0][1]}"
        )
        body = render_to_string(
            "metrics/email/stalled.txt",
            {"workspace": workspace, "rows": rows, "inbox": inbox},
        )
        messages.append(EmailMessage(subject, body, to=[address]))
    return messages


WEBHOOK_CHUNK = 100  # alerts per webhook event


def webhook_events(workspace: Workspace, alerts: list[Alert]) -> int:
    """A signed “customers.stalled” event per rule with a webhook, up to WEBHOOK_CHUNK of its
    new alerts each; the deliveries go out once the pass commits. Returns the events."""
    by_rule = defaultdict(list)
    for alert in alerts:
        if alert.rule.webhook_id:
            by_rule[alert.rule].append(alert)
    site = settings.SITE_URL
    sent = 0
    for rule, mine in by_rule.items():
        for first in range(0, len(mine), WEBHOOK_CHUNK):
            chunk = mine[first : first + WEBHOOK_CHUNK]
            webhook_send(
                endpoint=rule.webhook,
                event="customers.stalled",
                data={
                    "rule": {"id": rule.pk, "trigger": rule.trigger},
                    "place": _place_name(chunk[0]),
                    "alerts": [
                        {
                            "alert": alert.pk,
                            "customer": alert.customer.external_id,
                            "email": alert.customer.email,
                            "health": alert.health,
                            "since": alert.spell_since.isoformat(),
                            "url": site
                            + reverse(
                                "metrics:customer_detail",
                                args=[workspace.slug, alert.customer_id],
                            ),
                        }
                        for alert in chunk
                    ],
                },
            )
            sent += 1
    return sent


def _customer_name(customer) -> str:
    traits = customer.traits
    for key in ("first_name", "name"):
        if isinstance(traits.get(key), str) and traits[key].strip():
            return traits[key].strip()
    return "there"


def _fill(text: str, values: dict) -> str:
    """Put the customer's name, the stage and the journey in; nothing else is evaluated."""
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def nudge_message(alert: Alert) -> EmailMessage:
    place = alert.stage or alert.job_state
    values = {
        "name": _customer_name(alert.customer),
        "stage": place.name,
        "journey": alert.stage.journey.canvas.title if alert.stage_id else place.job.statement,
    }
    rule = alert.rule
    subject = _fill(rule.nudge_subject or "Can we help with {stage}?", values)
    body = _fill(rule.nudge_body or "Hi {name}, can we help you with {stage}?", values)
    return EmailMessage(subject[:200], body, to=[alert.customer.email])


def decide_nudges(workspace: Workspace, now: dt.datetime) -> list[EmailMessage]:
    """A decision for every open alert whose rule nudges and whose customer was not nudged
    for it yet; a reason is recorded when it changes, so a night of quiet hours is one row.
    Returns the nudges to send."""
    policy_row = ContactPolicy.objects.filter(workspace=workspace).first() or ContactPolicy()
    policy = nudging.Policy(
        policy_row.quiet_from, policy_row.quiet_until, policy_row.max_nudges, policy_row.per_days
    )
    nudged = NudgeDecision.objects.filter(alert=OuterRef("pk"), sent=True)
    alerts = list(
        Alert.objects.filter(workspace=workspace, status=Alert.Status.OPEN, rule__nudge=True)
        .exclude(Exists(nudged))
        .select_related("customer", "rule", "stage__journey__canvas", "job_state__job")
        .order_by("created_at", "pk")
    )
    if not alerts:
        return []
    customers = {alert.customer_id for alert in alerts}
    last_activity = dict(
        Position.objects.filter(customer_id__in=customers)
        .values("customer_id")
        .annotate(last=Max("last_activity_at"))
        .values_list("customer_id", "last")
    )
    since = now - dt.timedelta(days=policy.per_days)
    sent_recently = defaultdict(
        int,
        NudgeDecision.objects.filter(customer_id__in=customers, sent=True, decided_at__gt=since)
        .values("customer_id")
        .annotate(n=Count("pk"))
        .values_list("customer_id", "n"),
    )
    last_reason = {}
    for alert_id, reason in (
        NudgeDecision.objects.filter(alert__in=alerts)
        .order_by("alert_id", "decided_at", "pk")
        .values_list("alert_id", "reason")
    ):
        last_reason[alert_id] = reason
    decisions, messages = [], []
    for alert in alerts:
        customer = alert.customer
        last = last_activity.get(customer.pk)
        facts = nudging.Facts(
            still_stalled=True,
            active_since_stall=bool(last and last > alert.spell_since),
            consent=customer.consent,
            email=customer.email,
            local_time=now.astimezone(
                nudging.zone(customer.traits.get("timezone"), policy_row.timezone)
            ).time(),
            nudges_in_window=sent_recently[customer.pk],
        )
        reason = nudging.decide(facts, policy)
        if reason == nudging.SENT:
            sent_recently[customer.pk] += 1
            messages.append(nudge_message(alert))
        elif last_reason.get(alert.pk) == reason:
            continue
        decisions.append(
            NudgeDecision(
                workspace=workspace,
                alert=alert,
                customer=customer,
                sent=reason == nudging.SENT,
                reason=reason,
                decided_at=now,
            )
        )
    NudgeDecision.objects.bulk_create(decisions, batch_size=2000)
    return messages


def orchestrate(workspace: Workspace, *, now: dt.datetime) -> dict:
    """Resolve, raise, tell the owners and nudge; mail goes out once the rows are stored."""
    with transaction.atomic():
        resolved = resolve_moved_on(workspace, now)
        raised = raise_alerts(workspace, now)
        messages = owner_messages(workspace, raised)
        events = webhook_events(workspace, raised)
        nudges = decide_nudges(workspace, now)
    if messages or nudges:
        with mailers.default as connection:
            connection.send_messages([*messages, *nudges])
    return {
        "resolved": resolved,
        "raised": len(raised),
        "webhook_events": events,
        "nudged": len(nudges),
    }
