"""Django's Redis cache, tolerant of a Redis outage.

The cache holds nothing a page cannot do without (the 越权访问尝试 counters): while Redis is down, reads miss,
writes are dropped and a warning is logged, so pages keep working. /healthz reports the outage.
"""

import logging

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)


def _redis_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class TolerantRedisCache(RedisCache):
    def _tolerant(name, fallback):  # noqa: N805 — a decorator factory used in the class body
        def method(self, *args, **kwargs):
            try:
                return getattr(super(), name)(*args, **kwargs)
            except _redis_errors() as exc:
                log.warning("Redis 缓存不可用（%s），本次请求不使用缓存", type(exc).__name__)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        method.__name__ = name
        return method

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", {})
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", None)
    get_or_set = _tolerant("get_or_set", lambda key, default, timeout=None, version=None: default() if callable(default) else default)
    del _tolerant

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _redis_errors() as exc:
            log.warning("Redis 缓存不可用（%s），计数未记录", type(exc).__name__)
            return delta
