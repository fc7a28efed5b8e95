from datetime import date

import pytest

from metrics.calculations import mentions_over_time, sentiment_summary, top_advocates

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def test_sentiment_summary_worked_example():
    # Hand-worked: 60 positive, 25 neutral, 15 negative of 100 → net (60 − 15) / 100 × 100 = 45.
    result = sentiment_summary(positive=60, neutral=25, negative=15, reach=12_000)
    assert result.total == 100
    assert result.positive_percent == pytest.approx(60)
    assert result.negative_percent == pytest.approx(15)
    assert result.net_sentiment == pytest.approx(45)
    assert result.reach == 12_000


def test_net_sentiment_boundaries():
    assert sentiment_summary(positive=4, neutral=0, negative=0).net_sentiment == 100
    assert sentiment_summary(positive=0, neutral=0, negative=4).net_sentiment == -100
    assert sentiment_summary(positive=0, neutral=4, negative=0).net_sentiment == 0


def test_no_mentions_no_shares():
    result = sentiment_summary(positive=0, neutral=0, negative=0)
    assert result.total == 0
    assert result.positive_percent is None
    assert result.negative_percent is None
    assert result.net_sentiment is None
    assert result.reach is None


@pytest.mark.parametrize(
    "counts",
    [
        {"positive": -1, "neutral": 0, "negative": 0},
        {"positive": 1, "neutral": 0.5, "negative": 0},
        {"positive": 1, "neutral": 0, "negative": 0, "reach": -5},
    ],
)
def test_impossible_sentiment_counts_are_refused(counts):
    with pytest.raises(ValueError):
        sentiment_summary(**counts)


def test_mentions_over_time_groups_by_bucket():
    rows = [
        (FEB, "negative", 2, 100),
        (JAN, "positive", 3, 1000),
        (JAN, "neutral", 1, None),
        (FEB, "positive", 2, 50),
    ]
    series = mentions_over_time(rows)
    assert [b.bucket for b in series] == [JAN, FEB]
    assert series[0].summary.total == 4
    assert series[0].summary.reach == 1000
    assert series[0].summary.net_sentiment == pytest.approx(75)
    assert series[1].summary.net_sentiment == 0
    assert series[1].summary.reach == 150


def test_requested_buckets_include_empty_ones():
    series = mentions_over_time([(MAR, "positive", 1, None)], buckets=[JAN, FEB, MAR])
    assert [b.bucket for b in series] == [JAN, FEB, MAR]
    assert series[0].summary.total == 0
    assert series[0].summary.net_sentiment is None
    assert series[2].summary.net_sentiment == 100
    assert mentions_over_time([]) == []


@pytest.mark.parametrize(
    ("rows", "buckets"),
    [
        ([(JAN, "delighted", 1, None)], None),
        ([(JAN, "positive", 1, None), (JAN, "positive", 2, None)], None),
        ([(JAN, "positive", -1, None)], None),
        ([(MAR, "positive", 1, None)], [JAN, FEB]),
    ],
)
def test_impossible_mention_rows_are_refused(rows, buckets):
    with pytest.raises(ValueError):
        mentions_over_time(rows, buckets=buckets)


def test_top_advocates_by_positive_mentions_then_reach():
    rows = [
        ("carol", 5, 100),
        ("alice", 7, 10),
        ("bob", 5, 900),
        ("dave", 5, 900),
        ("erin", 0, 10_000),  # no positive mention: no advocate, however wide her reach
        ("", 9, 10),  # anonymous
        ("frank", 1, None),
    ]
    ranked = top_advocates(rows)
    assert [a.author for a in ranked] == ["alice", "bob", "dave", "carol", "frank"]
    assert ranked[-1].reach == 0
    assert [a.author for a in top_advocates(rows, limit=2)] == ["alice", "bob"]
    assert top_advocates([]) == []


def test_impossible_advocate_rows_are_refused():
    with pytest.raises(ValueError):
        top_advocates([("alice", 1, 5), ("alice", 2, 5)])
    with pytest.raises(ValueError):
        top_advocates([("alice", -1, 5)])
    with pytest.raises(ValueError):
        top_advocates([("alice", 1, 5)], limit=-1)
