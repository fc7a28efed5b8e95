"""Webhook signatures and the retry policy: pure functions, no database."""

import datetime as dt

import pytest

from metrics.webhooks.retries import (
    MAX_RETRY_AFTER,
    Verdict,
    retry_after_seconds,
    retry_delay,
    verdict,
)
from metrics.webhooks.signing import sign, verify

SECRET = "whsec_test"
BODY = b'{"id":"1"}'
T = 1_700_000_000


def test_the_signature_is_hmac_sha256_of_time_dot_body_in_hex():
    # The same digest as `printf '1700000000.{"id":"1"}' | openssl dgst -sha256 -hmac whsec_test`.
    assert sign(SECRET, BODY, T) == (
        "t=1700000000,v1=11bf4466ea17c3df3fd743af0b435368e16b7a05eb8eced85e8c4670767bdec5"
    )


def test_a_receiver_accepts_the_signed_body_and_nothing_else():
    header = sign(SECRET, BODY, T)
    assert verify(SECRET, BODY, header, now=T + 10)
    assert not verify(SECRET, BODY + b" ", header, now=T + 10)  # tampered body
    assert not verify("whsec_other", BODY, header, now=T + 10)  # wrong secret
    assert not verify(SECRET, BODY, header.replace("t=1700000000", "t=1700000001"), now=T)


def test_a_replay_outside_the_tolerance_is_refused():
    header = sign(SECRET, BODY, T)
    assert verify(SECRET, BODY, header, now=T + 300)
    assert not verify(SECRET, BODY, header, now=T + 301)
    assert not verify(SECRET, BODY, header, now=T - 301)  # from the future
    assert verify(SECRET, BODY, header, now=T + 3000, tolerance=3600)


def test_any_of_several_signatures_may_match():
    good = sign(SECRET, BODY, T).split("v1=")[1]
    assert verify(SECRET, BODY, f"t={T},v1={'0' * 64},v1={good}", now=T)


@pytest.mark.parametrize(
    "header",
    [None, "", "garbage", f"t={T}", "v1=abc", f"t=x{T},v1=abc", "t=²,v1=abc", f"t={T},v2=abc"],
)
def test_malformed_headers_never_verify(header):
    assert not verify(SECRET, BODY, header, now=T)


@pytest.mark.parametrize(
    "status,expected",
    [
        (200, Verdict.DELIVERED),
        (204, Verdict.DELIVERED),
        (299, Verdict.DELIVERED),
        (None, Verdict.RETRY),
        (408, Verdict.RETRY),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (503, Verdict.RETRY),
        (599, Verdict.RETRY),
        (301, Verdict.FAILED),
        (302, Verdict.FAILED),
        (400, Verdict.FAILED),
        (401, Verdict.FAILED),
        (404, Verdict.FAILED),
        (410, Verdict.FAILED),
        (422, Verdict.FAILED),
        (100, Verdict.FAILED),
    ],
)
def test_what_each_answer_means(status, expected):
    assert verdict(status) is expected


NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "value,seconds",
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("Sun, 01 Mar 2026 12:01:30 GMT", 90.0),
        ("Sun, 01 Mar 2026 11:59:00 GMT", 0.0),  # in the past: now
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_retry_after_as_seconds_or_a_date(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


DELAYS = [30, 120, 600]


def test_each_retry_waits_its_step_of_the_schedule_within_the_jitter():
    assert retry_delay(1, DELAYS, rand=lambda: 0.5) == 30
    assert retry_delay(2, DELAYS, rand=lambda: 0.0) == pytest.approx(108)
    assert retry_delay(3, DELAYS, rand=lambda: 1.0) == pytest.approx(660)
    assert retry_delay(7, DELAYS, rand=lambda: 0.5) == 600  # past the end: the last step
    waits = [retry_delay(1, DELAYS) for _ in range(200)]
    assert 27 <= min(waits) < max(waits) <= 33


def test_a_longer_retry_after_wins_and_is_capped_at_a_day():
    assert retry_delay(1, DELAYS, retry_after=300, rand=lambda: 0.5) == 300
    assert retry_delay(1, DELAYS, retry_after=5, rand=lambda: 0.5) == 30
    assert retry_delay(1, DELAYS, retry_after=10**9, rand=lambda: 0.5) == MAX_RETRY_AFTER
