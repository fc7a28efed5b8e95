"""Who is looking at a board right now, kept in the shared cache (Redis in production).

Each poll stamps the viewer; anyone stamped within WINDOW seconds is present. One
cache entry per canvas holds {user id: last seen}; a lost concurrent update only
delays a face by one poll, and each viewer writes at most every WINDOW / 3 seconds.
"""

import time

from django.core.cache import cache

WINDOW = 12


def present_ids(canvas_id: int, viewer_id: int) -> list[int]:
    key, now = f"canvas:{canvas_id}:presence", time.time()
    seen = {uid: at for uid, at in (cache.get(key) or {}).items() if now - at < WINDOW}
    if now - seen.get(viewer_id, 0) > WINDOW / 3:
        seen[viewer_id] = now
        cache.set(key, seen, timeout=WINDOW * 5)
    return sorted(seen)
