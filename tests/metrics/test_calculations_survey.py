import math
import random
import statistics

import pytest

from metrics.calculations import NpsGroup, NpsInterval, ces, csat, nps, nps_group

Z95 = 1.959963984540054


@pytest.mark.parametrize(
    ("score", "group"),
    [
        (0, NpsGroup.DETRACTOR),
        (6, NpsGroup.DETRACTOR),
        (7, NpsGroup.PASSIVE),
        (8, NpsGroup.PASSIVE),
        (9, NpsGroup.PROMOTER),
        (10, NpsGroup.PROMOTER),
    ],
)
def test_nps_answers_fall_into_the_published_groups(score, group):
    assert nps_group(score) is group


@pytest.mark.parametrize("score", [-1, 11, 7.5, True, "9", None])
def test_an_impossible_nps_answer_is_refused(score):
    with pytest.raises(ValueError):
        nps_group(score)


def test_ten_answers_worked_example():
    # DELA annual report 2018, glossary "Net Promotor Score": 30 % promoters and 20 %
    # detractors give +10. As ten answers: 3 promoters, 5 passives, 2 detractors.
    result = nps(promoters=3, passives=5, detractors=2)
    assert result.n == 10
    assert result.score == pytest.approx(10)
    assert result.promoters_percent == pytest.approx(30)
    assert result.passives_percent == pytest.approx(50)
    assert result.detractors_percent == pytest.approx(20)
    # By hand: variance 0.3 + 0.2 − 0.1² = 0.49, SE = √(0.49 / 10) = 0.22136,
    # half-width 1.95996 × 0.22136 = 0.43386 → 10 ± 43.386.
    assert result.interval is NpsInterval.WALD
    assert result.ci95 == pytest.approx((-33.386, 53.386), abs=1e-3)


def test_adjusted_wald_on_the_same_ten_answers():
    # Rocks (2016) / MeasuringU: 3.75 promoters, 2.75 detractors of n + 3 = 13 →
    # centre 1/13 = 0.076923, variance 6.5/13 − (1/13)² = 0.494083, SE = 0.194952,
    # half-width 0.382097 → [−30.517, 45.902]. The score itself stays the plain +10.
    result = nps(promoters=3, passives=5, detractors=2, interval=NpsInterval.ADJUSTED_WALD)
    assert result.score == pytest.approx(10)
    assert result.interval is NpsInterval.ADJUSTED_WALD
    assert result.ci95 == pytest.approx((-30.517, 45.902), abs=1e-3)


def test_wald_interval_equals_the_textbook_interval_of_a_mean():
    # NPS/100 is the mean of +1 / 0 / −1 answers; its Wald interval is mean ± z·σ/√n with
    # the population variance, computed here by the statistics module from raw answers.
    answers = [1] * 41 + [0] * 37 + [-1] * 22
    mean = statistics.fmean(answers)
    half = Z95 * math.sqrt(statistics.pvariance(answers) / len(answers))
    result = nps(promoters=41, passives=37, detractors=22)
    assert result.ci95 == pytest.approx((100 * (mean - half), 100 * (mean + half)))
    assert result.score == pytest.approx(100 * mean)


def test_counts_function_agrees_with_a_plain_loop_over_raw_scores():
    rng = random.Random(7)
    scores = [rng.randint(0, 10) for _ in range(997)]
    promoters = passives = detractors = 0
    for score in scores:
        if score >= 9:
            promoters += 1
        elif score >= 7:
            passives += 1
        else:
            detractors += 1
    by_group = dict.fromkeys(NpsGroup, 0)
    for score in scores:
        by_group[nps_group(score)] += 1
    result = nps(
        promoters=by_group[NpsGroup.PROMOTER],
        passives=by_group[NpsGroup.PASSIVE],
        detractors=by_group[NpsGroup.DETRACTOR],
    )
    assert (result.promoters, result.passives, result.detractors) == (
        promoters,
        passives,
        detractors,
    )
    assert result.score == pytest.approx(100 * (promoters - detractors) / len(scores))


