"""Whether to nudge a stalled customer: the precepts of customer experience engineering as
one pure decision (no ORM). Do no harm first: a customer who moved on or is active again
is left alone; then consent and an address; then the contact policy's quiet hours and
frequency.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SENT, MOVED_ON, PROGRESSING = "sent", "moved_on", "progressing"
NO_CONSENT, NO_EMAIL, QUIET_HOURS, TOO_SOON = "no_consent", "no_email", "quiet_hours", "too_soon"


@dataclass(frozen=True)
class Policy:
    quiet_from: dt.time
    quiet_until: dt.time
    max_nudges: int
    per_days: int


@dataclass(frozen=True)
class Facts:
    still_stalled: bool  # the latest pass still finds them behind or stuck there
    active_since_stall: bool  # any event, answer or purchase after they stalled
    consent: bool
    email: str
    local_time: dt.time  # now, where the customer is
    nudges_in_window: int  # nudges sent to them in the policy's last `per_days` days


def in_quiet_hours(moment: dt.time, quiet_from: dt.time, quiet_until: dt.time) -> bool:
    """Quiet from `quiet_from` (included) until `quiet_until` (excluded), across midnight
    when it ends earlier than it starts; equal times mean no quiet hours."""
    if quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


def zone(name: str | None, default: str) -> ZoneInfo:
    """The customer's time zone from their trait, or the policy's when absent or unknown."""
    for candidate in (name, default, "UTC"):
        if isinstance(candidate, str) and candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def decide(facts: Facts, policy: Policy) -> str:
    if not facts.still_stalled:
        return MOVED_ON
    if facts.active_since_stall:
        return PROGRESSING
    if not facts.consent:
        return NO_CONSENT
    if not facts.email:
        return NO_EMAIL
    if in_quiet_hours(facts.local_time, policy.quiet_from, policy.quiet_until):
        return QUIET_HOURS
    if facts.nudges_in_window >= policy.max_nudges:
        return TOO_SOON
    return SENT
