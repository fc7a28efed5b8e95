"""Webhook signatures, Stripe-style: `X-Engage-Signature: t=<unix seconds>,v1=<hex>`, where
hex is the HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint's secret.

The time is signed with the body, so a receiver that checks it refuses a request replayed
later than its tolerance. Every attempt is signed afresh, so retries pass that check.
"""

import hashlib
import hmac
import time

HEADER = "X-Engage-Signature"
TOLERANCE = 300  # seconds between the signature's time and the receiver's clock


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header's value for this body, signed now (or at `timestamp`)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str | None,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE,
) -> bool:
    """Whether the header signs exactly this body with this secret, recently enough.

    Any `v1` in the header may match, so a receiver keeps working if Engage ever sends
    several (as Stripe does while a secret is rolled).
    """
    timestamp, candidates = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
