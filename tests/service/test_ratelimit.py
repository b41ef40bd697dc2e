"""The rate limiter: a sliding minute per key and per user (a user's keys share the user's
limit), Retry-After until the oldest request leaves the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixwise.service.access import Principal
from mixwise.service.errors import TooManyRequests
from mixwise.service.ratelimit import RateLimiter
from mixwise.store import Settings


def test_limit_per_key_and_per_user_with_retry_after(tmp_path: Path) -> None:
    now = [1000.0]
    limiter = RateLimiter(
        Settings.from_env({"MIXWISE_HOME": str(tmp_path)}, rate_fits=2), 60, lambda: now[0]
    )
    key1 = Principal("ws", "acme", "analyst", "key", user_id="u1", key_id="k1")
    key2 = Principal("ws", "acme", "analyst", "key", user_id="u1", key_id="k2")
    other = Principal("ws", "acme", "analyst", "key", user_id="u2", key_id="k3")
    limiter.hit("fit", key1)
    now[0] += 10
    limiter.hit("fit", key2)  # the same user through another key
    with pytest.raises(TooManyRequests) as e:
        limiter.hit("fit", key2)
    assert e.value.retry_after == 51  # the first request leaves the window at t + 60
    limiter.hit("fit", other)  # another user is not held back
    limiter.hit("plan", key1)  # another bucket neither
    now[0] += 51
    limiter.hit("fit", key1)  # the first request has left the window
