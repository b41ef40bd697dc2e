"""Loaded FitResults, cached by path (results are immutable once published: a new fit gets a
new directory). Shared by reading results (:mod:`mixwise.service.results`) and deleting models
(:mod:`mixwise.service.models`), which forgets a deleted result."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from mixwise.model.result import FitResult, load_result
from mixwise.store.db import Store

CACHE_SIZE = 8


class ResultCache:
    """At most ``size`` results, least recently used out first; one load per path."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, FitResult] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}

    def get(self, path: str) -> FitResult:
        with self._lock:
            if path in self._items:
                self._items.move_to_end(path)
                return self._items[path]
            loading = self._loading.setdefault(path, threading.Lock())
        with loading:  # one load per path, however many requests wait for it
            with self._lock:
                if path in self._items:
                    return self._items[path]
            result = load_result(path)
            with self._lock:
                self._items[path] = result
                self._loading.pop(path, None)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return result

    def forget(self, path: str) -> None:
        with self._lock:
            self._items.pop(path, None)


_cache = ResultCache(CACHE_SIZE)


def cached_result(store: Store, relative: str) -> FitResult:
    """The FitResult stored at artifact path ``relative`` (loaded once, then cached)."""
    return _cache.get(str(store.artifacts.path(relative)))


def load_cached(directory: str | Path) -> FitResult:
    """A run folder's FitResult, loaded once (clear errors for a missing or partial folder)."""
    return _cache.get(str(Path(directory).resolve()))


def forget(store: Store, relative: str) -> None:
    """Drop the result at artifact path ``relative`` from the cache (it is being deleted)."""
    _cache.forget(str(store.artifacts.path(relative)))


def forget_folder(directory: str | Path) -> None:
    """Drop a run folder's cached FitResult (it was rewritten)."""
    _cache.forget(str(Path(directory).resolve()))
