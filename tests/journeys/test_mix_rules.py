"""The pure rules of the digital mix, at the type thresholds (64.9 / 65 / 35 / 34.9 %)."""

import pytest

from journeys.digital import DigitalType
from journeys.mix import (
    change_to_reach,
    data_gap,
    digital_needed_for,
    share_of,
    stage_off_target,
)

FIRST, HYBRID, SUPPORT = DigitalType.FIRST, DigitalType.HYBRID, DigitalType.SUPPORT


@pytest.mark.parametrize(
    "digital,share", [(649, 64.9), (650, 65.0), (350, 35.0), (349, 34.9), (0, 0.0), (1000, 100.0)]
)
def test_share_of_counts(digital, share):
    assert share_of(digital, 1000) == pytest.approx(share)


def test_share_of_nothing_is_none_not_zero():
    assert share_of(0, 0) is None


@pytest.mark.parametrize(
    "digital,target,change",
    [
        (649, FIRST, 1),  # 64.9 % is Hybrid: one more digital makes 65 %
        (650, FIRST, 0),
        (350, FIRST, 300),
        (350, SUPPORT, -1),  # 35 % is Hybrid: one fewer makes 34.9 %
        (349, SUPPORT, 0),
        (650, SUPPORT, -301),
        (650, HYBRID, -1),
        (649, HYBRID, 0),
        (350, HYBRID, 0),
        (349, HYBRID, 1),
        (0, HYBRID, 350),
        (1000, SUPPORT, -651),
    ],
)
def test_change_to_reach_a_target_at_the_thresholds(digital, target, change):
    assert change_to_reach(digital, 1000, target) == change


@pytest.mark.parametrize(
    "digital,total,target,change",
    [
        (4, 7, FIRST, 1),  # 57.1 % → 5 of 7 is 71.4 %
        (8, 14, FIRST, 2),  # 57.1 % → 10 of 14 is 71.4 %, 9 of 14 only 64.3 %
        (1, 3, FIRST, 1),
        (2, 3, SUPPORT, -1),  # 1 of 3 is 33.3 %
        (1, 2, HYBRID, 0),
        (0, 1, FIRST, 1),
    ],
)
def test_change_to_reach_on_small_journeys(digital, total, target, change):
    assert change_to_reach(digital, total, target) == change


def test_no_change_without_a_target_or_touchpoints():
    assert change_to_reach(3, 10, None) == 0
    assert change_to_reach(0, 0, FIRST) == 0


@pytest.mark.parametrize(
    "digital,percent,more",
    [(649, 65, 1), (650, 65, 0), (349, 35, 1), (350, 35, 0), (0, 100, 1000), (1000, 100, 0)],
)
def test_digital_needed_for_a_percentage(digital, percent, more):
    assert digital_needed_for(digital, 1000, percent) == more


def test_digital_needed_for_rounds_up_to_whole_touchpoints():
    assert digital_needed_for(0, 3, 65) == 2  # 1 of 3 is 33.3 %, 2 of 3 is 66.7 %


def test_digital_needed_for_more_than_everything_is_refused():
    with pytest.raises(ValueError):
        digital_needed_for(1, 2, 100.1)


@pytest.mark.parametrize(
    "stage_type,target,off",
    [
        (SUPPORT, FIRST, True),
        (HYBRID, FIRST, True),
        (FIRST, SUPPORT, True),
        (FIRST, FIRST, False),
        (HYBRID, HYBRID, False),
        (None, FIRST, False),  # a stage with no touchpoints has no mix to be off
        (SUPPORT, None, False),  # no target, no gap
    ],
)
def test_stage_off_target(stage_type, target, off):
    assert stage_off_target(stage_type, target) is off


@pytest.mark.parametrize(
    "sources,reason",
    [
        ([], "No data needs listed."),
        (["CRM contact record"], ""),
        (["CRM contact record", "Product analytics"], ""),
        (["CRM contact record", "  "], "1 of 2 data needs without where it lives."),
        ([""], "1 of 1 data need without where it lives."),
    ],
)
def test_data_gap(sources, reason):
    assert data_gap(sources) == reason


def test_a_target_no_mix_of_that_size_can_reach_says_so():
    # One touchpoint is 0 % or 100 % digital: never Hybrid.
    assert change_to_reach(1, 1, DigitalType.HYBRID) is None
    assert change_to_reach(0, 1, DigitalType.HYBRID) is None
    assert change_to_reach(1, 2, DigitalType.HYBRID) == 0
