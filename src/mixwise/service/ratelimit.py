"""Rate limits per key and per user on the expensive requests (fits, the optimizer).

A sliding window: at most ``limit`` requests per ``window_s`` seconds for each (bucket, caller);
a caller is the API key and, separately, the user (so one user cannot multiply the limit with
many keys). Over the limit answers :class:`TooManyRequests` with the seconds until the oldest
request leaves the window (``Retry-After``). Kept in memory: one limiter per server process.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from mixwise.service.access import Principal
from mixwise.service.errors import TooManyRequests
from mixwise.store.settings import Settings

BUCKETS = ("fit", "plan")


class RateLimiter:
    def __init__(
        self,
        settings: Settings,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"fit": settings.rate_fits, "plan": settings.rate_plans}
        self.window_s, self.clock = window_s, clock
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, p: Principal) -> None:
        """Count a request of ``p`` in ``bucket``, or refuse it (nothing counted then)."""
        limit = self.limits[bucket]
        callers = [
            c
            for c in (
                f"key:{p.key_id}" if p.key_id else None,
                f"user:{p.user_id}" if p.user_id else None,
            )
            if c
        ]
        callers = callers or [f"workspace:{p.workspace_id}"]
        now = self.clock()
        with self._lock:
            queues = [self._hits.setdefault((bucket, c), deque()) for c in callers]
            for q in queues:
                while q and q[0] <= now - self.window_s:
                    q.popleft()
            full = [q for q in queues if len(q) >= limit]
            if full:
                wait = max(q[0] + self.window_s - now for q in full)
                raise TooManyRequests(
                    f"more than {limit} {bucket} requests per minute", int(wait) + 1
                )
            for q in queues:
                q.append(now)
