"""The shared cache (Redis), whose outage makes Engage slower, never broken.

Everything Engage caches can be rebuilt from the database: a canvas's published revision,
who is on a board, a write key's lookup. With Redis unreachable a read misses and a write
is skipped, so pages, live polls and the event API fall back to the database instead of
answering 500. A warning is logged at most once a minute per process.
"""

import logging
import time
from contextlib import contextmanager

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
WARN_EVERY = 60.0  # seconds
_warned_at = -WARN_EVERY


@contextmanager
def _outage(operation: str):
    """Swallow Redis being down or slow; the caller returns its fallback after the block."""
    global _warned_at
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError) as error:
        if time.monotonic() - _warned_at >= WARN_EVERY:
            _warned_at = time.monotonic()
            logger.warning("Cache unavailable (%s: %s): using the database", operation, error)


class DegradingRedisCacheClient(RedisCacheClient):
    def get(self, key, default):
        with _outage("get"):
            return super().get(key, default)
        return default

    def get_many(self, keys):
        with _outage("get_many"):
            return super().get_many(keys)
        return {}

    def has_key(self, key):
        with _outage("has_key"):
            return super().has_key(key)
        return False

    def add(self, key, value, timeout):
        with _outage("add"):
            return super().add(key, value, timeout)
        return False

    def set(self, key, value, timeout):
        with _outage("set"):
            super().set(key, value, timeout)

    def set_many(self, data, timeout):
        with _outage("set_many"):
            super().set_many(data, timeout)

    def touch(self, key, timeout):
        with _outage("touch"):
            return super().touch(key, timeout)
        return False

    def delete(self, key):
        with _outage("delete"):
            return super().delete(key)
        return False

    def delete_many(self, keys):
        with _outage("delete_many"):
            super().delete_many(keys)


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, but an unreachable Redis reads as a miss (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient
