"""Key-result progress and status, the way OKR tools score them.

Progress is the share of the way from the baseline to the target that the measured value
has gone: 0 at the baseline, 1 (100 %) at the target, below 0 when it moved the wrong
way. The same formula serves targets below the baseline (churn, effort), where lower is
better. Status compares progress with the share of the key result's time that has passed.
"""

import datetime as dt
from enum import StrEnum

AT_RISK_MARGIN = 0.25  # progress this far behind the time elapsed is at risk, further is off track


class Status(StrEnum):
    NO_DATA = "no_data"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return self.replace("_", " ").capitalize()


def progress(*, baseline: float, target: float, current: float | None) -> float | None:
    if target == baseline:
        raise ValueError("a key result's target must differ from its baseline")
    if current is None:
        return None
    return (current - baseline) / (target - baseline)


def time_elapsed(*, start: dt.date, due: dt.date, today: dt.date) -> float:
    """The share of the days from start to due that have passed, 0…1."""
    if due <= start:
        raise ValueError("a key result is due after it starts")
    return min(max((today - start).days / (due - start).days, 0.0), 1.0)


def status(*, progress: float | None, start: dt.date, due: dt.date, today: dt.date) -> Status:
    """Achieved at 100 % (even late); missed when due has passed short of it; otherwise on
    track while progress keeps up with the time elapsed, at risk up to AT_RISK_MARGIN
    behind it, off track beyond."""
    if progress is None:
        return Status.NO_DATA
    if progress >= 1:
        return Status.ACHIEVED
    if today > due:
        return Status.MISSED
    expected = time_elapsed(start=start, due=due, today=today)
    if progress >= expected:
        return Status.ON_TRACK
    if progress >= expected - AT_RISK_MARGIN:
        return Status.AT_RISK
    return Status.OFF_TRACK


def objective_progress(progresses: list[float | None]) -> float | None:
    """The mean of its key results' progress, each held to 0…100 % so one overshoot cannot
    hide another's shortfall; None when no key result has data."""
    known = [min(max(value, 0.0), 1.0) for value in progresses if value is not None]
    return sum(known) / len(known) if known else None