def test_all_promoters_score_100_and_the_interval_stays_within_the_scale():
    wald = nps(promoters=20, passives=0, detractors=0)
    assert wald.score == 100
    assert wald.ci95 == (100, 100)
    adjusted = nps(promoters=20, passives=0, detractors=0, interval="adjusted_wald")
    low, high = adjusted.ci95
    assert high == 100  # 100 × (20/23 + 0.1728) ≈ 104 before clamping
    assert 60 < low < 100


def test_a_wide_wald_interval_is_clamped_at_100():
    # 9 promoters, 1 detractor: 80 ± 100 × 1.96 × √(0.36 / 10) = 80 ± 37.2.
    result = nps(promoters=9, passives=0, detractors=1)
    assert result.ci95 == pytest.approx((42.81, 100.0), abs=1e-2)


def test_all_detractors_clamp_at_minus_100():
    result = nps(promoters=0, passives=0, detractors=3, interval=NpsInterval.ADJUSTED_WALD)
    assert result.score == -100
    assert result.ci95[0] == -100


@pytest.mark.parametrize(
    ("group", "score"), [("promoters", 100), ("passives", 0), ("detractors", -100)]
)
def test_one_response(group, score):
    counts = {"promoters": 0, "passives": 0, "detractors": 0} | {group: 1}
    result = nps(**counts)
    assert result.n == 1
    assert result.score == score
    assert result.ci95 == (score, score)  # one answer has no spread under Wald


def test_no_answers_no_score():
    result = nps(promoters=0, passives=0, detractors=0)
    assert result.n == 0
    assert result.score is None
    assert result.promoters_percent is None
    assert result.passives_percent is None
    assert result.detractors_percent is None
    assert result.ci95 is None


@pytest.mark.parametrize(
    "counts",
    [
        {"promoters": -1, "passives": 0, "detractors": 0},
        {"promoters": 1.5, "passives": 0, "detractors": 0},
        {"promoters": 1, "passives": None, "detractors": 0},
        {"promoters": 1, "passives": 0, "detractors": True},
    ],
)
def test_impossible_nps_counts_are_refused(counts):
    with pytest.raises(ValueError):
        nps(**counts)


def test_an_unknown_interval_method_is_refused():
    with pytest.raises(ValueError):
        nps(promoters=1, passives=0, detractors=0, interval="bootstrap")


def test_csat_worked_example():
    # Intercom VoC help centre, "What is CSAT and how is CSAT score calculated": 50 answers,
    # 10 × 5, 20 × 4, 10 × 3, 5 × 2, 5 × 1 → (10 + 20) / 50 = 60 %. Mean by hand: 175 / 50.
    result = csat({5: 10, 4: 20, 3: 10, 2: 5, 1: 5})
    assert result.n == 50
    assert result.percent == pytest.approx(60)
    assert result.mean == pytest.approx(3.5)


def test_csat_second_example_with_missing_answers():
    # Mindmesh glossary: 30 gave 4 and 20 gave 5 out of 100 → 50 %. Nobody answered 2 here.
    result = csat({1: 10, 3: 40, 4: 30, 5: 20})
    assert result.percent == pytest.approx(50)
    assert result.mean == pytest.approx((10 + 120 + 120 + 100) / 100)


def test_csat_boundaries():
    assert csat({4: 1}).percent == 100
    assert csat({3: 7}).percent == 0
    assert csat({5: 2, 1: 2}).mean == 3


@pytest.mark.parametrize("counts", [{}, {1: 0, 5: 0}])
def test_csat_without_answers_is_none(counts):
    result = csat(counts)
    assert (result.n, result.percent, result.mean) == (0, None, None)


@pytest.mark.parametrize("counts", [{0: 1}, {6: 1}, {4.5: 1}, {"4": 1}, {4: -1}, {4: 0.5}])
def test_an_impossible_csat_histogram_is_refused(counts):
    with pytest.raises(ValueError):
        csat(counts)


def test_ces_is_the_mean_answer_on_one_to_seven():
    result = ces({1: 1, 4: 2, 7: 1})
    assert result.n == 4
    assert result.mean == 4
    assert ces({7: 3}).mean == 7
    assert ces({}).mean is None
    assert ces({}).n == 0


@pytest.mark.parametrize("counts", [{0: 1}, {8: 1}, {True: 1}, {3: -2}])
def test_an_impossible_ces_histogram_is_refused(counts):
    with pytest.raises(ValueError):
        ces(counts)
