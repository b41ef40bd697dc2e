"""API load: concurrent ``simulate`` calls (the dashboard's sliders) on loopback.

    .venv/bin/python bench/api_load.py          # self-contained: temp home, `mixwise serve`,
                                                # upload + small fit of the PyMC example, load
    .venv/bin/python bench/api_load.py --url http://127.0.0.1:8000 --key mw_... --model md_...

Sends ``--requests`` (50) ``POST /api/v1/models/{id}/simulate`` calls at once (``--concurrency``
50), each with its own allocation (13 periods), bounded by ``--timeout`` (120 s) in all, and
prints the count, errors, p50/p95/max latency and throughput; then 20 calls one at a time (what
one dashboard slider sees). Network traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
PYMC_CSV = REPO.parent / "shared" / "datasets" / "pymc_marketing_mmm_example.csv"
PYMC_MAPPING = REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml"
FIT_SPEC = {"sampler": {"chains": 2, "draws": 250, "tune": 250, "seed": 1}, "max_draws": 500}


@dataclass
class LoadResult:
    requests: int
    errors: int
    latencies: list[float]
    wall: float
    error_samples: list[str]

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.latencies, q)) if self.latencies else float("nan")

    def line(self) -> str:
        p50, p95 = self.quantile(0.5) * 1e3, self.quantile(0.95) * 1e3
        worst = max(self.latencies, default=0.0) * 1e3
        return (
            f"{self.requests} requests, {self.errors} errors, p50 {p50:.0f} ms, p95 {p95:.0f} ms,"
            f" max {worst:.0f} ms, {self.requests / self.wall:.1f} req/s over {self.wall:.2f} s"
        )


def _bodies(current: dict[str, float], n: int, seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    return [
        {"periods": 13, "allocation": {c: v * rng.uniform(0.5, 1.5) for c, v in current.items()}}
        for _ in range(n)
    ]


async def _load(
    url: str, key: str, model_id: str, n: int, concurrency: int, timeout: float
) -> LoadResult:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=timeout
    ) as c:
        path = f"/api/v1/models/{model_id}/simulate"
        warm = await c.post(path, json={"periods": 13})  # loads the result once
        warm.raise_for_status()
        bodies = _bodies(warm.json()["allocation"], n)
        sem = asyncio.Semaphore(concurrency)

        async def one(body: dict[str, object]) -> tuple[float, int, str]:
            async with sem:
                t0 = time.perf_counter()
                r = await c.post(path, json=body)
                return time.perf_counter() - t0, r.status_code, r.text[:200]

        t0 = time.perf_counter()
        done = await asyncio.wait_for(
            asyncio.gather(*(one(b) for b in bodies), return_exceptions=True), timeout
        )
        wall = time.perf_counter() - t0
    latencies, errors = [], []
    for item in done:
        if isinstance(item, BaseException):
            errors.append(f"{type(item).__name__}: {item}")
        elif item[1] != 200:
            errors.append(f"HTTP {item[1]}: {item[2]}")
        else:
            latencies.append(item[0])
    return LoadResult(n, len(errors), latencies, wall, errors[:5])


def run_load(
    url: str, key: str, model_id: str, n: int = 50, concurrency: int = 50, timeout: float = 120.0
) -> LoadResult:
    """Send ``n`` simulate calls, ``concurrency`` at a time, within ``timeout`` seconds."""
    return asyncio.run(_load(url, key, model_id, n, concurrency, timeout))


# -- self-contained mode: a server of our own -----------------------------------------------------
def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from mixwise.cli.app import main; main()", *args]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def own_server(home: Path) -> Iterator[tuple[str, str]]:
    """``mixwise serve`` (one worker) on a free loopback port; yields ``(url, key)``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXWISE_")}
    env["MIXWISE_HOME"] = str(home)
    key = (
        subprocess.run(
            _cmd("keys", "create", "bench"), env=env, check=True, text=True, capture_output=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = _port()
    proc = subprocess.Popen(
        _cmd("serve", "--no-browser", "--port", str(port)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield url, key
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fit_example(url: str, key: str) -> str:
    """Upload the PyMC-Marketing example and fit it; returns the model id."""
    with (
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as c,
        PYMC_CSV.open("rb") as fh,
    ):
        ds = c.post("/api/v1/datasets", files={"file": (PYMC_CSV.name, fh)}).json()["id"]
        c.put(f"/api/v1/datasets/{ds}/mapping", json={"yaml": PYMC_MAPPING.read_text()})
        model = c.post("/api/v1/models", json={"dataset_id": ds, "spec": FIT_SPEC}).json()
        while model["status"] not in ("succeeded", "failed", "cancelled"):
            time.sleep(1)
            model = c.get(f"/api/v1/models/{model['id']}").json()
        if model["status"] != "succeeded":
            raise SystemExit(f"the fit {model['status']}: {model['job']['error']}")
        return str(model["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--key")
    parser.add_argument("--model")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--rounds", type=int, default=3, help="repeat the burst (report each)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    with contextlib.ExitStack() as stack:
        if args.url:
            url, key, model = args.url, args.key, args.model
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            url, key = stack.enter_context(own_server(Path(tmp)))
            model = fit_example(url, key)
            print(f"fitted {model} ({FIT_SPEC['max_draws']} draws kept)")
        results = [
            run_load(url, key, model, args.requests, args.concurrency, args.timeout)
            for _ in range(args.rounds)
        ]
        results.append(run_load(url, key, model, 20, 1, args.timeout))
    for i, r in enumerate(results, 1):
        label = f"burst {i}" if i <= args.rounds else "one at a time"
        print(f"{label}: {r.line()}")
        for e in r.error_samples:
            print(f"  error: {e}")
    if any(r.errors for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
