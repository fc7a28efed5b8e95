"""Who is looking at a board right now, kept in the shared cache (Redis in production).

Each poll stamps the viewer; anyone stamped within WINDOW seconds is present. One
cache entry per canvas holds {user id: (last seen, name)}, so drawing the faces needs no
query; a lost concurrent update only delays a face by one poll, and each viewer writes
at most every WINDOW / 3 seconds.
"""

import time
from typing import NamedTuple

from django.core.cache import cache

WINDOW = 12


class Person(NamedTuple):
    pk: int
    display_name: str


def present(canvas_id: int, viewer) -> list[Person]:
    """Stamp the viewer and return everyone present, in id order."""
    key, now = f"canvas:{canvas_id}:presence", time.time()
    seen = {
        uid: entry
        for uid, entry in (cache.get(key) or {}).items()
        if isinstance(entry, tuple) and now - entry[0] < WINDOW  # (entries were once bare times)
    }
    if now - seen.get(viewer.pk, (0,))[0] > WINDOW / 3:
        seen[viewer.pk] = (now, viewer.display_name)
        cache.set(key, seen, timeout=WINDOW * 5)
    return [Person(uid, seen[uid][1]) for uid in sorted(seen)]
