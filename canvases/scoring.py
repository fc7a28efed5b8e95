"""The numbers of the JTBD canvases, as pure functions with no database behind them.

No input gives no score (None), never 0: an empty board has no opportunity, and an
unscored forces canvas predicts nothing. See ../shared/CANVASES.md §5–7.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

SCALE_MAX = 10


def _check_ten(name: str, value: float) -> None:
    if not 0 <= value <= SCALE_MAX:
        raise ValueError(f"{name} must lie between 0 and {SCALE_MAX}, not {value}")


def opportunity(importance: float | None, satisfaction: float | None) -> float | None:
    """importance + max(importance − satisfaction, 0), on 0–10 inputs (so 0–20)."""
    if importance is None or satisfaction is None:
        return None
    _check_ten("importance", importance)
    _check_ten("satisfaction", satisfaction)
    return importance + max(importance - satisfaction, 0)


class Region(StrEnum):
    OVER_SERVED = "over_served"
    SERVED = "served"
    UNDER_SERVED = "under_served"
    EXTREME = "extreme"

    @property
    def label(self) -> str:
        return {
            "over_served": "Over-served",
            "served": "Served",
            "under_served": "Under-served",
            "extreme": "Extremely under-served",
        }[self.value]


UNDER_SERVED_ABOVE = 10
EXTREME_ABOVE = 15


def region(importance: float | None, satisfaction: float | None) -> Region | None:
    """Over-served when satisfaction beats importance; else by opportunity.

    Boundaries belong to the calmer side: an opportunity of exactly 10 is served,
    exactly 15 is under-served (not extreme).
    """
    score = opportunity(importance, satisfaction)
    if score is None:
        return None
    if satisfaction > importance:
        return Region.OVER_SERVED
    if score > EXTREME_ABOVE:
        return Region.EXTREME
    if score > UNDER_SERVED_ABOVE:
        return Region.UNDER_SERVED
    return Region.SERVED


def filter_score_to_ten(score: int | None) -> float | None:
    """A JTBD filter score 1–5 onto 0–10: 1 → 0, 2 → 2.5, 3 → 5, 4 → 7.5, 5 → 10."""
    if score is None:
        return None
    if not 1 <= score <= 5:
        raise ValueError(f"filter scores run from 1 to 5, not {score}")
    return (score - 1) * 2.5


def top_two_box(ratings: Iterable[int]) -> float | None:
    """Survey ratings 1–5 → 0–10: the share of respondents answering 4 or 5, × 10."""
    ratings = list(ratings)
    if not ratings:
        return None
    for rating in ratings:
        if not 1 <= rating <= 5:
            raise ValueError(f"survey ratings run from 1 to 5, not {rating}")
    return SCALE_MAX * sum(1 for rating in ratings if rating >= 4) / len(ratings)


@dataclass(frozen=True)
class ForcesBalance:
    push: int
    pull: int
    habit: int
    anxiety: int

    @property
    def promoting(self) -> int:
        return self.push + self.pull

    @property
    def blocking(self) -> int:
        return self.habit + self.anxiety

    @property
    def change_expected(self) -> bool:
        """Change needs push + pull to outweigh habit + anxiety; a tie holds them back."""
        return self.promoting > self.blocking

    @property
    def verdict(self) -> str:
        if self.change_expected:
            return "Push and pull outweigh habit and anxiety."
        if self.promoting == self.blocking:
            return "The forces are level, and habit wins a tie."
        return "Habit and anxiety outweigh push and pull."


def forces_balance(
    push: Iterable[int | None],
    pull: Iterable[int | None],
    habit: Iterable[int | None],
    anxiety: Iterable[int | None],
) -> ForcesBalance | None:
    """Sum the strengths (1–5) per force; notes without a strength don't count.

    None when no note has a strength at all.
    """
    sums, scored = [], 0
    for strengths in (push, pull, habit, anxiety):
        values = [value for value in strengths if value is not None]
        for value in values:
            if not 1 <= value <= 5:
                raise ValueError(f"strengths run from 1 to 5, not {value}")
        scored += len(values)
        sums.append(sum(values))
    if not scored:
        return None
    return ForcesBalance(*sums)
