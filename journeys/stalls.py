"""When a customer has spent too long at a stage or job state: the thresholds rule.

A stage (or job state) says which expected time applies: the hours set by hand, or what
customers took there before — the median or the 75th percentile of completed stays. A
customer past the expected time is *behind*; past the stuck time (set by hand, else twice
the expected) *stuck*. This module decides the effective thresholds and nothing else; the
learned figures come from metrics, which also applies the thresholds to customers.
"""

from dataclasses import dataclass
from enum import StrEnum

STUCK_FACTOR = 2  # no stuck time set: stuck at twice the expected time


class ExpectedFrom(StrEnum):
    HAND = "hand"
    MEDIAN = "median"
    P75 = "p75"

    @property
    def label(self) -> str:
        return {
            "hand": "Set by hand",
            "median": "Learned median",
            "p75": "Learned 75th percentile",
        }[self.value]


@dataclass(frozen=True)
class Thresholds:
    expected_hours: float | None  # behind once past this; None: never behind
    stuck_hours: float | None  # stuck once past this; None: never stuck


def effective_thresholds(
    expected_from: str,
    *,
    expected_hours: float | None,
    stuck_hours: float | None,
    median_hours: float | None,
    p75_hours: float | None,
) -> Thresholds:
    """The thresholds that apply, from a stage's settings and the learned figures.

    A learned choice without learned figures yet (no completed stay) falls back to the
    hours set by hand. The stuck time is never shorter than the expected time: a learned
    expectation that grew past a hand-set stuck time moves the stuck time with it.
    """
    for name, value in (
        ("expected_hours", expected_hours),
        ("stuck_hours", stuck_hours),
        ("median_hours", median_hours),
        ("p75_hours", p75_hours),
    ):
        if value is not None and value < 0:
            raise ValueError(f"{name} must be ≥ 0, not {value!r}")
    learned = {ExpectedFrom.MEDIAN: median_hours, ExpectedFrom.P75: p75_hours}.get(
        ExpectedFrom(expected_from)
    )
    expected = learned if learned is not None else expected_hours
    if stuck_hours is None:
        stuck = None if expected is None else STUCK_FACTOR * expected
    else:
        stuck = stuck_hours if expected is None else max(stuck_hours, expected)
    return Thresholds(
        expected_hours=None if expected is None else float(expected),
        stuck_hours=None if stuck is None else float(stuck),
    )
