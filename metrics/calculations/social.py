"""Social media measures: mentions over time, sentiment shares, reach and top advocates."""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class SentimentSummary:
    total: int
    positive: int
    neutral: int
    negative: int
    positive_percent: float | None
    negative_percent: float | None
    net_sentiment: float | None  # (positive − negative) / total × 100, −100…100
    reach: int | None  # Σ reach of the mentions that report one; None when none does


@dataclass(frozen=True)
class Bucket:
    bucket: Hashable  # e.g. the first day of the week or month
    summary: SentimentSummary


@dataclass(frozen=True)
class Advocate:
    author: str
    positive_mentions: int
    reach: int


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, not {value!r}")
    return value


def sentiment_summary(
    *, positive: int, neutral: int, negative: int, reach: int | None = None
) -> SentimentSummary:
    positive = _count(positive, "positive mentions")
    neutral = _count(neutral, "neutral mentions")
    negative = _count(negative, "negative mentions")
    if reach is not None:
        reach = _count(reach, "reach")
    total = positive + neutral + negative
    if total == 0:
        return SentimentSummary(0, 0, 0, 0, None, None, None, reach)
    return SentimentSummary(
        total=total,
        positive=positive,
        neutral=neutral,
        negative=negative,
        positive_percent=100 * positive / total,
        negative_percent=100 * negative / total,
        net_sentiment=100 * (positive - negative) / total,
        reach=reach,
    )


def mentions_over_time(
    rows: Iterable[tuple[Hashable, str, int, int | None]],
    *,
    buckets: Sequence[Hashable] | None = None,
) -> list[Bucket]:
    """(bucket, sentiment, mentions, Σ reach) aggregates → one summary per bucket.

    With `buckets` the series covers exactly those (empty ones included, so a chart shows the
    gaps); without, the buckets present, in ascending order.
    """
    counts: dict[Hashable, dict[str, int]] = {}
    reach: dict[Hashable, int | None] = {}
    for bucket, sentiment, mentions, bucket_reach in rows:
        sentiment = Sentiment(sentiment)
        per = counts.setdefault(bucket, {})
        if sentiment in per:
            raise ValueError(f"bucket {bucket!r} lists {sentiment} mentions twice")
        per[sentiment] = _count(mentions, "mentions")
        if bucket_reach is not None:
            reach[bucket] = (reach.get(bucket) or 0) + _count(bucket_reach, "reach")
    if buckets is None:
        buckets = sorted(counts)
    elif unknown := set(counts) - set(buckets):
        raise ValueError(
            f"mentions fall outside the requested buckets: {sorted(map(str, unknown))}"
        )
    return [
        Bucket(
            bucket,
            sentiment_summary(
                positive=counts.get(bucket, {}).get(Sentiment.POSITIVE, 0),
                neutral=counts.get(bucket, {}).get(Sentiment.NEUTRAL, 0),
                negative=counts.get(bucket, {}).get(Sentiment.NEGATIVE, 0),
                reach=reach.get(bucket),
            ),
        )
        for bucket in buckets
    ]


def top_advocates(
    rows: Iterable[tuple[str, int, int | None]], *, limit: int = 10
) -> list[Advocate]:
    """(author, positive mentions, Σ reach of those mentions) → the top `limit` advocates.

    Ranked by positive mentions, ties by reach, then by name so the order is stable; authors
    with no positive mention are no advocates.
    """
    if limit < 0:
        raise ValueError("limit cannot be negative")
    advocates, seen = [], set()
    for author, positive, reach in rows:
        if not author:
            continue  # anonymous mentions name nobody to thank
        if author in seen:
            raise ValueError(f"author {author!r} is listed twice")
        seen.add(author)
        positive = _count(positive, f"positive mentions of {author}")
        reach = 0 if reach is None else _count(reach, f"reach of {author}")
        if positive:
            advocates.append(Advocate(author, positive, reach))
    advocates.sort(key=lambda a: (-a.positive_mentions, -a.reach, a.author))
    return advocates[:limit]
