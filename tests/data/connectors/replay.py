"""Replay recorded platform responses through ``httpx.MockTransport`` (no network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


class Replay:
    """Answers each request with the next ``(status, body, headers)``; keeps the requests."""

    def __init__(self, answers: list[tuple[int, Any] | tuple[int, Any, dict[str, str]]]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        status, body, *rest = self.answers.pop(0)
        if isinstance(body, Exception):
            raise body
        headers = rest[0] if rest else {}
        return httpx.Response(status, json=body, headers=headers)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def no_sleep() -> tuple[list[float], Callable[[float], None]]:
    waits: list[float] = []
    return waits, waits.append
