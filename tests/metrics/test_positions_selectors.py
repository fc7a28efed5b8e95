"""Reads of positions: a funnel worked by hand, counts per stage, stalled customers, a
customer's path, touchpoint interactions; query counts that do not grow."""

import datetime as dt

import pytest

from journeys.models import JobState
from metrics.models import Health
from metrics.selectors.positions import (
    PlaceCount,
    customer_path,
    customer_positions,
    journey_funnel,
    learned_durations,
    stage_counts,
    stalled_positions,
    touchpoint_interactions,
)
from metrics.services.position_rules import position_rule_create
from metrics.services.positions import positions_compute
from tests.engage.factories import JobFactory
from tests.journeys.factories import StageFactory
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import CustomerFactory, EventFactory, PurchaseFactory

MARCH = (dt.date(2026, 3, 2), dt.date(2026, 3, 31))


def day(month: int, day_: int, hour: int = 9) -> float:
    """Hours after T0 (2 March 2026, 09:00 UTC) of a day of 2026."""
    return (dt.datetime(2026, month, day_, hour, tzinfo=dt.UTC) - at(0)).total_seconds() / 3600


@pytest.fixture
def march(workspace, onboarding):
    """Six customers; the funnel of 2–31 March worked by hand in the test below."""
    pro = {"plan": "pro"}
    timelines = {
        "c1": [("Signed up", day(3, 1)), ("Setup completed", day(3, 3), pro)],
        "c2": [("Signed up", day(3, 2)), ("Setup completed", day(3, 4), pro)],
        "c3": [("Signed up", day(3, 10))],
        "c4": [("Signed up", day(3, 20)), ("Setup completed", day(4, 2), pro)],
        "c5": [("Signed up", day(3, 25))],
        "c6": [("Signed up", day(4, 3))],
    }
    customers = {
        name: customer_with(workspace, name, *events) for name, events in timelines.items()
    }
    PurchaseFactory(customer=customers["c1"], purchased_at=at(day(3, 5)))
    PurchaseFactory(customer=customers["c5"], purchased_at=at(day(3, 26)))  # skips set up
    positions_compute(workspace, now=at(day(4, 10)))
    return customers


def test_funnel_of_a_period_worked_by_hand(onboarding, march, django_assert_num_queries):
    with django_assert_num_queries(3):
        funnel = journey_funnel(onboarding.journey, start=MARCH[0], end=MARCH[1])
    rows = [
        (s.stage.name, s.reached, s.moved_on, s.conversion_percent, s.drop_off,
         s.drop_off_percent, s.median_hours, s.completed)
        for s in funnel
    ]  # fmt: skip
    assert rows == [
        # c2, c3, c4, c5 signed up in the period (c1 on 1 March, c6 in April); c2 and c4
        # then set up (c4 in April); c5 bought without setting up. Stays that ended:
        # c2 48 h, c4 13 days = 312 h, c5 24 h: median 48 h.
        ("Sign up", 4, 2, 50.0, 2, 50.0, 48.0, 3),
        # c1 (3 March) and c2 set up; c1 bought on 5 March (a 48 h stay), c2 has not.
        ("Set up", 2, 1, 50.0, 1, 50.0, 48.0, 1),
        # c1 and c5 bought; nobody answered a survey.
        ("Activate", 2, 0, 0.0, 2, 100.0, None, 0),
        ("Advocate", 0, None, None, None, None, None, 0),
    ]


def test_funnel_periods_are_whole_days_and_may_be_open(onboarding, march):
    def reached(**period):
        return [step.reached for step in journey_funnel(onboarding.journey, **period)]

    assert reached() == [6, 3, 2, 0]
    assert reached(start=dt.date(2026, 3, 25)) == [2, 1, 1, 0]
    assert reached(end=dt.date(2026, 3, 1)) == [1, 0, 0, 0]
    assert reached(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2)) == [1, 0, 0, 0]


def test_counts_per_stage_now(workspace, onboarding, march, django_assert_num_queries):
    # As of 10 April: c3 has been signing up since 10 March (stuck), c6 since 3 April
    # (stuck: 7 days > 48 h); c2 and c4 at set up (c4 for 8 days: stuck), c1 and c5 at
    # activate (no threshold).
    with django_assert_num_queries(1):
        counts = stage_counts(onboarding.journey)
    assert counts == {
        onboarding.signup.pk: PlaceCount(here=2, behind=0, stuck=2),
        onboarding.setup.pk: PlaceCount(here=2, behind=0, stuck=2),
        onboarding.activate.pk: PlaceCount(here=2, behind=0, stuck=0),
    }


def test_stalled_customers_of_a_stage_stuck_first_then_longest(workspace, onboarding):
    customer_with(workspace, "fresh", ("Signed up", 100))
    customer_with(workspace, "behind-late", ("Signed up", 70))
    customer_with(workspace, "behind-early", ("Signed up", 60))
    customer_with(workspace, "stuck", ("Signed up", 40))
    positions_compute(workspace, now=at(100))
    stalled = stalled_positions(onboarding.signup)
    assert [(p.customer.external_id, p.health, p.health_since) for p in stalled] == [
        ("stuck", Health.STUCK, at(88)),
        ("behind-early", Health.BEHIND, at(84)),
        ("behind-late", Health.BEHIND, at(94)),
    ]
    only_behind = stalled_positions(onboarding.signup, health=[Health.BEHIND])
    assert [p.customer.external_id for p in only_behind] == ["behind-early", "behind-late"]


def test_a_customers_path_and_positions(onboarding, march, django_assert_num_queries):
    with django_assert_num_queries(2):
        path = customer_path(march["c1"])
        positions = customer_positions(march["c1"])
    assert [(step.stage.name, step.entered_at, step.left_at, step.hours) for step in path] == [
        ("Sign up", at(day(3, 1)), at(day(3, 3)), 48.0),
        ("Set up", at(day(3, 3)), at(day(3, 5)), 48.0),
        ("Activate", at(day(3, 5)), None, None),
    ]
    assert [(p.journey.canvas.title, p.stage.name, p.health) for p in positions] == [
        ("Onboarding", "Activate", Health.UNKNOWN)
    ]


def test_touchpoint_interactions_over_a_period(workspace, onboarding, march):
    assert touchpoint_interactions(onboarding.journey) == {onboarding.wizard.pk: 3}
    assert touchpoint_interactions(onboarding.journey, start=dt.date(2026, 3, 4)) == {
        onboarding.wizard.pk: 2
    }
    assert touchpoint_interactions(onboarding.journey, end=dt.date(2026, 3, 3)) == {
        onboarding.wizard.pk: 1
    }
    assert touchpoint_interactions(onboarding.journey, start=dt.date(2026, 5, 1)) == {}


def test_learned_durations_beside_the_thresholds(onboarding, march):
    learned = learned_durations(onboarding.journey)
    setup = learned[onboarding.setup.pk]
    assert (setup.n, setup.median_hours, setup.expected_hours, setup.stuck_hours) == (1, 48, 48, 72)
    assert set(learned) == {s.pk for s in (onboarding.signup, onboarding.setup,
                                           onboarding.activate, onboarding.advocate)}  # fmt: skip


@pytest.mark.parametrize("size", [1, 4])
def test_reads_do_not_grow_with_customers_or_stages(
    workspace, onboarding, size, django_assert_num_queries
):
    for n in range(size):
        stage = StageFactory(journey=onboarding.journey, position=10 + n, expected_hours=1)
        position_rule_create(journey=onboarding.journey, stage=stage, event_name=f"Step {n}")
    for n in range(size * 5):
        customer = CustomerFactory(workspace=workspace)
        EventFactory(customer=customer, event="Signed up", timestamp=at(0))
        EventFactory(customer=customer, event=f"Step {n % size}", timestamp=at(1 + n))
    positions_compute(workspace, now=at(100))
    with django_assert_num_queries(3):
        journey_funnel(onboarding.journey)
    with django_assert_num_queries(1):
        stage_counts(onboarding.journey)
    with django_assert_num_queries(1):
        list(stalled_positions(onboarding.signup))
    with django_assert_num_queries(1):
        touchpoint_interactions(onboarding.journey)


def test_a_path_lists_journeys_before_jobs(workspace, onboarding):
    job = JobFactory(workspace=workspace)
    started = JobState.objects.create(job=job, name="Started", is_start=True)
    position_rule_create(journey=onboarding.journey, job_state=started, event_name="Job started")
    una = customer_with(workspace, "una", ("Job started", 0), ("Signed up", 1))
    positions_compute(workspace, now=at(2))
    assert [step.place.name for step in customer_path(una)] == ["Sign up", "Started"]
    assert [p.place.name for p in customer_positions(una)] == ["Sign up", "Started"]
