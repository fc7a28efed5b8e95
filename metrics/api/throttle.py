"""A token bucket per write key, kept in Redis so every web process shares one limit.

The bucket holds up to `INGEST_BURST_SECONDS` × `INGEST_RATE_PER_SECOND` events and
refills at `INGEST_RATE_PER_SECOND`; a batch takes one token per message. Without Redis
(the embedded setup) each process keeps its own bucket.
"""

import functools
import math
import threading
import time

import redis
from django.conf import settings

# The same arithmetic as `refill`, run atomically inside Redis with Redis's own clock.
SCRIPT = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, capacity, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= cost then tokens = tokens - cost else wait = (cost - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return tostring(wait)
"""


def refill(
    tokens: float, at: float, now: float, *, rate: float, capacity: float, cost: float
) -> tuple[float, float]:
    """(tokens left, seconds to wait): take `cost` tokens if the refilled bucket has them."""
    tokens = min(capacity, tokens + max(0.0, now - at) * rate)
    if tokens >= cost:
        return tokens - cost, 0.0
    return tokens, (cost - tokens) / rate


def limits() -> tuple[float, float]:
    rate = float(settings.INGEST_RATE_PER_SECOND)
    return rate, rate * float(settings.INGEST_BURST_SECONDS)


@functools.cache
def _script():
    return redis.Redis.from_url(settings.REDIS_URL).register_script(SCRIPT)


_local: dict[str, tuple[float, float]] = {}
_lock = threading.Lock()


def _local_take(bucket: str, rate: float, capacity: float, cost: float) -> float:
    now = time.monotonic()
    with _lock:
        tokens, at = _local.get(bucket, (capacity, now))
        tokens, wait = refill(tokens, at, now, rate=rate, capacity=capacity, cost=cost)
        _local[bucket] = (tokens, now)
    return wait


def take(bucket: str, cost: int) -> int:
    """0 if `cost` events may pass now, else the whole seconds to wait (for Retry-After)."""
    rate, capacity = limits()
    cost = min(float(cost), capacity)  # a batch bigger than the bucket passes when it is full
    if settings.REDIS_URL:
        wait = float(_script()(keys=[f"ingest:bucket:{bucket}"], args=[rate, capacity, cost]))
    else:
        wait = _local_take(bucket, rate, capacity, cost)
    return math.ceil(wait) if wait > 0 else 0
