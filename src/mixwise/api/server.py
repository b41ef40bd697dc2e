"""``mixwise serve``: the API (uvicorn) with local worker processes next to it."""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from mixwise.api.app import create_app, web_dist
from mixwise.api.logs import log_config
from mixwise.jobs.queue import reclaim_stale
from mixwise.service.demo import ensure_demo
from mixwise.service.jobs import local_workers
from mixwise.store.db import Store, open_store
from mixwise.store.settings import Settings

log = logging.getLogger("mixwise.api")


def app_origins(host: str, port: int) -> tuple[str, ...]:
    """The origins the app itself is served from (allowed by CORS besides configured ones)."""
    names = {host} | (
        {"localhost", "127.0.0.1"} if host in ("127.0.0.1", "localhost", "0.0.0.0") else set()
    )
    return tuple(sorted(f"http://{n}:{port}" for n in names if n != "0.0.0.0"))


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    open_browser: bool = True,
    demo: bool = False,
    settings: Settings | None = None,
    say: Callable[[str], None] = print,
    demo_run: Path | None = None,
) -> None:
    """Run the API until interrupted; start ``workers`` worker processes (0: none).

    ``demo_run``: a run folder fitted on the demo data (by ``mixwise demo``) that becomes the
    demo model when the demo workspace has none, instead of fitting again."""
    import uvicorn  # the server library, loaded only when serving

    base = settings or Settings.from_env()
    settings = base.model_copy(
        update={"cors_origins": tuple(dict.fromkeys(base.cors_origins + app_origins(host, port)))}
    )
    store = open_store(settings)
    _tidy(store, say)
    executor = local_workers(store, workers) if workers > 0 else None
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    fragment = _demo(store, say, demo_run) if demo else ""
    app = create_app(store=store)
    config = uvicorn.Config(app, host=host, port=port, log_level="info", log_config=log_config())
    server = uvicorn.Server(config)
    say(
        f"mixwise API on {url}/api/v1 (docs: {url}/api/docs)"
        + ("" if web_dist() else "; the web app is not built (web/dist)")
    )
    if executor is not None:
        executor.start()
        say(f"Started {workers} worker process(es).")
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [f"{url}/{fragment}"]).start()
    try:
        server.run()
    finally:
        if executor is not None:
            executor.stop()


def _tidy(store: Store, say: Callable[[str], None]) -> None:
    """Before serving: remove temporary leftovers, reclaim jobs of workers that died."""
    store.artifacts.sweep_tmp()
    reclaimed = reclaim_stale(store)
    if reclaimed:
        say(f"Reclaimed {len(reclaimed)} job(s) left running by a stopped worker.")


def _demo(store: Store, say: Callable[[str], None], run: Path | None = None) -> str:
    """Ensure the demo workspace and model; returns the URL fragment carrying its key."""
    d = ensure_demo(store, run_dir=run)
    say(f"Demo workspace ready: model {d.model_id} ({d.status}).")
    say(f"Demo API key: {d.key}")
    return f"#key={d.key}"
