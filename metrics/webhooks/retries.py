"""What an attempt's answer means: delivered, try again later, or failed for good; and how
long to wait before the next attempt."""

import datetime as dt
import random
from collections.abc import Callable, Sequence
from email.utils import parsedate_to_datetime
from enum import StrEnum

RETRY_STATUSES = frozenset({408, 429})  # and every 5xx
RETRY_AFTER_STATUSES = frozenset({429, 503})
MAX_RETRY_AFTER = 24 * 3600  # a receiver asking for longer still gets an attempt within a day
JITTER = 0.1  # ±10 % on each delay, so deliveries failed together do not retry together


class Verdict(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"


def verdict(status: int | None) -> Verdict:
    """2xx delivered; no answer, 408, 429 and 5xx worth another try; anything else (other
    4xx, and 3xx: redirects are not followed) failed at once."""
    if status is None or status in RETRY_STATUSES or 500 <= status <= 599:
        return Verdict.RETRY
    if 200 <= status <= 299:
        return Verdict.DELIVERED
    return Verdict.FAILED


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """A `Retry-After` header's wait in seconds (delta-seconds or an HTTP date), or None."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, says RFC 5322
        moment = moment.replace(tzinfo=dt.UTC)
    return max((moment - now).total_seconds(), 0.0)


def retry_delay(
    attempt: int,
    delays: Sequence[float],
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after attempt number `attempt` (1 = the first): that step of the
    schedule (its last step if past the end) ± the jitter, and never less than the
    receiver's `Retry-After`, capped at a day."""
    base = delays[min(max(attempt, 1), len(delays)) - 1]
    delay = base * (1 + JITTER * (2 * rand() - 1))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay
