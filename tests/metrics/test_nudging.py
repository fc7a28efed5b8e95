"""The nudge decision: do no harm first, then consent and address, then quiet hours and frequency."""

import datetime as dt

import pytest

from metrics import nudging

POLICY = nudging.Policy(
    quiet_from=dt.time(20, 0), quiet_until=dt.time(8, 0), max_nudges=1, per_days=7
)
STALLED = nudging.Facts(
    still_stalled=True,
    active_since_stall=False,
    consent=True,
    email="ada@example.com",
    local_time=dt.time(10, 30),
    nudges_in_window=0,
)


def decide(**changes):
    return nudging.decide(nudging.Facts(**(vars(STALLED) | changes)), POLICY)


def test_a_stalled_consenting_customer_in_the_day_is_nudged():
    assert decide() == nudging.SENT


@pytest.mark.parametrize(
    "changes,reason",
    [
        ({"still_stalled": False}, nudging.MOVED_ON),
        ({"active_since_stall": True}, nudging.PROGRESSING),
        ({"consent": False}, nudging.NO_CONSENT),
        ({"email": ""}, nudging.NO_EMAIL),
        ({"local_time": dt.time(22, 0)}, nudging.QUIET_HOURS),
        ({"nudges_in_window": 1}, nudging.TOO_SOON),
        # Do no harm comes first: moved on or progressing wins over everything else.
        ({"still_stalled": False, "consent": False, "local_time": dt.time(23)}, nudging.MOVED_ON),
        ({"active_since_stall": True, "consent": False}, nudging.PROGRESSING),
        ({"consent": False, "local_time": dt.time(23)}, nudging.NO_CONSENT),
    ],
)
def test_every_reason_not_to_nudge(changes, reason):
    assert decide(**changes) == reason


@pytest.mark.parametrize(
    "moment,quiet",
    [
        (dt.time(19, 59), False),
        (dt.time(20, 0), True),  # quiet from 20:00 included
        (dt.time(23, 59), True),
        (dt.time(0, 0), True),
        (dt.time(7, 59), True),
        (dt.time(8, 0), False),  # until 08:00 excluded
        (dt.time(12, 0), False),
    ],
)
def test_quiet_hours_across_midnight(moment, quiet):
    assert nudging.in_quiet_hours(moment, dt.time(20), dt.time(8)) is quiet


def test_quiet_hours_within_a_day_and_none():
    assert nudging.in_quiet_hours(dt.time(13), dt.time(12), dt.time(14))
    assert not nudging.in_quiet_hours(dt.time(14), dt.time(12), dt.time(14))
    assert not nudging.in_quiet_hours(dt.time(3), dt.time(0), dt.time(0))


def test_the_customer_s_zone_from_their_trait_else_the_policy_s():
    assert nudging.zone("Asia/Tokyo", "Europe/Berlin").key == "Asia/Tokyo"
    assert nudging.zone("Mars/Olympus", "Europe/Berlin").key == "Europe/Berlin"
    assert nudging.zone(None, "Europe/Berlin").key == "Europe/Berlin"
    assert nudging.zone(42, "nowhere").key == "UTC"
