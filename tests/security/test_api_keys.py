"""Write keys: kept as digests, looked up by digest, so no secret is ever compared in Python.

Finding the key is an index lookup of SHA-256(secret): what an attacker could learn from
its timing is how a digest they cannot choose compares with stored digests, which tells
nothing about any secret. The rate limit per key is tested in tests/metrics/test_api.py.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.models import WriteKey
from metrics.services.keys import key_digest, write_key_authenticate, write_key_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(workspace):
    return write_key_create(workspace=workspace, name="Web", actor=None)


def test_the_secret_is_not_stored_nor_sent_to_the_database_or_the_cache(key):
    row, secret = key
    cache.delete(f"ingest:key:{key_digest(secret)}")

    with CaptureQueriesContext(connection) as queries:
        found = write_key_authenticate(secret)

    assert found.id == row.pk
    assert secret not in str(list(WriteKey.objects.values()))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert key_digest(secret) in sql
    assert secret not in sql and secret[len(row.prefix) :] not in sql
    assert cache.get(f"ingest:key:{key_digest(secret)}") == [row.pk, row.workspace_id]


def test_a_secret_one_character_off_anywhere_is_refused(key):
    _, secret = key
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    for position in range(len(secret)):
        changed = alphabet[(alphabet.find(secret[position]) + 1) % len(alphabet)]
        assert write_key_authenticate(secret[:position] + changed + secret[position + 1 :]) is None
    assert write_key_authenticate(secret + "x") is None
    assert write_key_authenticate(secret[:-1]) is None


def test_a_known_and_an_unknown_key_cost_the_same_single_lookup(key):
    """The same query shape whether the key exists: no early exit to time."""
    _, secret = key
    shapes = []
    for candidate in (secret, "ek_" + "A" * (len(secret) - 3)):
        cache.delete(f"ingest:key:{key_digest(candidate)}")
        with CaptureQueriesContext(connection) as queries:
            write_key_authenticate(candidate)
        assert len(queries.captured_queries) == 1
        shapes.append(queries.captured_queries[0]["sql"].replace(key_digest(candidate), "?"))
    assert shapes[0] == shapes[1]
