"""The thresholds rule: which expected time applies, and when a customer is stuck."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from journeys.models import JobState
from journeys.stalls import Thresholds, effective_thresholds
from tests.engage.factories import JobFactory
from tests.journeys.factories import StageFactory


def thresholds(expected_from="hand", expected=None, stuck=None, median=None, p75=None):
    return effective_thresholds(
        expected_from,
        expected_hours=expected,
        stuck_hours=stuck,
        median_hours=median,
        p75_hours=p75,
    )


@pytest.mark.parametrize(
    ("given", "applied"),
    [
        ({"expected": 48}, (48, 96)),  # stuck: twice the expected
        ({"expected": 48, "stuck": 72}, (48, 72)),
        ({"expected": 48, "stuck": 48}, (48, 48)),
        ({}, (None, None)),  # nothing to go by: health unknown
        ({"stuck": 72}, (None, 72)),  # never behind, stuck after 72 h
        ({"expected": 0}, (0, 0)),
        # Learned figures win over the hours set by hand…
        ({"expected_from": "median", "expected": 48, "median": 20, "p75": 30}, (20, 40)),
        ({"expected_from": "p75", "expected": 48, "median": 20, "p75": 30}, (30, 60)),
        ({"expected_from": "median", "stuck": 30, "median": 20.5}, (20.5, 30)),
        # …but a stuck time set by hand never falls short of a learned expectation…
        ({"expected_from": "median", "stuck": 30, "median": 50}, (50, 50)),
        # …and with nothing learned yet (no completed stay) the hand-set hours apply.
        ({"expected_from": "median", "expected": 48}, (48, 96)),
        ({"expected_from": "p75", "expected": 48, "median": 20}, (48, 96)),
        ({"expected_from": "p75"}, (None, None)),
        # Set by hand, the learned figures are for showing beside it only.
        ({"expected_from": "hand", "expected": 48, "median": 20, "p75": 30}, (48, 96)),
    ],
)
def test_effective_thresholds(given, applied):
    assert thresholds(**given) == Thresholds(*applied)


@pytest.mark.parametrize(
    "given",
    [{"expected": -1}, {"stuck": -2}, {"expected_from": "median", "median": -0.5}],
)
def test_negative_hours_are_refused(given):
    with pytest.raises(ValueError, match="must be ≥ 0"):
        thresholds(**given)


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValueError, match="'mean' is not a valid ExpectedFrom"):
        thresholds("mean", expected=4)


def test_a_stuck_time_shorter_than_the_expected_time_is_refused(db):
    stage = StageFactory(expected_hours=48)
    stage.stuck_hours = 24
    with pytest.raises(ValidationError) as refused:
        stage.full_clean()
    assert refused.value.message_dict["stuck_hours"] == [
        "The stuck time can't be shorter than the expected time."
    ]
    with transaction.atomic(), pytest.raises(IntegrityError):
        stage.save()
    state = JobState.objects.create(job=JobFactory(), name="Started", expected_hours=5)
    state.stuck_hours = 4
    with pytest.raises(ValidationError):
        state.full_clean()
