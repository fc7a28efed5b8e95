"""Key-result progress and status: worked examples, both directions, boundaries."""

import datetime as dt

import pytest

from metrics.calculations import okr

START, DUE = dt.date(2027, 1, 1), dt.date(2027, 4, 11)  # 100 days


@pytest.mark.parametrize(
    "baseline,target,current,expected",
    [
        (20, 40, 30, 0.5),  # NPS from +20 to +40, now +30: half way
        (20, 40, 20, 0.0),
        (20, 40, 40, 1.0),
        (20, 40, 50, 1.5),  # past the target
        (20, 40, 10, -0.5),  # the wrong way
        (5, 3, 4, 0.5),  # churn down from 5 % to 3 %, now 4 %: lower is better
        (5, 3, 6, -0.5),
        (-10, 10, 0, 0.5),  # across zero
    ],
)
def test_progress_is_the_share_of_the_way_from_baseline_to_target(
    baseline, target, current, expected
):
    assert okr.progress(baseline=baseline, target=target, current=current) == pytest.approx(
        expected
    )


def test_progress_without_a_value_is_unknown_and_a_target_equal_to_the_baseline_is_refused():
    assert okr.progress(baseline=1, target=2, current=None) is None
    with pytest.raises(ValueError, match="differ"):
        okr.progress(baseline=3, target=3, current=3)


@pytest.mark.parametrize(
    "today,elapsed",
    [
        (dt.date(2026, 12, 1), 0.0),  # before the start
        (START, 0.0),
        (dt.date(2027, 1, 26), 0.25),
        (DUE, 1.0),
        (dt.date(2027, 6, 1), 1.0),  # after the due date
    ],
)
def test_time_elapsed_is_held_to_0_and_1(today, elapsed):
    assert okr.time_elapsed(start=START, due=DUE, today=today) == pytest.approx(elapsed)


def test_a_key_result_is_due_after_it_starts():
    with pytest.raises(ValueError):
        okr.time_elapsed(start=START, due=START, today=START)


HALF_TIME = dt.date(2027, 2, 20)  # 50 days in: 50 % of the time elapsed


@pytest.mark.parametrize(
    "progress,today,status",
    [
        (None, HALF_TIME, okr.Status.NO_DATA),
        (1.0, HALF_TIME, okr.Status.ACHIEVED),
        (1.2, dt.date(2027, 6, 1), okr.Status.ACHIEVED),  # reached, even when looked at late
        (0.99, dt.date(2027, 4, 12), okr.Status.MISSED),
        (0.99, DUE, okr.Status.AT_RISK),  # due today: still counts, 1 point short of 100 %
        (0.5, HALF_TIME, okr.Status.ON_TRACK),
        (0.25, HALF_TIME, okr.Status.AT_RISK),  # exactly 25 points behind the time
        (0.2499, HALF_TIME, okr.Status.OFF_TRACK),
        (-0.3, HALF_TIME, okr.Status.OFF_TRACK),
        (0.0, START, okr.Status.ON_TRACK),
    ],
)
def test_status_compares_progress_with_the_time_elapsed(progress, today, status):
    assert okr.status(progress=progress, start=START, due=DUE, today=today) == status


def test_an_objective_averages_its_key_results_each_held_to_0_and_100_percent():
    assert okr.objective_progress([0.5, 1.5, -0.5]) == pytest.approx(0.5)  # 0.5, 1, 0
    assert okr.objective_progress([0.2, None]) == pytest.approx(0.2)
    assert okr.objective_progress([None]) is None
    assert okr.objective_progress([]) is None


def test_status_labels_read_as_words():
    assert okr.Status.OFF_TRACK.label == "Off track"
    assert okr.Status.NO_DATA.label == "No data"
