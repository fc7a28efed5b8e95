"""Survey measures from answer counts: NPS (0–10), CSAT (1–5) and CES (1–7).

Every function takes counts that one SQL statement can produce (`COUNT(*) FILTER (...)` or
`GROUP BY score`), so a survey of millions of answers costs one row here.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

NPS_PROMOTER_FROM = 9
NPS_PASSIVE_FROM = 7
CSAT_SATISFIED_FROM = 4
Z95 = NormalDist().inv_cdf(0.975)


class NpsGroup(StrEnum):
    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


class NpsInterval(StrEnum):
    """How the 95 % interval of an NPS is computed.

    WALD is what the product reports (issue #7 names it). ADJUSTED_WALD is Rocks (2016,
    The American Statistician), which MeasuringU found best on real data: it behaves better
    for small samples and scores near ±100.
    """

    WALD = "wald"
    ADJUSTED_WALD = "adjusted_wald"


@dataclass(frozen=True)
class Nps:
    """Score and shares in points (−100…100 and 0…100); None when nobody answered."""

    promoters: int
    passives: int
    detractors: int
    n: int
    score: float | None
    promoters_percent: float | None
    passives_percent: float | None
    detractors_percent: float | None
    ci95: tuple[float, float] | None
    interval: NpsInterval


@dataclass(frozen=True)
class Csat:
    n: int
    percent: float | None  # share of answers 4–5
    mean: float | None


@dataclass(frozen=True)
class Ces:
    n: int
    mean: float | None


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative ({value})")
    return value


def nps_group(score: int) -> NpsGroup:
    """9–10 promoter, 7–8 passive, 0–6 detractor (../shared/DOMAIN.md §8)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError(f"an NPS answer is a whole number from 0 to 10, not {score!r}")
    if score >= NPS_PROMOTER_FROM:
        return NpsGroup.PROMOTER
    if score >= NPS_PASSIVE_FROM:
        return NpsGroup.PASSIVE
    return NpsGroup.DETRACTOR


def _difference_interval(p: float, d: float, n: float) -> tuple[float, float]:
    """NPS/100 = mean of +1/0/−1 answers, whose variance is p + d − (p − d)²."""
    half = Z95 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    centre = p - d
    return max(-100.0, 100 * (centre - half)), min(100.0, 100 * (centre + half))


def nps(
    *,
    promoters: int,
    passives: int,
    detractors: int,
    interval: NpsInterval = NpsInterval.WALD,
) -> Nps:
    """NPS = % promoters − % detractors, with a 95 % interval clamped to [−100, 100].

    Adjusted Wald adds 0.75 promoters, 0.75 detractors and 1.5 passives (n + 3) before the
    Wald formula; the reported score stays the plain one.
    """
    promoters = _count(promoters, "promoters")
    passives = _count(passives, "passives")
    detractors = _count(detractors, "detractors")
    interval = NpsInterval(interval)
    n = promoters + passives + detractors
    if n == 0:
        return Nps(0, 0, 0, 0, None, None, None, None, None, interval)
    if interval is NpsInterval.WALD:
        ci = _difference_interval(promoters / n, detractors / n, n)
    else:
        adjusted_n = n + 3
        ci = _difference_interval(
            (promoters + 0.75) / adjusted_n, (detractors + 0.75) / adjusted_n, adjusted_n
        )
    return Nps(
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        n=n,
        score=100 * (promoters - detractors) / n,
        promoters_percent=100 * promoters / n,
        passives_percent=100 * passives / n,
        detractors_percent=100 * detractors / n,
        ci95=ci,
        interval=interval,
    )


def _histogram(counts: Mapping[int, int], low: int, high: int, kind: str) -> dict[int, int]:
    """Validate a {answer: count} histogram; answers absent from it count zero."""
    checked = {}
    for answer, count in counts.items():
        if isinstance(answer, bool) or not isinstance(answer, int) or not low <= answer <= high:
            raise ValueError(
                f"a {kind} answer is a whole number from {low} to {high}, not {answer!r}"
            )
        checked[answer] = _count(count, f"the count of answer {answer}")
    return checked


def csat(counts: Mapping[int, int]) -> Csat:
    """CSAT from a histogram of 1–5 answers: % of 4–5, and the mean answer."""
    counts = _histogram(counts, 1, 5, "CSAT")
    n = sum(counts.values())
    if n == 0:
        return Csat(n=0, percent=None, mean=None)
    satisfied = sum(c for answer, c in counts.items() if answer >= CSAT_SATISFIED_FROM)
    return Csat(
        n=n,
        percent=100 * satisfied / n,
        mean=sum(answer * c for answer, c in counts.items()) / n,
    )


def ces(counts: Mapping[int, int]) -> Ces:
    """CES from a histogram of 1–7 answers: the mean answer."""
    counts = _histogram(counts, 1, 7, "CES")
    n = sum(counts.values())
    if n == 0:
        return Ces(n=0, mean=None)
    return Ces(n=n, mean=sum(answer * c for answer, c in counts.items()) / n)
