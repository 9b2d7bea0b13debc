"""The production cache backend keeps one Redis client per connection pool, shared by threads
(Django's backend builds a new one for every command). Against the Redis server CI runs."""

import concurrent.futures

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from core.cache import ResilientRedisCache

LOCATION = "redis://127.0.0.1:6379/11"


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(LOCATION, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    backend = ResilientRedisCache(LOCATION, {"KEY_PREFIX": "client-reuse-test"})
    yield backend
    backend.clear()


def test_one_client_answers_every_thread(backend):
    assert backend._cache.get_client() is backend._cache.get_client(write=True)

    def round_trip(number: int) -> int:
        backend.set(f"key-{number}", number)
        return backend.get(f"key-{number}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(round_trip, range(200))) == list(range(200))
    assert backend.get_many([f"key-{number}" for number in range(3)]) == {"key-0": 0, "key-1": 1, "key-2": 2}


def test_control_djangos_backend_builds_a_client_per_command(backend):
    plain = RedisCache(LOCATION, {"KEY_PREFIX": "client-reuse-test"})
    assert plain._cache.get_client() is not plain._cache.get_client()
