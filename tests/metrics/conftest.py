"""A journey with position rules and customers with crafted timelines, on a fixed clock."""

import datetime as dt
from types import SimpleNamespace

import pytest

from metrics.models import PositionRule
from metrics.services.position_rules import position_rule_create
from tests.journeys.factories import JourneyFactory, StageFactory, TouchpointFactory
from tests.metrics.factories import CustomerFactory, EventFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    """The moment `hours` after T0."""
    return T0 + dt.timedelta(hours=hours)


def customer_with(workspace, name: str, *events):
    """A customer and their events: (event name, hours after T0[, properties])."""
    customer = CustomerFactory(workspace=workspace, external_id=name, created_at=T0)
    for event, hours, *properties in events:
        EventFactory(
            customer=customer, event=event, timestamp=at(hours), properties=dict(*properties)
        )
    return customer


@pytest.fixture
def onboarding(workspace):
    """Sign up (24 h expected, stuck at twice that) → Set up (48 h, stuck at 72 h) →
    Activate (no threshold) → Advocate, marked by a sign-up event, a set-up event of a pro
    plan, a purchase and an NPS answer."""
    journey = JourneyFactory(canvas__workspace=workspace, canvas__title="Onboarding")
    signup = StageFactory(journey=journey, name="Sign up", position=0, expected_hours=24)
    setup = StageFactory(
        journey=journey, name="Set up", position=1, expected_hours=48, stuck_hours=72
    )
    activate = StageFactory(journey=journey, name="Activate", position=2)
    advocate = StageFactory(journey=journey, name="Advocate", position=3)
    wizard = TouchpointFactory(stage=setup, name="Setup wizard", channel="in_app")
    position_rule_create(journey=journey, stage=signup, event_name="Signed up")
    position_rule_create(
        journey=journey,
        stage=setup,
        event_name="Setup completed",
        property_key="plan",
        property_value="pro",
        touchpoint=wizard,
    )
    position_rule_create(journey=journey, stage=activate, source=PositionRule.Source.PURCHASE)
    position_rule_create(
        journey=journey, stage=advocate, source=PositionRule.Source.SURVEY, survey_kind="nps"
    )
    return SimpleNamespace(
        journey=journey,
        signup=signup,
        setup=setup,
        activate=activate,
        advocate=advocate,
        wizard=wizard,
    )
