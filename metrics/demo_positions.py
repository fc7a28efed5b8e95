"""Customers on the demo's onboarding journey and its job's state machine: rules that place
them, expected times, rules for when they stall, and four months of customers whose events
leave some of them behind and stuck, so the demo's inbox, funnel, journey map and job page
have real people on them.

Fed in through the same CSV import as real data; seeded random numbers, so the same demo
every time. The demo's nudge rule is paused, so seeding sends no mail.
"""

import datetime as dt
import random

from django.utils import timezone

from journeys import services as journey_services
from journeys.models import JobState, Journey, Touchpoint
from journeys.statemachine.services import job_state_thresholds_set
from metrics.demo import feed_csv
from metrics.models import PositionRule
from metrics.services import alerts
from metrics.services.position_rules import position_rule_create
from metrics.services.position_runs import position_run

CUSTOMERS = 400
DAYS = 120
# stage: (event marking arrival, expected hours set by hand, where the expected time comes
# from, the touchpoint the event happens at)
STAGES = {
    "Onboard": ("Contract signed", 14 * 24, "hand", None),
    "Adopt": ("First payroll run", 21 * 24, "p75", None),
    "Expand": ("Added a second site", 45 * 24, "hand", None),
    "Renew": ("Renewed", None, "hand", "Renewal report in the admin console"),
    "Advocate": ("Left a review", None, "hand", "Admin community forum"),
}
# state of the onboarding job: (event marking arrival, expected hours by hand, from where)
STATES = {
    "Contract signed": ("Contract signed", 10 * 24, "hand"),
    "First payroll run": ("First payroll run", 30 * 24, "median"),
    "Productive": ("Added a second site", None, "hand"),
}
# The chance a customer goes on from each stage, and the days it takes them.
GOES_ON = {"Onboard": 0.78, "Adopt": 0.7, "Expand": 0.35, "Renew": 0.5}
TAKES = {"Onboard": (4, 12), "Adopt": (7, 25), "Expand": (20, 50), "Renew": (5, 20)}


def _timelines(start: dt.datetime, rng: random.Random) -> list[list]:
    rows, stages = [], list(STAGES)
    for number in range(CUSTOMERS):
        external = f"bw-{number * 5:05d}"  # customers the year of data already has
        moment = start + dt.timedelta(days=rng.uniform(0, DAYS), hours=rng.uniform(8, 18))
        for index, stage in enumerate(stages):
            if moment > timezone.now():
                break
            event = STAGES[stage][0]
            rows.append([external, event, moment.isoformat(), "web", f"demo-{number}-{index}"])
            if stage not in GOES_ON or rng.random() > GOES_ON[stage]:
                break
            moment += dt.timedelta(days=rng.uniform(*TAKES[stage]))
    return rows


def _job_rules(journey, owner) -> None:
    """Place customers in the onboarding job's states by the same events, with their own
    expected times, and raise an alert for customers stuck at their first payroll run."""
    states = {state.name: state for state in JobState.objects.filter(job=journey.canvas.job)}
    for name, (event, hours, source) in STATES.items():
        if name not in states:
            continue
        state = states[name]
        position_rule_create(journey=journey, job_state=state, event_name=event)
        job_state_thresholds_set(
            state=state,
            expected_version=state.version,
            expected_hours=hours,
            stuck_hours=None,
            expected_from=source,
        )
    if "First payroll run" in states:
        alerts.orchestration_rule_create(
            workspace=journey.workspace,
            actor=owner,
            job_state=states["First payroll run"],
            trigger="stuck",
        )


def seed_positions(workspace, owner) -> None:
    journey = Journey.objects.filter(workspace=workspace, canvas__job__verb="Onboard").first()
    if journey is None or PositionRule.objects.filter(journey=journey).exists():
        return
    stages = {stage.name: stage for stage in journey.stages.current()}
    touchpoints = {t.name: t for t in Touchpoint.objects.filter(stage__journey=journey)}
    for name, (event, hours, source, touchpoint) in STAGES.items():
        stage = stages[name]
        position_rule_create(
            journey=journey, stage=stage, event_name=event, touchpoint=touchpoints.get(touchpoint)
        )
        journey_services.stage_thresholds_set(
            stage=stage,
            actor=owner,
            expected_version=stage.version,
            expected_hours=hours,
            stuck_hours=None,
            expected_from=source,
        )
    rng = random.Random(2027)
    start = timezone.now() - dt.timedelta(days=DAYS)
    feed_csv(
        workspace,
        "events",
        ["customer_id", "event", "timestamp", "channel", "message_id"],
        _timelines(start, rng),
    )
    alerts.orchestration_rule_create(
        workspace=workspace, actor=owner, stage=stages["Onboard"], trigger="stuck", assignee=owner
    )
    alerts.orchestration_rule_create(
        workspace=workspace, actor=owner, stage=stages["Adopt"], trigger="behind"
    )
    alerts.orchestration_rule_create(
        workspace=workspace,
        actor=owner,
        stage=stages["Onboard"],
        trigger="behind",
        nudge=True,
        nudge_subject="Your Brightwave set-up: can we help, {name}?",
        nudge_body="Hi {name},\n\nSetting up Brightwave takes most teams a week. If something "
        "is in the way of {stage}, reply to this email and we'll sort it out together.",
        active=False,
    )
    _job_rules(journey, owner)
    position_run(workspace=workspace, now=timezone.now())
