"""One customer's picture, the same for every function: a single timeline of their events,
survey answers, purchases, social mentions (by their name or address), arrivals on
journeys, alerts and nudges, newest first. A fixed number of queries: each kind reads at
most one page of its newest rows before the merge.
"""

import datetime as dt
from dataclasses import dataclass
from heapq import merge

from django.db.models import Q

from journeys.models import Channel
from metrics.models import (
    Alert,
    Customer,
    InteractionEvent,
    NudgeDecision,
    PathStep,
    Purchase,
    SocialMention,
    SurveyResponse,
)

PAGE = 60
CHANNELS = dict(Channel.choices)


@dataclass(frozen=True)
class Moment:
    at: dt.datetime
    kind: str  # event, answer, purchase, mention, arrival, alert, nudge
    title: str
    detail: str = ""
    channel: str = ""
    icon: str = "bi-dot"

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)


def author_names(customer: Customer) -> list[str]:
    """The names a mention of this customer is written by: their id, address and name."""
    names = {customer.external_id, customer.email}
    for key in ("name", "handle", "twitter", "username"):
        if isinstance(customer.traits.get(key), str):
            names.add(customer.traits[key])
    return sorted(name.strip() for name in names if name and name.strip())


def _events(customer, channel, before):
    rows = InteractionEvent.objects.filter(customer=customer, timestamp__lt=before)
    if channel:
        rows = rows.filter(channel=channel)
    for event in rows.order_by("-timestamp", "-pk")[:PAGE]:
        yield Moment(event.timestamp, "event", event.event, "", event.channel, "bi-lightning")


def _answers(customer, channel, before):
    rows = SurveyResponse.objects.filter(customer=customer, answered_at__lt=before)
    if channel:
        rows = rows.filter(channel=channel)
    for answer in rows.select_related("touchpoint").order_by("-answered_at", "-pk")[:PAGE]:
        about = f" about {answer.touchpoint.name}" if answer.touchpoint_id else ""
        yield Moment(
            answer.answered_at,
            "answer",
            f"{answer.kind.upper()} {answer.score}{about}",
            answer.comment,
            answer.channel,
            "bi-chat-square-quote",
        )


def _purchases(customer, before):
    rows = Purchase.objects.filter(customer=customer, purchased_at__lt=before)
    for purchase in rows.order_by("-purchased_at", "-pk")[:PAGE]:
        profit = f", profit {purchase.profit:,.2f}" if purchase.profit is not None else ""
        yield Moment(
            purchase.purchased_at,
            "purchase",
            f"Bought for {purchase.amount:,.2f}{profit}",
            icon="bi-bag",
        )


def _mentions(customer, before):
    names = author_names(customer)
    rows = SocialMention.objects.filter(
        workspace=customer.workspace_id, author__in=names, posted_at__lt=before
    )
    for mention in rows.order_by("-posted_at", "-pk")[:PAGE]:
        yield Moment(
            mention.posted_at,
            "mention",
            f"{mention.get_sentiment_display()} mention on {mention.platform}",
            mention.text,
            icon="bi-megaphone",
        )


def _arrivals(customer, before):
    rows = PathStep.objects.filter(customer=customer, entered_at__lt=before).select_related(
        "stage", "journey__canvas", "job_state", "job"
    )
    for step in rows.order_by("-entered_at", "-pk")[:PAGE]:
        where = (
            f"{step.stage.name} of {step.journey.canvas.title}"
            if step.stage_id
            else f"{step.job_state.name} of “{step.job.statement}”"
        )
        yield Moment(step.entered_at, "arrival", f"Reached {where}", icon="bi-signpost")


def _alerts(customer, before):
    rows = Alert.objects.filter(customer=customer, created_at__lt=before).select_related(
        "stage", "job_state", "resolved_by"
    )
    for alert in rows.order_by("-created_at", "-pk")[:PAGE]:
        state = "open" if alert.status == Alert.Status.OPEN else f"resolved: {alert.note}"
        yield Moment(
            alert.created_at,
            "alert",
            f"Alert: {alert.health} at {alert.place.name}",
            state,
            icon="bi-exclamation-triangle",
        )


def _nudges(customer, before):
    rows = NudgeDecision.objects.filter(customer=customer, decided_at__lt=before)
    for decision in rows.order_by("-decided_at", "-pk")[:PAGE]:
        title = "Nudged by email" if decision.sent else "Not nudged"
        detail = "" if decision.sent else decision.get_reason_display()
        yield Moment(decision.decided_at, "nudge", title, detail, icon="bi-envelope")


def customer_timeline(
    customer: Customer, *, channel: str = "", before: dt.datetime | None = None
) -> tuple[list[Moment], dt.datetime | None]:
    """The newest PAGE moments before `before` (all of them when None), and the moment to
    ask for the next page before (None at the end). With a channel, only what happened on
    it: events and answers."""
    before = before or dt.datetime.max.replace(tzinfo=dt.UTC)
    sources = [_events(customer, channel, before), _answers(customer, channel, before)]
    if not channel:
        # At one moment, what Engage made of it (arrival, alert, nudge) reads above its cause.
        sources = [
            _arrivals(customer, before),
            _alerts(customer, before),
            _nudges(customer, before),
            *sources,
            _purchases(customer, before),
            _mentions(customer, before),
        ]
    moments = list(merge(*sources, key=lambda moment: moment.at, reverse=True))
    page = moments[:PAGE]
    more = len(moments) > PAGE
    return page, (page[-1].at if more and page else None)


def customer_search(workspace, text: str):
    """Customers whose id or address contains the text, newest first."""
    rows = Customer.objects.filter(workspace=workspace).select_related("segment", "persona")
    text = text.strip()
    if text:
        rows = rows.filter(Q(external_id__icontains=text) | Q(email__icontains=text))
    return rows.order_by("-created_at", "-pk")
