"""Whether background work can be queued now.

Actions that start background work (a recompute, a pack, a large import…) ask first, so
that with Redis unreachable the person learns at once that nothing started, instead of
meeting an error page after part of their request was saved.
"""

import redis
from django.conf import settings


class BrokerUnavailable(Exception):
    """The job queue (Redis) can't be reached: background work can't start now."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or "Background jobs can't start right now: the job queue (Redis) is unreachable. "
            "Nothing was started; try again in a minute."
        )


def broker_status() -> str:
    """`ok`, or `down: <why>`; running embedded (no Redis), tasks run in the web process."""
    if not settings.REDIS_URL:
        return "ok (embedded: tasks run in the web process)"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        return f"down: {error.__class__.__name__}"
    return "ok"


def require_broker() -> None:
    """Raise BrokerUnavailable unless a task queued now will reach a worker."""
    if not broker_status().startswith("ok"):
        raise BrokerUnavailable()
