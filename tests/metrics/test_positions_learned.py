"""Learned durations against answers computed by hand, and the thresholds they give."""

import pytest

from journeys.models import JobState
from metrics.models import Health, LearnedDuration, Position
from metrics.services.position_rules import position_rule_create
from metrics.services.positions import positions_compute
from tests.engage.factories import JobFactory
from tests.metrics.conftest import at, customer_with
from tests.metrics.factories import PurchaseFactory


def stays_at_setup(workspace, hours: list[float]) -> None:
    """One customer per stay at set up: arrives at 1 h, buys (moves on) `hours` later."""
    for n, stay in enumerate(hours):
        customer = customer_with(
            workspace, f"c{n}", ("Signed up", 0), ("Setup completed", 1, {"plan": "pro"})
        )
        PurchaseFactory(customer=customer, purchased_at=at(1 + stay))


@pytest.mark.parametrize(
    ("stays", "n", "median", "p75"),
    [
        ([], 0, None, None),
        ([7], 1, 7, 7),
        ([2.5, 4], 2, 3.25, 3.625),  # p75: 2.5 + 0.75 × 1.5
        ([60, 10, 20], 3, 20, 40),  # p75 halfway between 20 and 60
        ([100, 30, 10, 20], 4, 25, 47.5),  # p75 at rank 2.25: 30 + 0.25 × 70
        ([1, 2, 3, 4, 5], 5, 3, 4),
        ([1.5, 1.5, 1.5, 90], 4, 1.5, 23.625),  # ties; p75: 1.5 + 0.25 × 88.5
    ],
)
def test_median_and_p75_of_completed_stays(workspace, onboarding, stays, n, median, p75):
    stays_at_setup(workspace, stays)
    positions_compute(workspace, now=at(500))
    learned = LearnedDuration.objects.get(stage=onboarding.setup)
    assert learned.n == n
    assert learned.median_hours == pytest.approx(median)
    assert learned.p75_hours == pytest.approx(p75)
    signup = LearnedDuration.objects.get(stage=onboarding.signup)
    assert (signup.n, signup.median_hours) == (n, pytest.approx(1 if n else None))


def test_stays_still_going_on_at_the_clock_are_not_learned(workspace, onboarding):
    stays_at_setup(workspace, [10, 20, 300])
    positions_compute(workspace, now=at(100))
    learned = LearnedDuration.objects.get(stage=onboarding.setup)
    assert (learned.n, learned.median_hours, learned.p75_hours) == (2, 15, 17.5)


def test_every_current_stage_and_job_state_has_its_row(workspace, onboarding):
    job = JobFactory(workspace=workspace)
    state = JobState.objects.create(job=job, name="Started", is_start=True)
    onboarding.advocate.removed_at = at(0)
    onboarding.advocate.save()
    positions_compute(workspace, now=at(1))
    rows = LearnedDuration.objects.filter(workspace=workspace)
    assert {row.stage or row.job_state for row in rows} == {
        onboarding.signup,
        onboarding.setup,
        onboarding.activate,
        state,
    }
    assert {(row.n, row.median_hours, row.p75_hours) for row in rows} == {(0, None, None)}


@pytest.mark.parametrize(
    ("expected_from", "expected", "stuck", "health"),
    [("hand", 48, 96, Health.ON_TRACK), ("median", 20, 40, Health.BEHIND),
     ("p75", 40, 80, Health.ON_TRACK)],
)  # fmt: skip
def test_learned_figures_set_the_thresholds_when_chosen(
    workspace, onboarding, expected_from, expected, stuck, health
):
    onboarding.setup.expected_from, onboarding.setup.stuck_hours = expected_from, None
    onboarding.setup.save()
    stays_at_setup(workspace, [10, 20, 60])
    late = customer_with(workspace, "late", ("Signed up", 0), ("Setup completed", 70, {"plan": "pro"}))  # fmt: skip
    positions_compute(workspace, now=at(100))  # 30 h at set up
    learned = LearnedDuration.objects.get(stage=onboarding.setup)
    assert (learned.expected_hours, learned.stuck_hours) == (expected, stuck)
    assert Position.objects.get(customer=late).health == health


def test_job_states_learn_from_their_stays(workspace, onboarding):
    job = JobFactory(workspace=workspace)
    started = JobState.objects.create(
        job=job, name="Started", is_start=True, expected_from="median"
    )
    done = JobState.objects.create(job=job, name="Done", position=1)
    position_rule_create(journey=onboarding.journey, job_state=started, event_name="Job started")
    position_rule_create(journey=onboarding.journey, job_state=done, event_name="Job done")
    for n, stay in enumerate([4, 6]):
        customer_with(workspace, f"j{n}", ("Job started", 0), ("Job done", stay))
    waiting = customer_with(workspace, "waiting", ("Job started", 2))
    positions_compute(workspace, now=at(8))
    learned = LearnedDuration.objects.get(job_state=started)
    assert (learned.n, learned.median_hours, learned.expected_hours) == (2, 5, 5)
    position = Position.objects.get(customer=waiting, job=job)
    assert (position.health, position.health_since) == (Health.BEHIND, at(7))
