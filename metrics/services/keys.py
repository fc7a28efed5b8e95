"""Write keys: the secrets integrations send events with. Only a SHA-256 digest is kept,
so a key is shown once, when it is created, and a lost key is replaced, not recovered.
"""

import hashlib
import secrets
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from engage.models import User, Workspace
from metrics.models import WriteKey

PREFIX = "ek_"
SHOWN_CHARACTERS = 10  # "ek_" and 7 more: enough to tell keys apart, useless to guess one
TOUCH_EVERY = 60  # seconds between two writes of a key's last_used_at
CACHED_FOR = 60  # seconds a key lookup is cached; revoking drops it at once


class KnownKey(NamedTuple):
    id: int
    workspace_id: int
    digest: str  # names the key in Redis: unlike an id, never reused by another database


def key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _lookup_cache_key(digest: str) -> str:
    return f"ingest:key:{digest}"


@transaction.atomic
def write_key_create(
    *, workspace: Workspace, name: str, actor: User | None
) -> tuple[WriteKey, str]:
    """A new key and its secret; the secret is not stored and cannot be shown again."""
    secret = PREFIX + secrets.token_urlsafe(24)
    key = WriteKey.objects.create(
        workspace=workspace,
        name=name.strip(),
        prefix=secret[:SHOWN_CHARACTERS],
        digest=key_digest(secret),
        created_by=actor,
    )
    return key, secret


@transaction.atomic
def write_key_revoke(*, key: WriteKey) -> WriteKey:
    """Refuse the key from now on; revoking twice keeps the first moment."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    # Now for this process, and again once committed, in case a request re-cached it between.
    cache.delete(_lookup_cache_key(key.digest))
    transaction.on_commit(lambda: cache.delete(_lookup_cache_key(key.digest)))
    return key


def write_key_authenticate(secret: str) -> KnownKey | None:
    """The active key with this secret, or None. Cached: ingest runs it per request."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    digest = key_digest(secret)
    found = cache.get(_lookup_cache_key(digest))
    if found is None:
        row = (
            WriteKey.objects.filter(digest=digest, revoked_at__isnull=True)
            .values_list("pk", "workspace_id")
            .first()
        )
        if row is None:
            return None
        found = list(row)
        cache.set(_lookup_cache_key(digest), found, CACHED_FOR)
    return KnownKey(found[0], found[1], digest)


def write_key_touch(*, key: KnownKey) -> None:
    """Note that the key was used, at most once a minute per key (not a write per request)."""
    if cache.add(f"ingest:used:{key.digest}", 1, TOUCH_EVERY):
        WriteKey.objects.filter(pk=key.id).update(last_used_at=timezone.now())
