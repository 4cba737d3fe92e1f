"""A fixed-window request counter that cannot be raced: one atomic step per request.

DRF's stock throttle reads the caller's history from the cache and writes it back: two requests
arriving together both read the same history and both pass (at 120/min, 173 requests passed in
15 s). Here a request is one Redis call: a Lua script increments the caller's counter and, for the
first request of a window, sets its expiry, so N + 1 concurrent requests at a limit of N give
exactly one refusal. Without Redis (development, tests) the counter lives in the process's cache
under a lock, which is atomic within that process.
"""
from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache

KEY_PREFIX = "throttle:"
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
_lock = threading.Lock()
_script = None


def _redis_script():
    global _script
    if _script is None:
        import redis

        _script = redis.Redis.from_url(settings.REDIS_URL).register_script(_HIT)
    return _script


def window_hit(key: str, duration: float) -> tuple[int, float]:
    """Count one request under `key` in a window of `duration` seconds: (requests so far, seconds left)."""
    if settings.REDIS_URL:
        count, ttl_ms = _redis_script()(keys=[KEY_PREFIX + key], args=[max(1, int(duration * 1000))])
        return int(count), int(ttl_ms) / 1000
    with _lock:
        now = time.monotonic()
        count, until = cache.get(KEY_PREFIX + key) or (0, now + duration)
        if until <= now:
            count, until = 0, now + duration
        count += 1
        cache.set(KEY_PREFIX + key, (count, until), timeout=max(1, int(until - now) + 1))
        return count, until - now
