"""The JTBD numbers against worked examples, boundaries and empty input."""

import pytest

from canvases.scoring import (
    ForcesBalance,
    Region,
    filter_score_to_ten,
    forces_balance,
    opportunity,
    region,
    top_two_box,
)


@pytest.mark.parametrize(
    ("importance", "satisfaction", "expected"),
    [
        (8, 3, 13),  # 8 + (8 − 3)
        (8, 9, 8),  # satisfied beyond importance: no gap is added
        (5, 5, 5),
        (0, 0, 0),
        (10, 0, 20),
        (0, 10, 0),
        (7.5, 2.5, 12.5),
    ],
)
def test_opportunity_worked_examples(importance, satisfaction, expected):
    assert opportunity(importance, satisfaction) == expected


def test_opportunity_is_per_item_not_of_averages():
    items = [(9, 1), (1, 9)]
    per_item = [opportunity(i, s) for i, s in items]
    assert per_item == [17, 1]
    assert sum(per_item) / 2 == 9  # the average of two averages would give 5


@pytest.mark.parametrize(("importance", "satisfaction"), [(None, 5), (5, None), (None, None)])
def test_no_input_no_opportunity_and_no_region(importance, satisfaction):
    assert opportunity(importance, satisfaction) is None
    assert region(importance, satisfaction) is None


@pytest.mark.parametrize(("importance", "satisfaction"), [(-0.1, 5), (10.1, 5), (5, -1), (5, 11)])
def test_values_outside_zero_to_ten_are_refused(importance, satisfaction):
    with pytest.raises(ValueError, match="between 0 and 10"):
        opportunity(importance, satisfaction)


@pytest.mark.parametrize(
    ("importance", "satisfaction", "expected"),
    [
        (3, 8, Region.OVER_SERVED),
        (5, 5.01, Region.OVER_SERVED),
        (5, 5, Region.SERVED),  # on the diagonal: served
        (5, 0, Region.SERVED),  # opportunity exactly 10: served
        (6, 2, Region.SERVED),  # 6 + 4 = 10
        (6, 1.9, Region.UNDER_SERVED),  # 10.1
        (7.5, 0, Region.UNDER_SERVED),  # opportunity exactly 15: under-served, not extreme
        (8, 1, Region.UNDER_SERVED),  # 8 + 7 = 15
        (8, 0.9, Region.EXTREME),  # 15.1
        (9, 2, Region.EXTREME),  # 16
        (10, 0, Region.EXTREME),  # 20
    ],
)
def test_regions_and_their_boundaries(importance, satisfaction, expected):
    assert region(importance, satisfaction) is expected


def test_every_grid_point_lands_in_exactly_the_region_its_definition_says():
    """An independent restatement over the whole 0–10 grid in halves."""
    steps = [n / 2 for n in range(21)]
    for importance in steps:
        for satisfaction in steps:
            score = importance + max(importance - satisfaction, 0)
            if satisfaction > importance:
                expected = Region.OVER_SERVED
            elif score <= 10:
                expected = Region.SERVED
            elif score <= 15:
                expected = Region.UNDER_SERVED
            else:
                expected = Region.EXTREME
            assert region(importance, satisfaction) is expected, (importance, satisfaction)


@pytest.mark.parametrize(
    ("score", "ten"), [(1, 0), (2, 2.5), (3, 5), (4, 7.5), (5, 10), (None, None)]
)
def test_filter_scores_map_onto_zero_to_ten(score, ten):
    assert filter_score_to_ten(score) == ten


@pytest.mark.parametrize("score", [0, 6, -1])
def test_filter_scores_outside_one_to_five_are_refused(score):
    with pytest.raises(ValueError):
        filter_score_to_ten(score)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([5, 4, 3, 2], 5.0),
        ([5, 5, 5], 10.0),
        ([1, 2, 3], 0.0),  # answered, none top-two: a real 0
        ([4], 10.0),
        ([3, 4, 5, 1, 2], 4.0),
        ([], None),  # nobody answered: no score
    ],
)
def test_survey_share_of_four_and_five(ratings, expected):
    assert top_two_box(ratings) == expected


def test_survey_ratings_outside_one_to_five_are_refused():
    with pytest.raises(ValueError):
        top_two_box([4, 6])


def test_forces_balance_worked_example():
    balance = forces_balance(push=[5, 3], pull=[4], habit=[2, 2], anxiety=[1])
    assert balance == ForcesBalance(push=8, pull=4, habit=4, anxiety=1)
    assert (balance.promoting, balance.blocking) == (12, 5)
    assert balance.change_expected
    assert balance.verdict == "Push and pull outweigh habit and anxiety."


def test_a_tie_expects_no_change():
    balance = forces_balance(push=[3], pull=[], habit=[2], anxiety=[1])
    assert (balance.promoting, balance.blocking) == (3, 3)
    assert not balance.change_expected
    assert "level" in balance.verdict


def test_blocking_forces_win():
    balance = forces_balance(push=[1], pull=[1], habit=[5], anxiety=[])
    assert not balance.change_expected
    assert balance.verdict == "Habit and anxiety outweigh push and pull."


def test_notes_without_strength_do_not_count_and_none_at_all_gives_no_balance():
    assert forces_balance(push=[None, 4], pull=[None], habit=[], anxiety=[]).push == 4
    assert forces_balance(push=[None], pull=[], habit=[None], anxiety=[]) is None
    assert forces_balance(push=[], pull=[], habit=[], anxiety=[]) is None


def test_strengths_outside_one_to_five_are_refused():
    with pytest.raises(ValueError):
        forces_balance(push=[6], pull=[], habit=[], anxiety=[])
